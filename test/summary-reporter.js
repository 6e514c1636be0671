// Jest reporter that ends every run with one plain line CI reads: `N passed, N failed, N skipped`.
// Suites that could not run at all (syntax error, failing import) count as failed. The line is also
// written to .tablesafe/test-summary.txt so .ci/run can repeat it as its very last line.
'use strict';
const fs = require('fs');
const path = require('path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped`;
    process.stdout.write(`\n${line}\n`);
    const dir = path.join(this.rootDir, '.tablesafe');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'test-summary.txt'), `${line}\n`);
  }
}
module.exports = SummaryReporter;
