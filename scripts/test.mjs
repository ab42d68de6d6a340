#!/usr/bin/env node
/**
 * `npm test`: every check the project has, in order, then one summary line
 * `N passed, N failed` summing every runner's counts (CI reads it).
 *
 * Steps: the TypeScript type checks (one check each: Node code, browser code, end-to-end code,
 * the contract alone, without Node's or the DOM's types, and the Worker's declarations against
 * Cloudflare's types), Vitest (server
 * and sandbox tests over real HTTP, and the end-to-end tests in Chromium and Firefox), then
 * Web Test Runner (browser suites in Debian's Chromium and in Debian's Firefox ESR against
 * the local sandbox). A runner that crashes or exits non-zero without
 * reporting a failed test still counts as one failure, so the summary can never read green
 * when something went wrong.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reports = join(root, '.reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const bin = (name) => join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0 };
const results = [];

function run(label, command, args) {
  process.stdout.write(`\n▶ ${label}\n`);
  const { status, error } = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (error) process.stderr.write(`${label}: ${error.message}\n`);
  return status ?? 1;
}

/** Reads a runner's JSON report as [passed, failed]; a missing report or a silent failure counts as one failure. */
function readCounts(file, status, count) {
  let passed = 0;
  let failed = 0;
  try {
    [passed, failed] = count(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    failed = 1;
  }
  if (status !== 0 && failed === 0) failed = 1;
  return [passed, failed];
}

function record(label, passed, failed) {
  totals.passed += passed;
  totals.failed += failed;
  results.push(`${label}: ${passed} passed, ${failed} failed`);
}

// 0. The widget bundle (the browser suites and end-to-end tests load the shipped files).
const buildStatus = run('build (scripts/build.mjs)', process.execPath, [join(root, 'scripts/build.mjs')]);
record('build', buildStatus === 0 ? 1 : 0, buildStatus === 0 ? 0 : 1);
// Built once: the end-to-end files, which Vitest runs in parallel, do not rebuild it under each other (testing/end-to-end.ts).
if (buildStatus === 0) process.env.EQUOS_WIDGET_BUILT = '1';

// 1. Types.
for (const project of ['tsconfig.json', 'tsconfig.browser.json', 'tsconfig.e2e.json', 'tsconfig.contract.json', 'examples/tsconfig.json', 'token-server/src/workers/tsconfig.json']) {
  const status = run(`typecheck (tsc -p ${project})`, bin('tsc'), ['--noEmit', '-p', project]);
  record(`typecheck ${project}`, status === 0 ? 1 : 0, status === 0 ? 0 : 1);
}

// 2. Vitest.
const vitestReport = join(reports, 'vitest.json');
const vitest = run('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]);
record(
  'vitest',
  ...readCounts(vitestReport, vitest, (report) => {
    // A file that fails to load has no tests but is a failed suite: count it.
    const brokenFiles = report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
    return [report.numPassedTests, report.numFailedTests + brokenFiles];
  }),
);

// 3. Browser suites, in Chromium and in Firefox.
const wtrReport = join(reports, 'wtr.json');
const wtr = run('web-test-runner (Chromium, Firefox)', process.execPath, [
  '--import',
  'tsx',
  join(root, 'node_modules/@web/test-runner/dist/bin.js'),
  '--config',
  'web-test-runner.config.mjs',
]);
record('web-test-runner', ...readCounts(wtrReport, wtr, (report) => [report.passed, report.failed]));
// Each browser's share, for reading only (already in the line above).
try {
  for (const [name, counts] of Object.entries(JSON.parse(readFileSync(wtrReport, 'utf8')).browsers ?? {})) {
    results.push(`  in ${name}: ${counts.passed} passed, ${counts.failed} failed`);
  }
} catch {
  // No report: already counted as a failure above.
}

process.stdout.write(`\n${results.join('\n')}\n`);
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed\n`);
process.exit(totals.failed === 0 ? 0 : 1);
