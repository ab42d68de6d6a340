/**
 * A browser's "still here". A session whose heartbeats stop is stopped by the reaper (a
 * crashed tab, a phone that died, a lost network); a heartbeat for a session that has been
 * stopped tells the browser to close its call. A heartbeat may also say how long the visitor
 * has been idle (nobody spoke or typed): past `IDLE_STOP_S` the session is stopped, so a
 * forgotten tab that keeps beating does not bill until its maximum duration.
 */
import { ProblemError } from '../problems.js';
import { ledgerStep } from './ledger-step.js';
import type { SessionLedger } from './session-ledger.js';
import type { StopSession } from './stop-session.js';

/** Notes a heartbeat for session `id`, whose visitor has been idle `idleS` seconds (if the browser says). */
export type RecordHeartbeat = (id: string, idleS?: number) => Promise<void>;

/**
 * Creates the use case.
 *
 * @param deps.idleStopMs how long idle stops a session [0: never]
 * @throws (from the returned function) ProblemError `session-not-found` (the ledger does not
 *   know it), `session-ended` (it has been stopped, now for being idle or before),
 *   `ledger-unavailable`
 */
export function createRecordHeartbeat(deps: { ledger: SessionLedger; stopSession: StopSession; idleStopMs: number; now: () => number }): RecordHeartbeat {
  return async function recordHeartbeat(id, idleS) {
    const state = await ledgerStep(() => deps.ledger.heartbeat(id, deps.now()));
    if (state === null) throw new ProblemError('session-not-found', { detail: 'The ledger does not know this session.' });
    if (state === 'stopped') throw new ProblemError('session-ended');
    if (deps.idleStopMs > 0 && idleS !== undefined && idleS * 1000 >= deps.idleStopMs) {
      // The one place that stops a session; an unconfirmed stop is retried by the reaper.
      await deps.stopSession(id, 'idle');
      throw new ProblemError('session-ended', { detail: `Stopped: nobody spoke or typed for ${idleS} s (IDLE_STOP_S is ${deps.idleStopMs / 1000}).` });
    }
  };
}
