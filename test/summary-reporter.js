// Jest reporter that ends every run with one plain line CI reads: `N passed, N failed, N skipped`.
// Suites that could not run at all (syntax error, failing import) count as failed.
'use strict';
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
