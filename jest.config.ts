import type { Config } from 'jest';

/** Transpile-only TypeScript: `npm run typecheck` owns types, tests own behaviour. */
const transform: Config['transform'] = {
  '^.+\\.ts$': '<rootDir>/test/transform.js',
};

const project = (name: string, extra: Partial<Config> = {}): Config => ({
  displayName: name,
  testEnvironment: 'node',
  transform,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/cdktf.out/', '<rootDir>/.tablesafe/', '<rootDir>/reports/'],
  ...extra,
});

const config: Config = {
  projects: [
    project('unit'),
    // These spawn bin/tablesafe.js, which runs dist/: build it first (incremental, ~0.5 s when current).
    project('integration', { slowTestThreshold: 60, globalSetup: '<rootDir>/test/build-dist.js' }),
    project('e2e', { slowTestThreshold: 300, globalSetup: '<rootDir>/test/build-dist.js' }),
  ],
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};

export default config;
