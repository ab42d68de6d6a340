/**
 * The one place that stops a session: at Equos, then in the ledger. Every path that ends a
 * session comes here (a visitor's hang-up or beacon, the reaper for a deadline, a silent
 * browser or a retry, the orphan sweep and its reconciliation, a create that cannot hand its
 * session out), so one backoff policy, one rule of evidence, one way of settling the budget
 * and one log line hold for all of them.
 *
 * The ledger settles a session only on evidence that Equos ended it: an answer showing
 * `endedAt` or an ended status, to the stop or to the GET that checks an answer which did not
 * (a 404, a 2xx still showing it running). Anything else keeps it `stopping`, with its next
 * attempt due after the backoff: the reaper of any instance carries on from there.
 */
import { EquosApiError, isUnknownSession, toEquosApiError } from '../equos/errors.js';
import type { EquosGateway } from '../equos/gateway.js';
import type { UpstreamSession } from '../equos/upstream.js';
import { hasEnded } from '../equos/session-state.js';
import type { LedgerEntry } from '../ledger/store.js';
import type { SessionLedger } from './session-ledger.js';
import type { Logger } from '../logger.js';
import { NO_METRICS, type MetricsRecorder } from '../observability/metrics.js';

/** Why a session is being stopped (in logs, and later in metrics). */
export type StopCause =
  /** The visitor hung up, closed the page (beacon) or removed the widget. */
  | 'visitor'
  /** Past its maximum duration plus grace. */
  | 'deadline'
  /** Its browser went silent. */
  | 'heartbeat'
  /** Its browser still beats, but says nobody spoke or typed for `IDLE_STOP_S` (a forgotten tab). */
  | 'idle'
  /** An earlier stop was not confirmed. */
  | 'retry'
  /** Equos runs it for this deployment but the ledger never recorded it. */
  | 'orphan'
  /** Equos runs it for this deployment although the ledger holds it as stopped. */
  | 'reconcile'
  /** Its create could not hand it out (an unusable answer, a ledger that cannot record it). */
  | 'failed-create'
  /** The browser that asked for it went away before the answer. */
  | 'browser-gone';

/** What came of a stop. */
export type StopOutcome =
  /** Equos showed the end (or the ledger already holds it as confirmed); the ledger has it stopped. */
  | { kind: 'stopped'; endedAt: string | null }
  /** Equos does not know the session and the ledger holds nothing to retry (or gave up after `UNKNOWN_SETTLES_AFTER_MS`). */
  | { kind: 'unknown' }
  /** Not confirmed; the ledger holds the session and the reaper tries again from `retryAt`. */
  | { kind: 'deferred'; retryAt: number; error: EquosApiError }
  /** Not confirmed, and the ledger cannot hold it for a retry: the caller must leave a trace. */
  | { kind: 'failed'; error: EquosApiError };

/**
 * Stops one session. `known` is its ledger entry as the caller has just read it (the reaper
 * under its claim, the sweep while listing; null: the ledger has none), which saves reading it
 * again; without it the stop reads the ledger itself.
 */
export type StopSession = (id: string, cause: StopCause, known?: LedgerEntry | null) => Promise<StopOutcome>;

/** What the stop needs. */
export interface StopSessionDeps {
  equos: EquosGateway;
  ledger: SessionLedger;
  /** Waits between unconfirmed stops of one session, in ms: the first, doubling up to the cap. */
  backoff: { baseMs: number; maxMs: number };
  logger: Logger;
  /** [nowhere] */
  metrics?: MetricsRecorder;
  now: () => number;
}

/**
 * A session Equos has answered 404 for (to the stop and to the check) is settled as unknown
 * only this long after its deadline: by then no session Equos still ran would be unbilled by
 * its own maximum duration, and the ledger stops retrying it every few minutes forever.
 */
export const UNKNOWN_SETTLES_AFTER_MS = 24 * 3600 * 1000;

/** Causes that act on what Equos says runs, whatever the ledger believes. */
const LISTED_BY_EQUOS: ReadonlySet<StopCause> = new Set(['orphan', 'reconcile']);

/** What Equos said to a stop and its check. */
type EquosAnswer = { ended: true; session: UpstreamSession } | { ended: false; error: EquosApiError; unknown: boolean };

/**
 * Creates the stop.
 *
 * @example
 * const stopSession = createStopSession({ equos, ledger, backoff: { baseMs: 2000, maxMs: 300_000 }, logger, now: Date.now });
 * const outcome = await stopSession(id, 'visitor');
 */
export function createStopSession(deps: StopSessionDeps): StopSession {
  const { equos, ledger, backoff, logger, metrics = NO_METRICS, now } = deps;

  /** Stops at Equos and, unless the answer shows the end, asks whether it has ended. */
  async function endAtEquos(id: string): Promise<EquosAnswer> {
    let stopFailure: EquosApiError | undefined;
    try {
      const answer = await equos.stop(id);
      if (answer && hasEnded(answer)) return { ended: true, session: answer };
    } catch (error) {
      stopFailure = toEquosApiError(error);
    }
    try {
      const seen = await equos.get(id);
      if (hasEnded(seen)) return { ended: true, session: seen };
      return { ended: false, unknown: false, error: new EquosApiError('invalid-response', `Equos still shows session ${id} as ${seen.status.slice(0, 32) || 'running'} after a stop`) };
    } catch (error) {
      const checkFailure = toEquosApiError(error);
      const unknown = isUnknownSession(checkFailure) && (stopFailure === undefined || isUnknownSession(stopFailure));
      return { ended: false, unknown, error: stopFailure ?? checkFailure };
    }
  }

  /** Records the end; a ledger that cannot be written now only makes the reaper try again later (Equos' stop is idempotent). */
  async function settle(id: string, cause: StopCause, endedAt: string | null, unknownAtEquos: boolean): Promise<void> {
    // The ledger keeps when Equos says billing ended (repeats answer with it), unless its
    // clock claims a time still to come.
    const reported = endedAt === null ? Number.NaN : Date.parse(endedAt);
    const at = Number.isFinite(reported) && reported <= now() ? reported : now();
    const record = await ledger.settleStopped(id, at, { cause, unknownAtEquos }).catch(() => null);
    const fields = {
      session_id: id,
      cause,
      ended_at: endedAt,
      ...(unknownAtEquos ? { unknown_at_equos: true } : {}),
      ...(record ? { overrun_ms: Math.max(0, at - record.deadline) } : {}),
    };
    if (unknownAtEquos) {
      logger.error('session.stop.unconfirmed', { ...fields, note: 'Equos has answered 404 for a day past its deadline; the ledger stops retrying it.' });
      metrics.sessionUnconfirmed(cause);
    } else {
      logger.info('session.stopped', fields);
      metrics.sessionStopped(cause, fields.overrun_ms);
    }
  }

  /** A stop Equos did not confirm: scheduled again if the ledger holds the session. */
  async function defer(id: string, cause: StopCause, record: LedgerEntry | null | undefined, answer: Extract<EquosAnswer, { ended: false }>): Promise<StopOutcome> {
    const failure = answer.error;
    try {
      if (record && (record.state === 'running' || record.state === 'stopping')) {
        if (answer.unknown && now() > record.deadline + UNKNOWN_SETTLES_AFTER_MS) {
          await settle(id, cause, null, true);
          return { kind: 'unknown' };
        }
        const delay = Math.min(backoff.maxMs, backoff.baseMs * 2 ** record.stopAttempts);
        const retryAt = now() + delay;
        if (await ledger.recordStopFailure(record, retryAt)) {
          logger.warn('session.stop.failed', { session_id: id, cause, attempts: record.stopAttempts + 1, retry_in_ms: delay, error: failure.message });
          metrics.stopFailed(cause, true);
          return { kind: 'deferred', retryAt, error: failure };
        }
      }
    } catch {
      // The ledger is down as well: the caller leaves what trace it can.
    }
    // Nothing of ours to retry: Equos does not know it, and neither does the ledger (a ledger
    // that could not be read, `undefined`, says nothing).
    if (answer.unknown && record === null) return { kind: 'unknown' };
    logger.warn('session.stop.failed', { session_id: id, cause, error: failure.message });
    metrics.stopFailed(cause, false);
    return { kind: 'failed', error: failure };
  }

  return async function stopSession(id, cause, known) {
    // undefined: the ledger could not be read, which must not keep a session from being
    // stopped at Equos.
    const record = known !== undefined ? known : await ledger.get(id).catch(() => undefined);
    // Confirmed before: answer from the ledger, without another paid-for round trip (replays
    // of a beacon, a stop retried by the browser). Only the sweep, which saw Equos still run
    // it, stops it again.
    if (record?.state === 'stopped' && !LISTED_BY_EQUOS.has(cause)) {
      return { kind: 'stopped', endedAt: new Date(record.stoppedAt ?? now()).toISOString() };
    }
    const answer = await endAtEquos(id);
    if (!answer.ended) return defer(id, cause, record, answer);
    const endedAt = answer.session.endedAt;
    await settle(id, cause, endedAt, false);
    return { kind: 'stopped', endedAt };
  };
}
