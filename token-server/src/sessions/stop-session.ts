/**
 * The one place that stops a session: at Equos, then in the ledger. Every path that ends a
 * session comes here (a visitor's hang-up or beacon, the reaper for a deadline, a silent
 * browser or a retry, the orphan sweep, a create that cannot hand its session out), so one
 * backoff policy, one way of settling the budget and one log line hold for all of them.
 *
 * A stop Equos does not confirm is kept in the ledger as `stopping`, with its next attempt
 * due after the backoff: the reaper of any instance carries on from there.
 */
import type { EquosApiError } from '../equos/errors.js';
import { isUnknownSession, toEquosApiError } from '../equos/errors.js';
import type { EquosGateway } from '../equos/gateway.js';
import type { SessionLedger } from './session-ledger.js';
import type { Logger } from '../logger.js';

/** Why a session is being stopped (in logs, and later in metrics). */
export type StopCause =
  /** The visitor hung up, closed the page (beacon) or removed the widget. */
  | 'visitor'
  /** Past its maximum duration plus grace. */
  | 'deadline'
  /** Its browser went silent. */
  | 'heartbeat'
  /** An earlier stop was not confirmed. */
  | 'retry'
  /** Equos runs it for this deployment but the ledger never recorded it. */
  | 'orphan'
  /** Its create could not hand it out (an unusable answer, a ledger that cannot record it). */
  | 'failed-create'
  /** The browser that asked for it went away before the answer. */
  | 'browser-gone';

/** What came of a stop. */
export type StopOutcome =
  /** Equos confirmed; the ledger, if it held the session, has it stopped. */
  | { kind: 'stopped'; endedAt: string | null }
  /** Equos does not know the session: nothing runs, nothing is billed. */
  | { kind: 'unknown' }
  /** Not confirmed; the ledger holds the session and the reaper tries again from `retryAt`. */
  | { kind: 'deferred'; retryAt: number; error: EquosApiError }
  /** Not confirmed, and the ledger cannot hold it for a retry: the caller must leave a trace. */
  | { kind: 'failed'; error: EquosApiError };

/** Stops one session. */
export type StopSession = (id: string, cause: StopCause) => Promise<StopOutcome>;

/** What the stop needs. */
export interface StopSessionDeps {
  equos: EquosGateway;
  ledger: SessionLedger;
  /** Waits between unconfirmed stops of one session, in ms: the first, doubling up to the cap. */
  backoff: { baseMs: number; maxMs: number };
  logger: Logger;
  now: () => number;
}

/**
 * Creates the stop.
 *
 * @example
 * const stopSession = createStopSession({ equos, ledger, backoff: { baseMs: 2000, maxMs: 300_000 }, logger, now: Date.now });
 * const outcome = await stopSession(id, 'visitor');
 */
export function createStopSession(deps: StopSessionDeps): StopSession {
  const { equos, ledger, backoff, logger, now } = deps;

  /** Records the end; a ledger that cannot be written now only makes the reaper try again later (Equos' stop is idempotent). */
  async function settle(id: string, cause: StopCause, endedAt: string | null, unknownAtEquos: boolean): Promise<void> {
    const at = now();
    const record = await ledger.settleStopped(id, at).catch(() => null);
    logger.info('session.stopped', {
      session_id: id,
      cause,
      ended_at: endedAt,
      ...(unknownAtEquos ? { unknown_at_equos: true } : {}),
      ...(record ? { overrun_ms: Math.max(0, at - record.deadline) } : {}),
    });
  }

  return async function stopSession(id, cause) {
    let failure: EquosApiError;
    try {
      const session = await equos.stop(id);
      await settle(id, cause, session.endedAt ?? null, false);
      return { kind: 'stopped', endedAt: session.endedAt ?? null };
    } catch (error) {
      failure = toEquosApiError(error);
    }
    if (isUnknownSession(failure)) {
      await settle(id, cause, null, true);
      return { kind: 'unknown' };
    }
    try {
      const record = await ledger.get(id);
      // Stopped before, on Equos' word: this failure is a repeat's, not a session left running.
      if (record?.state === 'stopped') return { kind: 'stopped', endedAt: new Date(record.stoppedAt ?? now()).toISOString() };
      const delay = record ? Math.min(backoff.maxMs, backoff.baseMs * 2 ** record.stopAttempts) : 0;
      const retryAt = now() + delay;
      if (record && (await ledger.recordStopFailure(record, retryAt))) {
        logger.warn('session.stop.failed', { session_id: id, cause, attempts: record.stopAttempts + 1, retry_in_ms: delay, error: failure.message });
        return { kind: 'deferred', retryAt, error: failure };
      }
    } catch {
      // The ledger is down as well: the caller leaves what trace it can.
    }
    logger.warn('session.stop.failed', { session_id: id, cause, error: failure.message });
    return { kind: 'failed', error: failure };
  };
}
