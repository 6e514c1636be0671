// Mutation runs only (test/jest.mutation.config.js maps compliance/iam/matrix-sync here): the IAM
// capability matrix, computed once per input and kept on disk. The matrix comes from the Terraform
// alone through code the mutation run never changes (compliance/iam, the simulator), but computing
// it starts a worker thread with its own TypeScript loader and takes seconds; the corpus needs it
// for three files, and the mutation runner reloads the corpus for every mutant of every rule. The
// cache key covers the input and every source file of compliance/iam, so a change there recomputes.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const real = require('../../compliance/iam/matrix-sync.ts');

const ROOT = path.join(__dirname, '..', '..');
const CACHE_DIR = path.join(ROOT, '.tablesafe', 'mutation', 'matrix-cache');

function sourcesDigest() {
  const dir = path.join(ROOT, 'compliance', 'iam');
  const hash = crypto.createHash('sha256');
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else hash.update(entry.name).update(fs.readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest('hex');
}
const SOURCES = sourcesDigest();

function capabilityMatrixSync(tfJson, options = {}) {
  const key = crypto.createHash('sha256').update(SOURCES).update(JSON.stringify({ tfJson, options })).digest('hex');
  const file = path.join(CACHE_DIR, `${key}.json`);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const matrix = real.capabilityMatrixSync(tfJson, options);
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(matrix));
  fs.renameSync(tmp, file);
  return matrix;
}

module.exports = {
  ...real,
  capabilityMatrixSync,
  withIamMatrix: (facts, tfJson, options = {}) =>
    real.hasPlatformRoles(tfJson) ? { ...facts, iamMatrix: capabilityMatrixSync(tfJson, options) } : facts,
};
