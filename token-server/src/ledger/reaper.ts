/**
 * The reaper: makes sure every session in the ledger ends. On a short interval it stops the
 * sessions that are past their deadline (plus grace), whose browser went silent (no
 * heartbeat: a crashed tab, a dead phone, a lost network), or whose stop failed before,
 * retrying with backoff until Equos confirms. It works from the ledger alone, so after a
 * restart or a crash it simply carries on; with several instances, a claim in the store
 * makes each session stopped by one instance at a time.
 *
 * It also runs the orphan sweeper (orphan-sweeper.ts): every `orphans.everyMs`, on every
 * pass for the traces of dead creates, and soon after it starts.
 */
import type { Logger } from '../logger.js';
import { isUnknownSession } from '../upstream/errors.js';
import type { EquosSessionsGateway } from '../upstream/resilient-sessions.js';
import { createOrphanSweeper } from './orphan-sweeper.js';
import { isDue, settleStopped, type LedgerStore, type SessionRecord } from './store.js';

const HOUSEKEEPING_EVERY_MS = 3600 * 1000;
const DEFAULT_ORPHAN_MIN_AGE_MS = 60_000;

/** Options of `startReaper`. */
export interface ReaperOptions {
  store: LedgerStore;
  equos: EquosSessionsGateway;
  logger: Logger;
  /** This instance's name in claims. */
  instanceId: string;
  /** How often to look for due sessions, in ms [2000]. */
  intervalMs?: number;
  /** Stop sessions this long after their deadline, in ms [30000]. */
  graceMs?: number;
  /** Stop sessions whose browser has been silent this long, in ms [90000]. */
  heartbeatTimeoutMs?: number;
  /**
   * How long a claim holds if its owner dies mid-stop, in ms [30000]. Longer than one stop
   * attempt can take (the Equos stop deadline), so two live instances never stop a session at once.
   */
  leaseMs?: number;
  /** Backoff between failed stops of a session: base and cap, in ms [2000, 300000]. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Sessions stopped in parallel [8]. */
  concurrency?: number;
  /** The orphan sweep; omitted when the Equos client cannot list sessions. */
  orphans?: {
    clientTag: string;
    /** How often, in ms [300000]. */
    everyMs?: number;
    /** Only sessions older than this are orphans (a create may still be writing its record), in ms [60000]. */
    minAgeMs?: number;
  };
  /** Clock in ms [Date.now]. */
  now?: () => number;
}

/** A running reaper. */
export interface Reaper {
  /** Runs one pass now (tests, shutdown); resolves with the number of sessions stopped. */
  runOnce(): Promise<number>;
  /** Runs one orphan sweep now; resolves with the number of orphans stopped. */
  sweepOrphans(): Promise<number>;
  /**
   * Says an orphan may just have been made (a create whose outcome is unknown): the reaper
   * sweeps as soon as such a session is old enough to be told from a create still in flight,
   * rather than at the next periodic sweep, minutes away. Calls close together share a sweep.
   */
  sweepSoon(): void;
  /** Stops the timers and waits for the pass in progress. */
  stop(): Promise<void>;
}

/**
 * Starts the reaper.
 *
 * @example
 * const reaper = startReaper({ store, equos, logger, instanceId: 'web-1' });
 * // on shutdown: await reaper.stop();
 */
export function startReaper(options: ReaperOptions): Reaper {
  const {
    store,
    equos,
    logger,
    instanceId,
    intervalMs = 2000,
    graceMs = 30_000,
    heartbeatTimeoutMs = 90_000,
    leaseMs = 30_000,
    retryBaseMs = 2000,
    retryMaxMs = 300_000,
    concurrency = 8,
    now = Date.now,
  } = options;
  let running: Promise<number> | undefined;
  let stopped = false;

  async function stopOne(listed: SessionRecord): Promise<boolean> {
    if (!(await store.claim(listed.id, instanceId, now(), leaseMs))) return false;
    try {
      // Read again under the claim: another instance may have stopped it, or failed and
      // scheduled a retry, since the list was made.
      const record = await store.get(listed.id);
      if (!record || !isDue(record, { now: now(), graceMs, heartbeatTimeoutMs })) return false;
      return await attemptStop(record);
    } finally {
      await store.releaseClaim(listed.id, instanceId).catch(() => {});
    }
  }

  async function attemptStop(record: SessionRecord): Promise<boolean> {
    const reason = record.state === 'stopping' ? 'retry' : record.deadline + graceMs <= now() ? 'deadline' : 'heartbeat';
    try {
      await equos.stop(record.id);
    } catch (error) {
      // Equos does not know it: nothing is running, so nothing is billed.
      if (!isUnknownSession(error)) {
        const delay = Math.min(retryMaxMs, retryBaseMs * 2 ** record.stopAttempts);
        await store.recordStopFailure(record.id, now() + delay);
        logger.warn('reaper.stop.failed', { session_id: record.id, reason, attempts: record.stopAttempts + 1, retry_in_ms: delay, error: (error as Error).message });
        return false;
      }
    }
    const done = await settleStopped(store, record.id, now());
    if (done) {
      logger.info('reaper.stopped', { session_id: record.id, reason, overrun_ms: Math.max(0, now() - record.deadline) });
    }
    return done !== null;
  }

  async function pass(): Promise<number> {
    const due = await store.listDue({ now: now(), graceMs, heartbeatTimeoutMs, limit: 100 });
    let count = 0;
    let next = 0;
    // A pool, not batches: one slow stop must not hold back the sessions behind it.
    const worker = async () => {
      while (next < due.length) {
        const record = due[next++]!;
        if (await stopOne(record).catch(() => false)) count += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
    return count;
  }

  const runOnce = () =>
    (running ??= pass()
      .catch((error: unknown) => {
        logger.error('reaper.pass.failed', { error: error instanceof Error ? error.message : String(error) });
        return 0;
      })
      .finally(() => (running = undefined)));

  const orphans = options.orphans
    ? createOrphanSweeper({ store, equos, logger, instanceId, clientTag: options.orphans.clientTag, minAgeMs: options.orphans.minAgeMs ?? DEFAULT_ORPHAN_MIN_AGE_MS, leaseMs, now })
    : undefined;

  const timer = setInterval(() => {
    if (stopped) return;
    void runOnce();
    void orphans?.sweepAfterDeadCreates();
  }, intervalMs);
  // The ledger forgets old entries hourly (and at start), so it does not grow forever.
  const housekeeping = () =>
    void store.housekeeping(now()).then(
      (forgotten) => forgotten > 0 && logger.info('ledger.housekeeping', { forgotten }),
      (error: unknown) => logger.warn('ledger.housekeeping.failed', { error: error instanceof Error ? error.message : String(error) }),
    );
  const housekeepingTimer = setInterval(() => !stopped && housekeeping(), HOUSEKEEPING_EVERY_MS);
  housekeepingTimer.unref?.();
  housekeeping();
  const sweepTimer = orphans ? setInterval(() => !stopped && void orphans.sweep(), options.orphans?.everyMs ?? 300_000) : undefined;
  timer.unref?.();
  sweepTimer?.unref?.();
  // A restarted instance resumes at once from the ledger, and soon sweeps for orphans its
  // predecessor may have left without a trace (a ledger write lost with the machine).
  void runOnce();
  orphans?.sweepSoon();

  return {
    runOnce,
    sweepOrphans: async () => (await orphans?.sweep()) ?? 0,
    sweepSoon: () => orphans?.sweepSoon(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(sweepTimer);
      clearInterval(housekeepingTimer);
      await Promise.all([running, orphans?.stop()]);
    },
  };
}
