#!/usr/bin/env node
// The `tablesafe` command. Sources are TypeScript; ts-node compiles them on the fly without
// type-checking (`npm run typecheck` does that), which keeps start-up near one second.
'use strict';
const path = require('path');
require('ts-node').register({
  transpileOnly: true,
  project: path.join(__dirname, '..', 'tsconfig.json'),
  compilerOptions: { module: 'commonjs' },
});
require('../cli/main').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    // main() reports what reaches it; this is the last resort, with the same wording.
    const debug = process.argv.includes('--debug');
    const message = err && err.message ? err.message : String(err);
    console.error(debug && err && err.stack
      ? `tablesafe: unexpected error: ${err.stack}`
      : `tablesafe: unexpected error: ${message} — please report it (run again with --debug for the stack)`);
    process.exitCode = 2;
  },
);
