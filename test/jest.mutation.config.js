// Jest configuration for mutation testing (`npm run test:mutation`): the unit tests of the verdict
// code, flat (the mutation runner runs one jest config, not projects), with the same TypeScript
// transform. Tests that synthesize whole stacks or start sandboxes also reach the rules, but each
// takes seconds; run per mutant they would make a run take days. The score measures what the
// verdict code's own tests pin down. The runner loads every test file that imports the mutated
// file for each mutant, so suites whose subject lies outside the mutated scope stay out too: the
// synth-time aspect (insecure-stack), runCheck's input loading (run-check), the contract-to-synth
// agreement (requirements; requirements-from-contract pins the derivation itself) and the IAM
// simulation (compliance/iam; rules/iam-matrix pins the rule that reads its results). The property
// test stays out as well: its 190 random inputs take a second per mutant, and what it asserts (no
// crash, determinism, renaming invariance) is not a verdict a mutant could change unnoticed by the
// corpus and the rule tests.
'use strict';
const path = require('path');

const root = path.join(__dirname, '..');
module.exports = {
  rootDir: root,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': '<rootDir>/test/transform.js' },
  testMatch: [
    '<rootDir>/test/unit/rules/**/*.test.ts',
    '<rootDir>/test/unit/compliance/{expressions,requirements-from-contract,policy,from-aws}*.test.ts',
    '<rootDir>/test/unit/check/{corpus,plan,terraform-json-cases}.test.ts',
    '<rootDir>/test/unit/verify/{checks,digest,poller,live-state,live-readers}*.test.ts',
    '<rootDir>/test/unit/core/{poller,waiters}*.test.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The IAM matrix (unmutated code, seconds per computation) is computed once per input: see the file.
  moduleNameMapper: { '^(\\.\\.?/)+(compliance/)?iam/matrix-sync$': '<rootDir>/test/mutation/matrix-sync-cached.js' },
  modulePathIgnorePatterns: ['<rootDir>/cdktf.out/', '<rootDir>/.tablesafe/', '<rootDir>/reports/', '<rootDir>/dist/'],
  testTimeout: 30000,
};
