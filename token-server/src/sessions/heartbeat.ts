/**
 * A browser's "still here". A session whose heartbeats stop is stopped by the reaper (a
 * crashed tab, a phone that died, a lost network); a heartbeat for a session that has been
 * stopped tells the browser to close its call.
 */
import { ProblemError } from '../problems.js';
import { ledgerStep } from './ledger-step.js';
import type { SessionLedger } from './session-ledger.js';

/** Notes a heartbeat for session `id`. */
export type RecordHeartbeat = (id: string) => Promise<void>;

/**
 * Creates the use case.
 *
 * @throws (from the returned function) ProblemError `session-not-found` (the ledger does not
 *   know it), `session-ended` (it has been stopped), `ledger-unavailable`
 */
export function createRecordHeartbeat(deps: { ledger: SessionLedger; now: () => number }): RecordHeartbeat {
  return async function recordHeartbeat(id) {
    const state = await ledgerStep(() => deps.ledger.heartbeat(id, deps.now()));
    if (state === null) throw new ProblemError('session-not-found', { detail: 'The ledger does not know this session.' });
    if (state === 'stopped') throw new ProblemError('session-ended');
  };
}
