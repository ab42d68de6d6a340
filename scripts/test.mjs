#!/usr/bin/env node
/**
 * `npm test`: every check the project has, in order, then one summary line
 * `N passed, N failed` summing every runner's counts (CI reads it).
 *
 * Steps: the TypeScript type check (one check), then Vitest (server and sandbox tests over
 * real HTTP). Browser suites join this list as they arrive. A runner that crashes or exits
 * non-zero without reporting a failed test still counts as one failure, so the summary can
 * never read green when something went wrong.
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

function record(label, passed, failed) {
  totals.passed += passed;
  totals.failed += failed;
  results.push(`${label}: ${passed} passed, ${failed} failed`);
}

// 1. Types.
const typecheck = run('typecheck (tsc --noEmit)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
record('typecheck', typecheck === 0 ? 1 : 0, typecheck === 0 ? 0 : 1);

// 2. Vitest.
const vitestReport = join(reports, 'vitest.json');
const vitest = run('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]);
let vitestCounts = { passed: 0, failed: 0 };
try {
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'));
  // A file that fails to load has no tests but is a failed suite: count it.
  const brokenFiles = report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
  vitestCounts = { passed: report.numPassedTests, failed: report.numFailedTests + brokenFiles };
} catch {
  vitestCounts.failed = 1;
}
if (vitest !== 0 && vitestCounts.failed === 0) vitestCounts.failed = 1;
record('vitest', vitestCounts.passed, vitestCounts.failed);

process.stdout.write(`\n${results.join('\n')}\n`);
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed\n`);
process.exit(totals.failed === 0 ? 0 : 1);
