// Jest configuration for mutation testing (`npm run test:mutation`): the unit project alone, flat
// (the mutation runner runs one jest config, not projects), with the same TypeScript transform.
'use strict';
const path = require('path');

const root = path.join(__dirname, '..');
module.exports = {
  rootDir: root,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': '<rootDir>/test/transform.js' },
  testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
  // Tests of the architecture, the docs and the package read files, not the mutated code.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/unit/(architecture|docs|package)/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/cdktf.out/', '<rootDir>/.tablesafe/', '<rootDir>/reports/', '<rootDir>/dist/'],
  testTimeout: 30000,
};
