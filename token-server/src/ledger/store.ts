/**
 * The session ledger: every paid session the token server starts, recorded before the
 * browser gets its token and kept until Equos confirms the stop, so that no session can be
 * forgotten, whatever happens to the tab, the network or this server. It also holds the
 * counters that protect the site's credits (rates, caps, the daily budget), so that every
 * instance of a deployment shares them.
 *
 * Three stores implement it: memory (tests, one process), SQLite (the default: a real file,
 * zero set-up) and Redis (several instances). All pass `describeStoreContract`.
 */

/** Where a session is in its life. */
export type LedgerState =
  /** Admitted, Equos not yet answered (counts against caps; expires if the server dies here). */
  | 'pending'
  /**
   * The create failed in a way that may still have started a session (a timeout, a dropped
   * connection, a 5xx): counts against no cap (the visitor is not to blame), kept as the
   * trace the reaper follows to sweep for its orphan.
   */
  | 'unresolved'
  | 'running'
  /** A stop was tried and failed; the reaper retries it. */
  | 'stopping'
  | 'stopped';

/** One session as the ledger keeps it. Times are ms since the epoch. */
export interface SessionRecord {
  id: string;
  preset: string;
  origin: string | null;
  /** A keyed hash of the visitor's address (never the address itself). */
  visitorKey: string;
  createdAt: number;
  /** When its maximum duration ends. */
  deadline: number;
  lastHeartbeat: number;
  stopAttempts: number;
  state: LedgerState;
  /** When a failed stop is tried again. */
  nextAttemptAt: number;
  stoppedAt: number | null;
  /** Minutes reserved from the daily budget (refunded down to the real duration at the stop). */
  reservedMinutes: number;
}

/** What makes a session due for the reaper. */
export interface DueQuery {
  now: number;
  /** Stop sessions this long after their deadline (Equos should have ended them by then). */
  graceMs: number;
  /** Stop sessions whose browser has been silent this long. */
  heartbeatTimeoutMs: number;
  limit: number;
}

/** The outcome of an admission. */
export type Admission =
  | { admitted: true }
  | { admitted: false; reason: 'visitor-cap' | 'global-cap' };

/** Caps checked, atomically, when a session is admitted. */
export interface AdmissionLimits {
  perVisitor: number;
  global: number;
  /** A pending admission that was never activated stops counting after this long. */
  pendingTtlMs: number;
}

/** The sessions half of the ledger. */
export interface SessionStore {
  /**
   * Admits a session if the caps allow, recording it as `pending` under `pendingId`, in one
   * atomic step (two instances cannot both take the last place).
   */
  admit(pending: SessionRecord, limits: AdmissionLimits): Promise<Admission>;
  /** Turns a pending admission into the running session Equos created (its id replaces the pending one). */
  activate(pendingId: string, record: SessionRecord): Promise<void>;
  /** Forgets a pending or unresolved admission; true when this call did (first time). */
  release(pendingId: string): Promise<boolean>;
  /** Turns a pending admission `unresolved`: its create may have started a session we never heard of. */
  markUnresolved(pendingId: string): Promise<void>;
  /**
   * Pending and unresolved admissions made before `before`, oldest first. A create that old
   * is over, so each is one whose outcome we never learnt (its server died between admitting
   * the visitor and recording Equos' answer, or the create failed that way): if Equos started
   * that session, it is an orphan.
   */
  listStalePending(before: number, limit: number): Promise<SessionRecord[]>;
  get(id: string): Promise<SessionRecord | null>;
  /** Notes a browser heartbeat; returns the session's state, or null when unknown. */
  heartbeat(id: string, at: number): Promise<LedgerState | null>;
  /** Marks a session stopped; returns the record when this call stopped it (first time), else null. */
  markStopped(id: string, at: number): Promise<SessionRecord | null>;
  /** Counts a failed stop and schedules the next attempt. */
  recordStopFailure(id: string, nextAttemptAt: number): Promise<void>;
  /** Sessions to stop now: past deadline + grace, silent too long, or a failed stop to retry. */
  listDue(query: DueQuery): Promise<SessionRecord[]>;
  /**
   * Claims a session for `owner` for `leaseMs` from `now`, so that with several instances
   * each due session is stopped by one of them at a time. Returns whether the claim is held
   * (re-claiming one's own claim extends it).
   */
  claim(id: string, owner: string, now: number, leaseMs: number): Promise<boolean>;
  /**
   * Gives up `owner`'s claim once its stop attempt is over, so that after a crash or a failed
   * attempt the next instance need not wait for the lease to lapse. Another owner's claim is left alone.
   */
  releaseClaim(id: string, owner: string): Promise<void>;
  /** Sessions not stopped (pending ones only until they expire), overall or for one visitor. */
  countOpen(query: { now: number; pendingTtlMs: number; visitorKey?: string }): Promise<number>;
}

/** The counters half of the ledger. */
export interface LimitStore {
  /**
   * Counts one event for `key` in the fixed window containing `now`; allowed while the count
   * is within `limit`. `retryAfterMs` says when the window resets.
   */
  hit(key: string, limit: number, windowMs: number, now: number): Promise<{ allowed: boolean; retryAfterMs: number }>;
  /** Adds `minutes` (negative to refund) to a day's budget use; returns the new total. */
  addBudget(day: string, minutes: number): Promise<number>;
  budgetUsed(day: string): Promise<number>;
}

/** Stopped sessions stay readable this long (idempotent stops, audits), then are forgotten. */
export const STOPPED_RETENTION_MS = 7 * 24 * 3600 * 1000;
/** A pending or unresolved admission this old belongs to a create long over (kept till then for `listStalePending`). */
export const STALE_PENDING_MS = 3600 * 1000;
/** Rate windows (at most a minute long) this old are over. */
export const STALE_WINDOW_MS = 3600 * 1000;
/** Daily budget totals stay readable this long, then are forgotten. */
export const BUDGET_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** A ledger backend. */
export interface LedgerStore extends SessionStore, LimitStore {
  /** Which backend, for logs. */
  readonly kind: 'memory' | 'sqlite' | 'redis';
  /**
   * Forgets what no longer matters at `now`, so the ledger does not grow forever: sessions
   * stopped more than `STOPPED_RETENTION_MS` ago, pending admissions long expired, past rate
   * windows, budget days older than `BUDGET_RETENTION_MS`. Returns how many sessions and rate
   * windows went (Redis expires its keys itself: 0).
   */
  housekeeping(now: number): Promise<number>;
  close(): Promise<void>;
}

/** Whether `record` is due under `query` (shared by the stores that filter in code). */
export function isDue(record: SessionRecord, query: Omit<DueQuery, 'limit'>): boolean {
  if (record.state !== 'running' && record.state !== 'stopping') return false;
  if (record.state === 'stopping') return record.nextAttemptAt <= query.now;
  return record.deadline + query.graceMs <= query.now || record.lastHeartbeat + query.heartbeatTimeoutMs <= query.now;
}

/** Whether `record` counts against the caps at `now`. */
export function isOpen(record: SessionRecord, now: number, pendingTtlMs: number): boolean {
  if (record.state === 'stopped' || record.state === 'unresolved') return false;
  return record.state !== 'pending' || record.createdAt + pendingTtlMs > now;
}

/** The UTC day of `ms`, the budget's key (`YYYY-MM-DD`, so days sort as strings). */
export function budgetDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Forgets a pending admission whose session never started, or whose orphan has been looked
 * for, and gives back its budget reservation (once, even if several instances do this).
 */
export async function forgetPending(store: LedgerStore, pending: SessionRecord): Promise<void> {
  if ((await store.release(pending.id)) && pending.reservedMinutes > 0) await store.addBudget(budgetDay(pending.createdAt), -pending.reservedMinutes);
}

/**
 * Records that a session has ended (Equos confirmed the stop, or does not know the session)
 * and gives back the part of its budget reservation it did not use. Every stop path ends
 * here, so none can leave minutes reserved. Returns the record when this call stopped it.
 */
export async function settleStopped(store: LedgerStore, id: string, at: number): Promise<SessionRecord | null> {
  const stopped = await store.markStopped(id, at);
  if (stopped && stopped.reservedMinutes > 0) {
    const usedMinutes = Math.max(0, Math.min(stopped.reservedMinutes, (at - stopped.createdAt) / 60_000));
    const refund = stopped.reservedMinutes - usedMinutes;
    // A refund that fails only makes the budget stricter; the stop itself is recorded.
    if (refund > 0) await store.addBudget(budgetDay(stopped.createdAt), -refund).catch(() => {});
  }
  return stopped;
}
