/**
 * The orphan sweeper: finds sessions Equos runs for this deployment (its `client` tag) that
 * the ledger never heard of, and stops them. They come from creates whose outcome we never
 * learnt: one that timed out or failed on our side while Equos went on, or a server that
 * died between admitting a visitor and recording what Equos answered.
 *
 * A session younger than `minAgeMs` is left alone: its create may still be in flight on a
 * live instance, about to record it. It owns no timer: `sweepOnce()` sweeps now (the
 * scheduler calls it every ORPHAN_SWEEP_S), and `requestSweep()` asks for an early sweep,
 * which `sweepIfDue()` (called on every reaper tick) runs once such an orphan is old enough.
 */
import type { EquosGateway } from '../equos/gateway.js';
import type { LedgerStore } from '../ledger/store.js';
import type { Logger } from '../logger.js';
import type { StopSession } from '../sessions/stop-session.js';

/** Options of `createOrphanSweeper`. */
export interface OrphanSweeperOptions {
  store: LedgerStore;
  equos: EquosGateway;
  stopSession: StopSession;
  logger: Logger;
  /** This instance's name in claims. */
  instanceId: string;
  /** The `client` tag of this deployment's sessions. */
  clientTag: string;
  /** Only sessions older than this are orphans, in ms (longer than a create plus its ledger write). */
  minAgeMs: number;
  /** How long a claim on an orphan holds, in ms (longer than one stop can take). */
  leaseMs: number;
  now: () => number;
}

/** A sweeper. */
export interface OrphanSweeper {
  /**
   * Sweeps now, with a listing made from now on (a sweep under way is waited for, then one
   * more runs); resolves with the orphans stopped, or undefined when listing failed.
   */
  sweepOnce(): Promise<number | undefined>;
  /**
   * Says an orphan may just have been made (a create whose outcome is unknown, or a start-up
   * after a predecessor that may have left some): sweep as soon as such a session is old
   * enough to be told from a create still in flight, rather than at the next periodic sweep.
   * Requests close together share a sweep.
   */
  requestSweep(): void;
  /** Runs the requested early sweep if its time has come. */
  sweepIfDue(): Promise<void>;
}

const PAGE = 100;
const MAX_LISTED = 10_000;

/** Creates a sweeper; it does nothing until called. */
export function createOrphanSweeper(options: OrphanSweeperOptions): OrphanSweeper {
  const { store, equos, logger, instanceId, clientTag, minAgeMs, leaseMs, now } = options;
  // Early sweeps wait a little past the orphan age, for clock skew and a slow list.
  const marginMs = Math.min(1000, minAgeMs / 10);
  let sweeping: Promise<number | undefined> | undefined;
  let early: Promise<void> | undefined;
  /** When the requested early sweep is due, if one is. */
  let dueAt: number | undefined;
  /** Orphans started up to this time must be caught by an early sweep. */
  let watchUntil = 0;

  async function listAndStop(): Promise<number> {
    if (!equos.list) return 0;
    let stopped = 0;
    for (let skip = 0; skip < MAX_LISTED; skip += PAGE) {
      const page = await equos.list({ client: clientTag, skip, take: PAGE });
      for (const session of page.sessions) {
        if (session.endedAt || now() - Date.parse(session.startedAt) < minAgeMs) continue;
        if (await store.get(session.id)) continue;
        // Every instance sweeps the same list: the claim makes one of them stop each orphan.
        // It is kept after a success (the ledger has no record to mark), so an instance that
        // listed the orphan a moment ago does not stop it again; it lapses after the lease.
        if (!(await store.claim(session.id, instanceId, now(), leaseMs))) continue;
        const outcome = await options.stopSession(session.id, 'orphan');
        if (outcome.kind === 'stopped' || outcome.kind === 'unknown') stopped += 1;
        else await store.releaseClaim(session.id, instanceId).catch(() => {});
      }
      if (page.sessions.length < PAGE || skip + PAGE >= page.total) break;
    }
    if (stopped > 0) logger.warn('orphans.stopped', { count: stopped });
    return stopped;
  }

  const sweep = () =>
    (sweeping ??= listAndStop()
      .catch((error: unknown) => {
        logger.error('orphans.sweep.failed', { error: error instanceof Error ? error.message : String(error) });
        return undefined;
      })
      .finally(() => (sweeping = undefined)));

  async function sweepOnce(): Promise<number | undefined> {
    // A sweep under way may have listed before the moment that matters to the caller.
    await sweeping;
    return sweep();
  }

  // Equos may start the session of a failed create a while after we gave up on it (it was
  // slow, not dead), so a request watches for orphans that start up to `minAgeMs` later; a
  // sweep at `t` is in time for those started before `t - minAgeMs`. So a lone request gets
  // two sweeps, and a stream of requests one every `minAgeMs`.
  async function runEarlySweep(): Promise<void> {
    const inTimeFor = now() - minAgeMs;
    await sweepOnce();
    dueAt = watchUntil > inTimeFor ? Math.max(now(), watchUntil + minAgeMs + marginMs) : undefined;
  }

  return {
    sweepOnce,
    requestSweep() {
      watchUntil = now() + minAgeMs;
      logger.debug('orphans.sweep.requested', { due_in_ms: minAgeMs + marginMs });
      dueAt ??= now() + minAgeMs + marginMs;
    },
    sweepIfDue() {
      if (early || dueAt === undefined || now() < dueAt) return early ?? Promise.resolve();
      dueAt = undefined;
      return (early = runEarlySweep().finally(() => (early = undefined)));
    },
  };
}
