/**
 * `npm run bench` (money guarantee at scale): the fault-injection run of
 * fault-injection.test.ts, five times bigger and with a fresh seed each time, so the bench
 * explores runs the test suite does not. Prints the seed; replay a run with BENCH_SEED=<seed>.
 *
 * Exits non-zero if any session of ours Equos started is still running at the end, or ended
 * other than once by a stop, or if any session of the other deployment or application was
 * ended: figures are only worth reporting if the guarantee held.
 *
 *   BENCH_FAULT_SESSIONS=1000 BENCH_SEED=123 npm run bench
 */
import { runFaultInjection } from '../test/fault-run.js';

const sessions = Number(process.env.BENCH_FAULT_SESSIONS ?? 1000);
const seed = Number(process.env.BENCH_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`fault injection: ${sessions} sessions, 100 visitors at once, 4 SIGKILLs, seed ${seed} (BENCH_SEED=${seed} replays it)`);

const result = await runFaultInjection({ sessions, seed, concurrency: 100, maxDurationS: 5, killAt: [0.2, 0.4, 0.6, 0.8] });

const rows: Array<[string, string | number]> = [
  ['sessions started at Equos', result.sessions.createdAtEquos],
  ['  handed to visitors', result.sessions.handedToVisitors],
  ['  orphans (create never reached a visitor)', result.orphans],
  ['creates failed (visitor saw an error)', result.sessions.createsFailed],
  ['Equos faults injected (create / stop)', `${result.createFaultsInjected} / ${result.stopFaultsInjected}`],
  ['  stops answered 404 / longer durations', `${result.notFoundStops} / ${result.longerDurations}`],
  ['  listings ignoring the client filter', result.filterIgnored],
  ["other deployment's live sessions ended", `${result.neighbours.endedWhileLive} of ${result.neighbours.sessions}`],
  ["other application's sessions stopped", `${result.otherApplication.stopped} of ${result.otherApplication.sessions}`],
  ['token server SIGKILLs', result.kills],
  ['still running at the end', result.stillRunning],
  ['ended other than once by a stop', result.endedOtherThanOnceByStop],
  ['ended after deadline + grace', `${result.endedAfterDeadlineAndGrace} (grace ${result.graceS} s)`],
  ['worst overrun past deadline + grace', `${result.worstOverrunS} s (ledger ${result.worstOverrunByKindS.ledger} s, orphans ${result.worstOverrunByKindS.orphans} s)`],
  ['stop calls per session (min / max / total)', `${result.stopCalls.min} / ${result.stopCalls.max} / ${result.stopCalls.total}`],
  ['run time', `${result.durationS} s`],
];
for (const [label, value] of rows) console.log(`  ${label.padEnd(44)} ${value}`);

if (result.stillRunning !== 0 || result.endedOtherThanOnceByStop !== 0 || result.neighbours.endedWhileLive !== 0 || result.otherApplication.stopped !== 0) {
  console.error(`guarantee broken (seed ${seed}): ${JSON.stringify(result)}`);
  process.exitCode = 1;
}
