/**
 * The orphan sweeper reconciles Equos with the ledger: it lists the sessions Equos runs for
 * this deployment (its `client` tag, checked on every session listed, in case Equos ignored
 * the filter) and stops each one the ledger does not hold as live. Those the ledger never
 * heard of (orphans) come from creates whose outcome we never learnt: one that timed out or
 * failed on our side while Equos went on, or a server that died between admitting a visitor
 * and recording what Equos answered. Those it holds as stopped were settled on an answer that
 * Equos has since contradicted.
 *
 * A session younger than `minAgeMs` is left alone: its create may still be in flight on a
 * live instance, about to record it. It owns no timer: `sweepOnce()` sweeps now (the
 * scheduler calls it every ORPHAN_SWEEP_S), and `requestSweep()` asks for an early sweep,
 * which `sweepIfDue()` (called on every reaper tick) runs once such an orphan is old enough.
 */
import type { EquosGateway } from '../equos/gateway.js';
import { hasEnded } from '../equos/session-state.js';
import type { LedgerEntry, LedgerStore } from '../ledger/store.js';
import type { Logger } from '../logger.js';
import { NO_METRICS, type MetricsRecorder } from '../observability/metrics.js';
import type { StopSession } from '../sessions/stop-session.js';

/** Options of `createOrphanSweeper`. */
export interface OrphanSweeperOptions {
  store: LedgerStore;
  equos: EquosGateway;
  stopSession: StopSession;
  logger: Logger;
  /** This instance's name in claims. */
  instanceId: string;
  /** The `client` tag of this deployment's sessions (read from the ledger). */
  clientTag: () => Promise<string>;
  /** Only sessions older than this are orphans, in ms (longer than a create plus its ledger write). */
  minAgeMs: number;
  /** How long a claim on an orphan holds, in ms (longer than one stop can take). */
  leaseMs: number;
  /** [nowhere] */
  metrics?: MetricsRecorder;
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


/**
 * Why a session Equos runs for this deployment must be stopped, given the ledger's entry:
 * unknown to the ledger (an orphan), or held as stopped while Equos still runs it. Running
 * and stopping sessions are the reaper's.
 */
function causeFor(entry: LedgerEntry | null): 'orphan' | 'reconcile' | null {
  if (!entry) return 'orphan';
  return entry.state === 'stopped' ? 'reconcile' : null;
}
const MAX_LISTED = 10_000;

/** Creates a sweeper; it does nothing until called. */
export function createOrphanSweeper(options: OrphanSweeperOptions): OrphanSweeper {
  const { store, equos, logger, instanceId, minAgeMs, leaseMs, metrics = NO_METRICS, now } = options;
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
    const clientTag = await options.clientTag();
    let stopped = 0;
    let otherTags = 0;
    const take = equos.maxPage;
    for (let skip = 0; skip < MAX_LISTED; skip += take) {
      const page = await equos.list({ client: clientTag, skip, take });
      for (const session of page.sessions) {
        // Equos may ignore the filter: only this deployment's own tag makes a session ours.
        if (session.client !== clientTag) {
          otherTags += 1;
          continue;
        }
        // (An unreadable start time counts as old: a session we cannot date is not left billing.)
        if (hasEnded(session) || now() - Date.parse(session.startedAt) < minAgeMs) continue;
        const entry = await store.get(session.id);
        const cause = causeFor(entry);
        if (!cause) continue;
        // Every instance sweeps the same list: the claim makes one of them stop each session.
        // It is kept after a success, so an instance that listed the session a moment ago
        // does not stop it again; it lapses after the lease.
        if (!(await store.claim(session.id, instanceId, now(), leaseMs))) continue;
        const outcome = await options.stopSession(session.id, cause, entry);
        if (outcome.kind === 'stopped' || outcome.kind === 'unknown') stopped += 1;
        else await store.releaseClaim(session.id, instanceId).catch(() => {});
      }
      if (page.sessions.length < take || skip + take >= page.total) break;
    }
    if (otherTags > 0) logger.warn('orphans.list.foreign-sessions', { count: otherTags, client: clientTag, note: "Equos listed sessions of other clients; they were left alone." });
    if (stopped > 0) logger.warn('orphans.stopped', { count: stopped });
    metrics.orphanSweep('ok');
    return stopped;
  }

  const sweep = () =>
    (sweeping ??= listAndStop()
      .catch((error: unknown) => {
        logger.error('orphans.sweep.failed', { error: error instanceof Error ? error.message : String(error) });
        metrics.orphanSweep('failed');
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
