// Jest configuration for mutation testing (`npm run test:mutation`): the unit tests of the verdict
// code, flat (the mutation runner runs one jest config, not projects), with the same TypeScript
// transform. Tests that synthesize whole stacks or start sandboxes also reach the rules, but each
// takes seconds; run per mutant they would make a run take days. The score measures what the
// verdict code's own tests pin down.
'use strict';
const path = require('path');

const root = path.join(__dirname, '..');
module.exports = {
  rootDir: root,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': '<rootDir>/test/transform.js' },
  testMatch: [
    '<rootDir>/test/unit/rules/**/*.test.ts',
    '<rootDir>/test/unit/compliance/**/*.test.ts',
    '<rootDir>/test/unit/check/{corpus,plan,property,run-check,terraform-json-cases}.test.ts',
    '<rootDir>/test/unit/verify/{checks,digest,poller,live-state,live-readers}.test.ts',
    '<rootDir>/test/unit/core/{poller-edges,waiters}.test.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/cdktf.out/', '<rootDir>/.tablesafe/', '<rootDir>/reports/', '<rootDir>/dist/'],
  testTimeout: 30000,
};
