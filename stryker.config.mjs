// Mutation testing of the code that decides verdicts: `npm run test:mutation` (slow: about 5,600
// mutants, hours on two cores; not part of `.ci/run`). Reports land in .tablesafe/mutation/;
// CONTRIBUTING.md shows how to run it in parts and `npm run mutation:score` merges them.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'test/jest.mutation.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  // The verdict code: rules, evaluation, suppressions, fact and policy parsing, verify's checks, the
  // digest and the poller. The Terraform expression evaluator (facts/eval, hcl, config,
  // from-terraform, plan) is pinned by the corpus and property tests in test/unit/check instead:
  // its ~6,000 mutants would take this 2-core machine most of a day.
  mutate: [
    'compliance/rules/**/*.ts',
    '!compliance/rules/render-readme-table.ts',
    '!compliance/rules/render.ts',
    'compliance/facts/policy.ts',
    'compliance/facts/from-aws.ts',
    'compliance/facts/requirements.ts',
    'verify/checks/**/*.ts',
    'verify/drill/digest.ts',
    'core/poller.ts',
  ],
  ignorePatterns: ['dist', 'cdktf.out', 'reports', '.tablesafe', '.terraform', 'bench', 'examples'],
  tempDirName: '.tablesafe/stryker-tmp',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: '.tablesafe/mutation/report.html' },
  jsonReporter: { fileName: '.tablesafe/mutation/report.json' },
  thresholds: { high: 90, low: 85, break: null },
  concurrency: 2,
  // Jest keeps every run's module registry reachable inside a reused runner: after a few hundred
  // mutants a worker holds 10 GB and slows to a crawl. A fresh runner every 40 mutants stays small.
  maxTestRunnerReuse: 40,
  // A mutant that loops (the poller's for(;;)) times out; the tests themselves take milliseconds.
  timeoutMS: 5000,
};
