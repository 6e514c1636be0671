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
  (err) => { console.error(`tablesafe: ${err && err.stack ? err.stack : err}`); process.exitCode = 2; },
);
