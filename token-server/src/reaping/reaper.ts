/**
 * The reaper: makes sure every session in the ledger ends. Each pass stops the sessions that
 * are past their deadline (plus grace), whose browser went silent (no heartbeat: a crashed
 * tab, a dead phone, a lost network), or whose stop was not confirmed before and is due
 * again; and it follows the traces of creates whose outcome was never learnt (a server that
 * died mid-create, a create that failed that way): once such a create is surely over, it has
 * the orphan sweeper look for the session it may have started, then forgets the trace.
 *
 * It works from the ledger alone, so after a restart or a crash it simply carries on; with
 * several instances, a claim in the store makes each session stopped by one instance at a
 * time. It owns no timer: `reapOnce()` is one pass, run by the scheduler on Node or by a
 * cron trigger elsewhere.
 */
import type { LedgerEntry, LedgerStore } from '../ledger/store.js';
import type { Logger } from '../logger.js';
import { NO_METRICS, type MetricsRecorder } from '../observability/metrics.js';
import type { SessionLedger } from '../sessions/session-ledger.js';
import type { StopSession } from '../sessions/stop-session.js';
import type { OrphanSweeper } from './orphan-sweeper.js';

/** Options of `createReaper`. */
export interface ReaperOptions {
  /** For claims. */
  store: LedgerStore;
  ledger: SessionLedger;
  stopSession: StopSession;
  sweeper: OrphanSweeper;
  logger: Logger;
  /** This instance's name in claims. */
  instanceId: string;
  /** How long a claim holds if its owner dies mid-stop, in ms (longer than one stop can take). */
  leaseMs: number;
  /** A trace whose orphan sweep could not run is looked at again this much later, in ms. */
  traceRetryMs: number;
  /** Sessions stopped in parallel [8]. */
  concurrency?: number;
  /** [nowhere] */
  metrics?: MetricsRecorder;
  now: () => number;
}

/** A reaper. */
export interface Reaper {
  /** One pass (joining the parts of one under way); resolves with the number of sessions it stopped. */
  reapOnce(): Promise<number>;
}

const BATCH = 100;

/**
 * Creates the reaper; it does nothing until called.
 *
 * @example
 * const reaper = createReaper({ store, ledger, stopSession, sweeper, logger, instanceId: 'web-1', leaseMs, traceRetryMs, now });
 * await reaper.reapOnce();
 */
export function createReaper(options: ReaperOptions): Reaper {
  const { store, ledger, logger, instanceId, leaseMs, concurrency = 8, metrics = NO_METRICS, now } = options;

  async function stopOne(listed: LedgerEntry): Promise<boolean> {
    if (!(await store.claim(listed.id, instanceId, now(), leaseMs))) return false;
    try {
      // Read again under the claim: another instance may have stopped it, or failed and
      // scheduled a retry, since the list was made.
      const record = await ledger.get(listed.id);
      const cause = record && ledger.dueCause(record, now());
      if (!record || !cause) return false;
      const outcome = await options.stopSession(record.id, cause, record);
      return outcome.kind === 'stopped' || outcome.kind === 'unknown';
    } finally {
      await store.releaseClaim(listed.id, instanceId).catch(() => {});
    }
  }

  /** Traces of creates whose outcome was never learnt and that are surely over: sweep for their orphans, then forget them. */
  async function followDeadCreates(): Promise<void> {
    const dead = await ledger.dueTraces(now(), BATCH);
    if (dead.length === 0) return;
    if ((await options.sweeper.sweepOnce()) === undefined) {
      // Equos could not be listed: look again later rather than on every pass.
      for (const trace of dead) await ledger.postponeTrace(trace, now() + options.traceRetryMs);
      return;
    }
    for (const pending of dead) await ledger.forget(pending);
    logger.info('reaper.dead-creates.swept', { count: dead.length });
  }

  async function stopDue(): Promise<number> {
    const due = await ledger.dueSessions(now(), BATCH);
    // Listed soonest due first: the first has waited longest.
    metrics.reaperPass(due[0] ? now() - (due[0].dueAt ?? now()) : 0);
    let stopped = 0;
    let next = 0;
    // A pool, not batches: one slow stop must not hold back the sessions behind it.
    const worker = async () => {
      while (next < due.length) {
        const record = due[next++]!;
        if (await stopOne(record).catch(() => false)) stopped += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
    return stopped;
  }

  // The two halves of a pass are joined separately: a slow listing of Equos' sessions must
  // not hold up the stops of sessions falling due meanwhile.
  let stopping: Promise<number> | undefined;
  let following: Promise<void> | undefined;
  return {
    reapOnce() {
      const stops = (stopping ??= stopDue()
        .catch((error: unknown) => {
          logger.error('reaper.pass.failed', { error: errorText(error) });
          metrics.reaperFailed();
          return 0;
        })
        .finally(() => (stopping = undefined)));
      const traces = (following ??= followDeadCreates()
        .catch((error: unknown) => logger.warn('reaper.dead-creates.failed', { error: errorText(error) }))
        .finally(() => (following = undefined)));
      return Promise.all([stops, traces]).then(([stopped]) => stopped);
    },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
