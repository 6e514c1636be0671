#!/usr/bin/env node
// `npm run build`: compiles the shipped sources (tsconfig.build.json) to dist/ — JavaScript and
// declarations — copies their non-TypeScript assets, and removes outputs whose source is gone.
// Incremental (`tsc -b`): with nothing changed it only compares file hashes, about half a second,
// so `npm start`, `npm pack` and the test setup can all call it unconditionally.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
/** Files the compiled code or its users read at run time, copied as they are. */
const ASSETS = [
  'verify/report/report.schema.json',
  // The AWS managed policies the capability matrix evaluates (compliance/iam/managed-policies.ts).
  'compliance/iam/managed-policies/AWSBackupServiceRolePolicyForBackup.json',
  'compliance/iam/managed-policies/AWSBackupServiceRolePolicyForRestores.json',
];

function build() {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  execFileSync(process.execPath, [tsc, '-b', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  for (const asset of ASSETS) {
    const to = path.join(dist, asset);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(root, asset), to);
  }
  pruneStale(dist);
}

/** A renamed or deleted source must not live on in dist/ (and in the package). */
function pruneStale(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      pruneStale(file);
      if (fs.readdirSync(file).length === 0) fs.rmdirSync(file);
      continue;
    }
    const rel = path.relative(dist, file);
    const source = rel.replace(/\.d\.ts$|\.js$/, '.ts');
    if (source !== rel && !fs.existsSync(path.join(root, source))) fs.rmSync(file);
    else if (source === rel && !rel.endsWith('.tsbuildinfo') && !ASSETS.includes(rel.split(path.sep).join('/'))) fs.rmSync(file);
  }
}

module.exports = { build };

if (require.main === module) {
  try {
    build();
  } catch (e) {
    if (e.status === undefined) console.error(`build: ${e.message}`);
    process.exitCode = e.status || 1;
  }
}
