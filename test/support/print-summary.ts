import { readFileSync } from 'node:fs';

/**
 * Prints vitest's totals as one plain line, "tests: N passed, N failed, N skipped", which CI
 * reads whatever the runner. Vitest's JSON report is the source.
 */
const file = process.argv[2] ?? 'test-results/vitest.json';
try {
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numFailedTestSuites: number;
  };
  const skipped = report.numPendingTests + report.numTodoTests;
  // A file that fails to load has no failed test but must still count as a failure.
  const failed = report.numFailedTests + (report.numFailedTests === 0 ? report.numFailedTestSuites : 0);
  console.log(`tests: ${report.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
} catch {
  console.log('tests: 0 passed, 1 failed (no test report was written)');
}
