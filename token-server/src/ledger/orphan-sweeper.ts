/**
 * The orphan sweeper: finds sessions Equos started for this deployment (its `client` tag)
 * that the ledger never heard of, and stops them. They come from creates whose outcome we
 * never learnt: one that timed out or failed on our side while Equos went on, or a server
 * that died between admitting a visitor and recording what Equos answered.
 *
 * A session younger than `minAgeMs` is left alone: its create may still be in flight on a
 * live instance, about to record it. Beyond a periodic sweep (`startReaper` keeps the timer),
 * it sweeps early when there is a reason to:
 * - `sweepSoon()`, when a create failed with an unknown outcome, or at start-up;
 * - `sweepAfterDeadCreates()`, when the ledger holds pending admissions older than any create
 *   can last: the trace a dead server leaves, seen by whichever instance runs next.
 */
import type { Logger } from '../logger.js';
import type { EquosSessionsGateway } from '../upstream/resilient-sessions.js';
import { forgetPending, type LedgerStore } from './store.js';

/** Options of `createOrphanSweeper`. */
export interface OrphanSweeperOptions {
  store: LedgerStore;
  equos: EquosSessionsGateway;
  logger: Logger;
  /** This instance's name in claims. */
  instanceId: string;
  /** The `client` tag of this deployment's sessions. */
  clientTag: string;
  /** Only sessions older than this are orphans, in ms (longer than a create plus its ledger write). */
  minAgeMs: number;
  /** How long a claim on an orphan holds, in ms (longer than one stop attempt). */
  leaseMs: number;
  now: () => number;
}

/** A sweeper. */
export interface OrphanSweeper {
  /** Sweeps now (joining a sweep under way); resolves with the orphans stopped, or undefined when listing failed. */
  sweep(): Promise<number | undefined>;
  /** See `Reaper.sweepSoon`. */
  sweepSoon(): void;
  /** Sweeps if dead servers left pending admissions, then forgets them (refunding their budget). */
  sweepAfterDeadCreates(): Promise<void>;
  /** Cancels early sweeps and waits for the work under way. */
  stop(): Promise<void>;
}

const PAGE = 100;
const MAX_LISTED = 10_000;

/** Creates a sweeper; it does nothing until called. */
export function createOrphanSweeper(options: OrphanSweeperOptions): OrphanSweeper {
  const { store, equos, logger, instanceId, clientTag, minAgeMs, leaseMs, now } = options;
  // Early sweeps wait a little past the orphan age, for clock skew and a slow list.
  const marginMs = Math.min(1000, minAgeMs / 10);
  let sweeping: Promise<number | undefined> | undefined;
  let checkingDeadCreates: Promise<void> | undefined;
  let stopped = false;

  async function listAndStop(): Promise<number> {
    if (!equos.list) return 0;
    let stoppedCount = 0;
    for (let skip = 0; skip < MAX_LISTED; skip += PAGE) {
      const page = await equos.list({ client: clientTag, skip, take: PAGE });
      for (const session of page.sessions) {
        if (session.endedAt || now() - Date.parse(session.startedAt) < minAgeMs) continue;
        if (await store.get(session.id)) continue;
        // Every instance sweeps the same list: the claim makes one of them stop each orphan.
        // It is kept after a success (the ledger has no record to mark), so an instance that
        // listed the orphan a moment ago does not stop it again; it lapses after the lease.
        if (!(await store.claim(session.id, instanceId, now(), leaseMs))) continue;
        try {
          await equos.stop(session.id);
          stoppedCount += 1;
          logger.warn('reaper.orphan.stopped', { session_id: session.id, started_at: session.startedAt });
        } catch (error) {
          await store.releaseClaim(session.id, instanceId).catch(() => {});
          logger.warn('reaper.orphan.stop.failed', { session_id: session.id, error: (error as Error).message });
        }
      }
      if (page.sessions.length < PAGE || skip + PAGE >= page.total) break;
    }
    return stoppedCount;
  }

  const sweep = () =>
    (sweeping ??= listAndStop()
      .catch((error: unknown) => {
        logger.error('reaper.sweep.failed', { error: error instanceof Error ? error.message : String(error) });
        return undefined;
      })
      .finally(() => (sweeping = undefined)));

  /** A sweep that lists from now on: one under way may have listed before the moment that matters. */
  async function freshSweep(): Promise<number | undefined> {
    await sweeping;
    return stopped ? undefined : sweep();
  }

  // Early sweeps, one timer at a time. Equos may start the session of a failed create a
  // while after we gave up on it (it was slow, not dead), so a call watches for orphans that
  // start up to `minAgeMs` later; a sweep at `t` is in time for those started before
  // `t - minAgeMs`. So a lone call gets two sweeps, and a stream of calls one every `minAgeMs`.
  let soonTimer: ReturnType<typeof setTimeout> | undefined;
  let watchUntil = 0;
  function armSoon(delayMs: number): void {
    soonTimer = setTimeout(async () => {
      const inTimeFor = now() - minAgeMs;
      await freshSweep();
      soonTimer = undefined;
      if (!stopped && watchUntil > inTimeFor) armSoon(Math.max(0, watchUntil + minAgeMs + marginMs - now()));
    }, delayMs);
    soonTimer.unref?.();
  }

  return {
    sweep,
    sweepSoon() {
      if (stopped) return;
      watchUntil = now() + minAgeMs;
      if (!soonTimer) armSoon(minAgeMs + marginMs);
    },
    sweepAfterDeadCreates() {
      return (checkingDeadCreates ??= (async () => {
        // Made this long ago, a create is over (its deadline is shorter than `minAgeMs`), and the
        // session it may have started (by then at the latest) is old enough to be an orphan.
        const dead = await store.listStalePending(now() - 2 * minAgeMs, PAGE);
        if (dead.length === 0 || (await freshSweep()) === undefined) return;
        for (const pending of dead) await forgetPending(store, pending);
        logger.info('reaper.dead-creates.swept', { count: dead.length });
      })()
        .catch((error: unknown) => logger.warn('reaper.dead-creates.failed', { error: error instanceof Error ? error.message : String(error) }))
        .finally(() => (checkingDeadCreates = undefined)));
    },
    async stop() {
      stopped = true;
      clearTimeout(soonTimer);
      await Promise.all([sweeping, checkingDeadCreates]);
    },
  };
}
