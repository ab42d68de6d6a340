/**
 * The ledger's storage: entries (the sessions the token server started, and the admissions
 * that came before them) and the counters that protect the site's credits (rates and the
 * daily budget), shared by every instance of a deployment.
 *
 * A store keeps what it is given and answers a few queries over three indexes every entry
 * carries: `dueAt` (when the reaper must look at it), `openUntil` (until when it counts
 * against the caps) and `forgetAt` (when it may be deleted). It knows nothing of what the
 * states mean: the policy that sets those indexes lives once, in ../sessions/session-ledger.ts.
 * So a new store (Postgres, a Durable Object) implements these verbs and passes
 * `describeStoreContract` (./testing/store-contract.ts), and the policy holds for it as is.
 *
 * Memory (tests, one process), SQLite (the default: a real file, zero set-up) and Redis
 * (several instances) implement it.
 *
 * Besides entries it keeps what their changes cause: events for the operator's webhook (an
 * outbox, written in the same atomic step as the change that causes them, so a crash between
 * the two cannot lose one; ../webhooks/ delivers them) and the usage they add up to (sessions
 * and minutes per day, preset and origin, for the usage export).
 */

/** Where an entry is in its life (../sessions/session-ledger.ts says what each state means). */
export type LedgerState = 'pending' | 'unresolved' | 'running' | 'stopping' | 'stopped';

/** Every state. */
export const LEDGER_STATES: readonly LedgerState[] = ['pending', 'unresolved', 'running', 'stopping', 'stopped'];

/**
 * The visitor's consent to the site's AI disclosure, as the browser sent it and the token server
 * checked it (../sessions/consent.ts): which version of the text, and when it was accepted.
 */
export interface LedgerConsent {
  /** The site's consent text version (contract's `CONSENT_VERSION_PATTERN`). */
  version: string;
  /** When the visitor accepted it, ms since the epoch (may be long before the session). */
  acceptedAt: number;
}

/** One entry. Times are ms since the epoch. */
export interface LedgerEntry {
  /** The Equos session's id, or `pending-<uuid>` for an admission Equos has not answered yet. */
  id: string;
  preset: string;
  origin: string | null;
  /** A keyed hash of the visitor's network (never the address itself). */
  visitorKey: string;
  createdAt: number;
  /** When its maximum duration ends. */
  deadline: number;
  lastHeartbeat: number;
  stopAttempts: number;
  state: LedgerState;
  /** When an unconfirmed stop is tried again. */
  nextAttemptAt: number;
  stoppedAt: number | null;
  /** Minutes reserved from the daily budget (refunded down to the real duration at the stop). */
  reservedMinutes: number;
  /** The visitor's consent, when the browser sent one; null: none was given (or asked for). */
  consent: LedgerConsent | null;
  /** When the reaper must look at it; null: never. */
  dueAt: number | null;
  /** It counts against the global cap while `openUntil > now`; 0: not at all. */
  openUntil: number;
  /** It counts against its visitor's cap while `visitorOpenUntil > now` (never past `openUntil`). */
  visitorOpenUntil: number;
  /** When it may be deleted; null: not while it may still bill. */
  forgetAt: number | null;
}

/** An entry without its indexes. */
export type EntryFields = Omit<LedgerEntry, 'dueAt' | 'openUntil' | 'visitorOpenUntil' | 'forgetAt'>;

/**
 * Sets an entry's indexes (the policy's `indexed`): what a store needs to bring entries
 * written by an earlier version, which kept no indexes, into its layout.
 */
export type IndexEntry = (fields: EntryFields) => LedgerEntry;

/** What the outbox carries: a session started (Equos runs it, the browser has its token), or ended. */
export type OutboxEventType = 'session.started' | 'session.ended';

/** An event waiting in the ledger to be delivered to the operator's webhook. */
export interface OutboxEvent {
  /** Stable across retries and instances (`<type>:<session id>`): the receiver's idempotency key. */
  id: string;
  type: OutboxEventType;
  /** The event's JSON body, exactly as it will be signed and sent. */
  body: string;
  createdAt: number;
  /** Delivery attempts so far. */
  attempts: number;
  /** When the next attempt is due. */
  nextAttemptAt: number;
}

/** Ended sessions added up for one UTC day, preset and origin. */
export interface UsageRow {
  /** `YYYY-MM-DD` (`budgetDay` of the session's start). */
  day: string;
  preset: string;
  /** The page's origin; null for a create without one. */
  origin: string | null;
  sessions: number;
  minutes: number;
}

/**
 * What an entry's change causes, kept in the same atomic step as the change: both or neither.
 * A store applies them only when the change itself is made (an `update` whose guard fails
 * adds nothing).
 */
export interface EntryEffects {
  /** An event for the outbox; when one of its id is there already, that one is kept (no duplicates). */
  event?: OutboxEvent;
  /** One ended session of `minutes`, added to its day's, preset's and origin's usage. */
  usage?: { day: string; preset: string; origin: string | null; minutes: number };
}

/** The outcome of an insert within the caps. */
export type Admission = { admitted: true } | { admitted: false; reason: 'visitor-cap' | 'global-cap' };

/** The entries half of the ledger. Every method is atomic on its own. */
export interface EntryStore {
  /**
   * Inserts `entry` if, at `now`, fewer than `caps.perVisitor` entries of its `visitorKey`
   * are open for their visitor (`visitorOpenUntil`) and fewer than `caps.global` are open in
   * all (`openUntil`), in one atomic step (two
   * instances cannot both take the last place).
   */
  insertWithinCaps(entry: LedgerEntry, caps: { perVisitor: number; global: number }, now: number): Promise<Admission>;
  /** Replaces entry `id` with `entry` (which may have another id), and keeps `effects` [none], in one step. */
  replace(id: string, entry: LedgerEntry, effects?: EntryEffects): Promise<void>;
  get(id: string): Promise<LedgerEntry | null>;
  /**
   * Writes `entry` over the stored entry of its id if that one is in one of `states`, and then
   * keeps `effects` [none], in one step; whether it did.
   */
  update(entry: LedgerEntry, states: readonly LedgerState[], effects?: EntryEffects): Promise<boolean>;
  /** Deletes entry `id` if it is in one of `states`; whether this call did. */
  remove(id: string, states: readonly LedgerState[]): Promise<boolean>;
  /** Entries in one of `states` with `dueAt <= now`, soonest due first, at most `limit`. */
  listDue(now: number, states: readonly LedgerState[], limit: number): Promise<LedgerEntry[]>;
  /** Entries open at `now`: overall (`openUntil > now`), or for one visitor (`visitorOpenUntil > now`). */
  countOpen(now: number, visitorKey?: string): Promise<number>;
  /**
   * Claims `id` (an entry's, or any Equos session's) for `owner` for `leaseMs` from `now`, so
   * that with several instances each is worked on by one of them at a time. Returns whether
   * the claim is held (re-claiming one's own claim extends it).
   */
  claim(id: string, owner: string, now: number, leaseMs: number): Promise<boolean>;
  /** Gives up `owner`'s claim (another owner's claim is left alone). */
  releaseClaim(id: string, owner: string): Promise<void>;
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

/** The outbox and the usage its events add up to (written through `EntryEffects`). */
export interface OutboxStore {
  /** Events due at `now` (`nextAttemptAt <= now`), soonest first, at most `limit`. */
  listOutboxDue(now: number, limit: number): Promise<OutboxEvent[]>;
  /** Records a failed delivery of event `id`: its attempts so far and when to try again (nothing if it is gone). */
  rescheduleOutbox(id: string, attempts: number, nextAttemptAt: number): Promise<void>;
  /** Deletes event `id` (delivered, or given up on); nothing if it is gone. */
  removeOutbox(id: string): Promise<void>;
  /** How many events wait in the outbox. */
  outboxSize(): Promise<number>;
  /** The usage of the days from `fromDay` to `toDay` (inclusive, `YYYY-MM-DD`), by day, preset and origin. */
  usage(fromDay: string, toDay: string): Promise<UsageRow[]>;
}

/** Usage rows stay readable this long (a year of monthly reconciliations, and a month more). */
export const USAGE_RETENTION_MS = 400 * 24 * 3600 * 1000;

/** Rate windows (at most a minute long) this old are over. */
export const STALE_WINDOW_MS = 3600 * 1000;
/** Daily budget totals stay readable this long after their last change, then are forgotten. */
export const BUDGET_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** What a deployment keeps once and shares between its instances (its identity, its secret). */
export interface DeploymentStore {
  /**
   * Keeps `value` under `name` unless a value is kept there already, in one atomic step, and
   * returns the kept value: instances racing to make one agree on the first. Kept values are
   * never forgotten.
   */
  keepFirst(name: string, value: string): Promise<string>;
}

/** A ledger backend. */
export interface LedgerStore extends EntryStore, LimitStore, DeploymentStore, OutboxStore {
  /** Which backend, for logs. */
  readonly kind: 'memory' | 'sqlite' | 'redis' | 'postgres' | 'durable-object';
  /**
   * Deletes what no longer matters at `now`, so the ledger does not grow forever: entries
   * whose `forgetAt` has passed, past rate windows, lapsed claims, budget days older than
   * `BUDGET_RETENTION_MS`, usage days older than `USAGE_RETENTION_MS` (never the outbox: its
   * events leave when delivered or given up on). Returns how many entries and rate windows went (Redis expires its
   * keys itself: 0).
   */
  housekeeping(now: number): Promise<number>;
  close(): Promise<void>;
}

/** The UTC day of `ms`, the budget's key (`YYYY-MM-DD`, so days sort as strings). */
export function budgetDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
