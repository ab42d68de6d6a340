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
import { forgetPending, isDue, type LedgerStore, type SessionRecord } from '../ledger/store.js';
import type { Logger } from '../logger.js';
import type { StopCause, StopSession } from '../sessions/stop-session.js';
import type { OrphanSweeper } from './orphan-sweeper.js';

/** Options of `createReaper`. */
export interface ReaperOptions {
  store: LedgerStore;
  stopSession: StopSession;
  sweeper: OrphanSweeper;
  logger: Logger;
  /** This instance's name in claims. */
  instanceId: string;
  /** Stop sessions this long after their deadline, in ms. */
  graceMs: number;
  /** Stop sessions whose browser has been silent this long, in ms. */
  heartbeatTimeoutMs: number;
  /** How long a claim holds if its owner dies mid-stop, in ms (longer than one stop can take). */
  leaseMs: number;
  /** A create this long after its admission is over, and the session it may have started old enough to be an orphan, in ms. */
  deadCreateAfterMs: number;
  /** Sessions stopped in parallel [8]. */
  concurrency?: number;
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
 * const reaper = createReaper({ store, stopSession, sweeper, logger, instanceId: 'web-1', … });
 * await reaper.reapOnce();
 */
export function createReaper(options: ReaperOptions): Reaper {
  const { store, logger, instanceId, graceMs, heartbeatTimeoutMs, leaseMs, concurrency = 8, now } = options;

  async function stopOne(listed: SessionRecord): Promise<boolean> {
    if (!(await store.claim(listed.id, instanceId, now(), leaseMs))) return false;
    try {
      // Read again under the claim: another instance may have stopped it, or failed and
      // scheduled a retry, since the list was made.
      const record = await store.get(listed.id);
      if (!record || !isDue(record, { now: now(), graceMs, heartbeatTimeoutMs })) return false;
      const cause: StopCause = record.state === 'stopping' ? 'retry' : record.deadline + graceMs <= now() ? 'deadline' : 'heartbeat';
      const outcome = await options.stopSession(record.id, cause);
      return outcome.kind === 'stopped' || outcome.kind === 'unknown';
    } finally {
      await store.releaseClaim(listed.id, instanceId).catch(() => {});
    }
  }

  /** Traces of creates whose outcome was never learnt and that are surely over: sweep for their orphans, then forget them. */
  async function followDeadCreates(): Promise<void> {
    const dead = await store.listStalePending(now() - options.deadCreateAfterMs, BATCH);
    if (dead.length === 0 || (await options.sweeper.sweepOnce()) === undefined) return;
    for (const pending of dead) await forgetPending(store, pending);
    logger.info('reaper.dead-creates.swept', { count: dead.length });
  }

  async function stopDue(): Promise<number> {
    const due = await store.listDue({ now: now(), graceMs, heartbeatTimeoutMs, limit: BATCH });
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
