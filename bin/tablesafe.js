#!/usr/bin/env node
// The `tablesafe` command: compiled JavaScript from dist/ (`npm run build`), nothing compiled at
// start-up and no dev dependency at run time.
'use strict';
const fs = require('fs');
const path = require('path');

const main = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(main)) {
  console.error('tablesafe: dist/ is missing (a source checkout builds it with `npm run build`; `npm ci` and `npm start` do it for you)');
  process.exit(2);
}
require(main).main(process.argv.slice(2)).then(
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
