/**
 * A Web Test Runner reporter that writes the run's counts to a JSON file, so that
 * scripts/test.mjs can add them to the single `N passed, N failed` line.
 *
 * A test file that failed to load (no results, but errors) counts as one failed test: the
 * summary must never read green when something went wrong.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** @param {string} file where to write `{ passed, failed, skipped, browsers: { [name]: { passed, failed, skipped } } }` */
export function summaryReporter(file) {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      /** @type {Record<string, { passed: number, failed: number, skipped: number }>} */
      const browsers = {};
      for (const session of sessions) {
        const own = (browsers[session.browser.name] ??= { passed: 0, failed: 0, skipped: 0 });
        const walk = (suite) => {
          for (const test of suite.tests) {
            const outcome = test.skipped ? 'skipped' : test.passed ? 'passed' : 'failed';
            counts[outcome] += 1;
            own[outcome] += 1;
          }
          for (const child of suite.suites) walk(child);
        };
        const before = counts.passed + counts.failed;
        if (session.testResults) walk(session.testResults);
        const noResults = counts.passed + counts.failed === before;
        if ((session.errors?.length ?? 0) > 0 && (noResults || session.passed === false)) {
          counts.failed += 1;
          own.failed += 1;
        }
      }
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ ...counts, browsers }));
    },
  };
}
