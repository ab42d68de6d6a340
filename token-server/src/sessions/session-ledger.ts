/**
 * The ledger as the use cases see it: every change an entry goes through, and the one policy
 * that says what each state means. The store underneath (../ledger/) only keeps entries and
 * their indexes; this is the only place that sets them:
 *
 * | state        | what it is                                                        | counts against the site's cap | and its visitor's | due for the reaper                          | forgotten              |
 * |--------------|-------------------------------------------------------------------|-------------------------------|-------------------|---------------------------------------------|------------------------|
 * | `pending`    | admitted, Equos not answered yet                                  | for `pendingTtlMs`            | as the site's     | `deadCreateAfterMs` after admission (a dead server's create) | after `TRACE_RETENTION_MS` |
 * | `unresolved` | the create failed in a way that may still have started a session | no (not the visitor's fault)  | no                | as pending                                  | as pending             |
 * | `running`    | Equos runs it; the browser has its token                          | until stopped                 | until deadline + grace | at deadline + grace, or heartbeat + timeout | never             |
 * | `stopping`   | a stop was not confirmed                                          | until stopped                 | until deadline + grace | at the next attempt                    | never                  |
 * | `stopped`    | Equos showed the end (or answered 404 for a day past its deadline) | no                           | no                | never                                       | after `STOPPED_RETENTION_MS` |
 *
 * Budget reservations are given back here too, so no path can leave minutes reserved.
 *
 * What a change causes is written with it, in the same store call (`EntryEffects`: both or
 * neither), by ../webhooks/events.ts:
 *
 * | change                                          | webhook event (when `events` is on) | usage                                                    |
 * |-------------------------------------------------|-------------------------------------|----------------------------------------------------------|
 * | `activate` (pending → running)                  | `session.started`                   | —                                                        |
 * | `settleStopped` (running or stopping → stopped) | `session.ended` (cause, duration)   | one session of its billed minutes, on the day it started |
 *
 * No other change causes either: a stop of a session the ledger holds as stopped settles
 * nothing (no second `session.ended`), and an admission that is forgotten never started.
 */
import { orphanMinAgeMs, type Settings } from '../config/settings.js';
import { budgetDay, type Admission, type EntryFields, type LedgerEntry, type LedgerState, type LedgerStore } from '../ledger/store.js';
import { sessionEnded, sessionStarted, usageOf, type SessionEnd } from '../webhooks/events.js';

/** The times that give the states their meaning, in ms (from the settings). */
export interface LedgerPolicy {
  /** A pending admission counts against the caps this long: longer than any create. */
  pendingTtlMs: number;
  /**
   * A pending or unresolved admission this old belongs to a create that is surely over, and
   * the session it may have started is old enough to be an orphan: the reaper has the orphan
   * sweeper look for it, then forgets the admission.
   */
  deadCreateAfterMs: number;
  /** Stop a session this long after its deadline (Equos should have ended it by then). */
  graceMs: number;
  /** Stop a session whose browser has been silent this long. */
  heartbeatTimeoutMs: number;
}

/**
 * The policy under `settings`. The Node entry also gives it to the store, to index a ledger
 * an earlier version wrote.
 */
export function ledgerPolicyOf(settings: Settings): LedgerPolicy {
  const orphanAge = orphanMinAgeMs(settings);
  return {
    // A pending admission counts until its create is surely over.
    pendingTtlMs: orphanAge,
    // Made this long ago, a create is over (its deadline is shorter than the orphan age), and
    // the session it may have started (by then at the latest) is old enough to be an orphan.
    deadCreateAfterMs: 2 * orphanAge,
    graceMs: settings.reaper.graceMs,
    heartbeatTimeoutMs: settings.heartbeat.timeoutMs,
  };
}

/** Stopped sessions stay readable this long (idempotent stops, audits), then are forgotten. */
export const STOPPED_RETENTION_MS = 7 * 24 * 3600 * 1000;
/** A pending or unresolved admission is kept this long at most (its follow-up is long over). */
export const TRACE_RETENTION_MS = 3600 * 1000;
/** A score far in the future: "open until stopped". */
const OPEN_UNTIL_STOPPED = 9e15;

/** The indexes of `fields` in its state: the whole policy, in one place. */
export function indexed(fields: EntryFields, policy: LedgerPolicy): LedgerEntry {
  const trace = { dueAt: fields.createdAt + policy.deadCreateAfterMs, forgetAt: fields.createdAt + TRACE_RETENTION_MS };
  // Past its deadline and grace a session is the reaper's to end, not the visitor's call:
  // it no longer keeps its visitor from starting another (it still counts for the site).
  const visitorsCall = fields.deadline + policy.graceMs;
  switch (fields.state) {
    case 'pending': {
      const openUntil = fields.createdAt + policy.pendingTtlMs;
      return { ...fields, ...trace, openUntil, visitorOpenUntil: openUntil };
    }
    case 'unresolved':
      return { ...fields, ...trace, openUntil: 0, visitorOpenUntil: 0 };
    case 'running':
      return { ...fields, dueAt: Math.min(visitorsCall, fields.lastHeartbeat + policy.heartbeatTimeoutMs), openUntil: OPEN_UNTIL_STOPPED, visitorOpenUntil: visitorsCall, forgetAt: null };
    case 'stopping':
      return { ...fields, dueAt: fields.nextAttemptAt, openUntil: OPEN_UNTIL_STOPPED, visitorOpenUntil: visitorsCall, forgetAt: null };
    case 'stopped':
      return { ...fields, dueAt: null, openUntil: 0, visitorOpenUntil: 0, forgetAt: (fields.stoppedAt ?? fields.createdAt) + STOPPED_RETENTION_MS };
    default: {
      const unknown: never = fields.state;
      throw new TypeError(`unknown ledger state ${String(unknown)}`);
    }
  }
}

const ADMISSIONS: readonly LedgerState[] = ['pending', 'unresolved'];
const SESSIONS: readonly LedgerState[] = ['running', 'stopping'];
const NOT_STOPPED: readonly LedgerState[] = ['pending', 'unresolved', 'running', 'stopping'];

/** Why the reaper acts on a due session. */
export type DueCause = 'deadline' | 'heartbeat' | 'retry';

/** The ledger's verbs. */
export interface SessionLedger {
  /**
   * Records an admission as pending, if the caps allow (atomically); admitted, it comes back as
   * the ledger holds it. Its `consent` [none] stays with it, and with the session it becomes.
   */
  admit(
    admission: Pick<LedgerEntry, 'id' | 'preset' | 'origin' | 'visitorKey' | 'createdAt' | 'deadline' | 'reservedMinutes'> & { consent?: LedgerEntry['consent'] },
    caps: { perVisitor: number; global: number },
  ): Promise<(Admission & { admitted: false }) | { admitted: true; pending: LedgerEntry }>;
  /** Turns a pending admission into the running session Equos created (its id replaces the pending one). */
  activate(pending: LedgerEntry, session: Pick<LedgerEntry, 'id' | 'createdAt' | 'deadline' | 'lastHeartbeat'>): Promise<void>;
  /** A pending admission whose create may have started a session we never heard of. */
  markUnresolved(pendingId: string): Promise<void>;
  /**
   * Forgets a pending or unresolved admission (its session never started, or its orphan has
   * been looked for) and gives back its budget, once even if several instances do this.
   */
  forget(pending: LedgerEntry): Promise<void>;
  get(id: string): Promise<LedgerEntry | null>;
  /** Notes a heartbeat of a running session; returns the entry's state, or null when unknown. */
  heartbeat(id: string, at: number): Promise<LedgerState | null>;
  /**
   * Records that a session has ended at `at` (Equos confirmed, or does not know it: `end`
   * says which, and the stop's cause), with its usage and its `session.ended` event, and gives
   * back the part of its budget it did not use. Returns the entry when this call stopped it.
   */
  settleStopped(id: string, at: number, end: SessionEnd): Promise<LedgerEntry | null>;
  /** Counts an unconfirmed stop of `entry` (as read) and schedules the next attempt; whether it did. */
  recordStopFailure(entry: LedgerEntry, retryAt: number): Promise<boolean>;
  /** Sessions to stop at `now`, soonest first. */
  dueSessions(now: number, limit: number): Promise<LedgerEntry[]>;
  /** Admissions whose create is surely over without us learning its outcome, oldest first. */
  dueTraces(now: number, limit: number): Promise<LedgerEntry[]>;
  /** Looks at a trace again at `at` (its orphan sweep could not run now). */
  postponeTrace(entry: LedgerEntry, at: number): Promise<void>;
  /** Whether `entry` (as just read) is due at `now`, and why. */
  dueCause(entry: LedgerEntry, now: number): DueCause | null;
}

/** Options of `createSessionLedger`. */
export interface SessionLedgerOptions {
  /**
   * Write the webhook's events (`session.started`, `session.ended`) to the outbox with the
   * changes that cause them [false: no WEBHOOK_URL, so nobody would receive them]. Usage is
   * counted either way.
   */
  events?: boolean;
  /** Called after a store call that wrote an event (the delivery starts a pass at once) [none]. */
  onEvent?: () => void;
  /** Clock of the events' times, in ms [Date.now]. */
  now?: () => number;
}

/**
 * The ledger on `store` under `policy`.
 *
 * @example
 * const ledger = createSessionLedger(store, { pendingTtlMs: 20_000, deadCreateAfterMs: 40_000, graceMs: 30_000, heartbeatTimeoutMs: 90_000 }, { events: true, onEvent: () => webhooks.kick() });
 */
export function createSessionLedger(store: LedgerStore, policy: LedgerPolicy, options: SessionLedgerOptions = {}): SessionLedger {
  const { events = false, onEvent = () => {}, now = Date.now } = options;
  const entry = (fields: EntryFields) => indexed(fields, policy);
  return {
    async admit(admission, caps) {
      const pending = entry({ ...admission, consent: admission.consent ?? null, lastHeartbeat: admission.createdAt, stopAttempts: 0, state: 'pending', nextAttemptAt: 0, stoppedAt: null });
      const result = await store.insertWithinCaps(pending, caps, admission.createdAt);
      return result.admitted ? { admitted: true, pending } : result;
    },
    async activate(pending, session) {
      const running = entry({ ...pending, ...session, state: 'running' });
      if (!events) return store.replace(pending.id, running);
      await store.replace(pending.id, running, { event: sessionStarted(running, now()) });
      onEvent();
    },
    async markUnresolved(pendingId) {
      const pending = await store.get(pendingId);
      if (pending?.state === 'pending') await store.update(entry({ ...pending, state: 'unresolved' }), ['pending']);
    },
    async forget(pending) {
      if ((await store.remove(pending.id, ADMISSIONS)) && pending.reservedMinutes > 0) await store.addBudget(budgetDay(pending.createdAt), -pending.reservedMinutes);
    },
    get: (id) => store.get(id),
    async heartbeat(id, at) {
      const current = await store.get(id);
      if (!current) return null;
      if (current.state === 'running' && at > current.lastHeartbeat) await store.update(entry({ ...current, lastHeartbeat: at }), ['running']);
      return current.state;
    },
    async settleStopped(id, at, end) {
      const current = await store.get(id);
      if (!current || current.state === 'stopped') return null;
      const stopped = entry({ ...current, state: 'stopped', stoppedAt: at });
      // The usage and the event go with the change that makes them true: a second settle (another
      // instance's, a replayed stop) finds it stopped and adds nothing.
      const effects = { usage: usageOf(stopped, end), ...(events ? { event: sessionEnded(stopped, end, now()) } : {}) };
      if (!(await store.update(stopped, NOT_STOPPED, effects))) return null;
      if (events) onEvent();
      if (stopped.reservedMinutes > 0) {
        const usedMinutes = Math.max(0, Math.min(stopped.reservedMinutes, (at - stopped.createdAt) / 60_000));
        const refund = stopped.reservedMinutes - usedMinutes;
        // A refund that fails only makes the budget stricter; the stop itself is recorded.
        if (refund > 0) await store.addBudget(budgetDay(stopped.createdAt), -refund).catch(() => {});
      }
      return stopped;
    },
    recordStopFailure(current, retryAt) {
      if (!SESSIONS.includes(current.state)) return Promise.resolve(false);
      return store.update(entry({ ...current, state: 'stopping', stopAttempts: current.stopAttempts + 1, nextAttemptAt: retryAt }), SESSIONS);
    },
    dueSessions: (now, limit) => store.listDue(now, SESSIONS, limit),
    dueTraces: (now, limit) => store.listDue(now, ADMISSIONS, limit),
    async postponeTrace(trace, at) {
      await store.update({ ...entry(trace), dueAt: at }, [trace.state]);
    },
    dueCause(current, now) {
      if (current.dueAt === null || current.dueAt > now || !SESSIONS.includes(current.state)) return null;
      if (current.state === 'stopping') return 'retry';
      return current.deadline + policy.graceMs <= now ? 'deadline' : 'heartbeat';
    },
  };
}
