import type { Config } from 'jest';

/** ts-jest without type-checking: `npm run typecheck` owns types, tests own behaviour. */
const transform: Config['transform'] = {
  '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
};

const project = (name: string, extra: Partial<Config> = {}): Config => ({
  displayName: name,
  testEnvironment: 'node',
  transform,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  ...extra,
});

const config: Config = {
  projects: [
    project('unit'),
    project('integration', { slowTestThreshold: 60 }),
    project('e2e', { slowTestThreshold: 300 }),
  ],
  testTimeout: 30_000,
};

export default config;
