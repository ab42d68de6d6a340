/**
 * The ledger in a SQLite-backed Cloudflare Durable Object, for the token server on Workers.
 *
 * Two halves, both runtime-neutral (no Cloudflare types: ../workers/ledger-object.ts is the
 * Durable Object class that joins them):
 * - `openLedgerTables(storage)`: every verb of `LedgerStore` on the object's `ctx.storage.sql`,
 *   synchronous, in the dialect of ./sqlite-store.ts (SQLite);
 * - `createDurableObjectStore(ledger)`: the `LedgerStore` a Worker uses, each verb one RPC
 *   call to that object (entries cross as structured-clone values).
 *
 * One object serves a whole deployment (`idFromName(LEDGER_OBJECT_NAME)`): it runs one call at
 * a time, so it serialises the deployment's writes like one SQLite file does for one process,
 * and every isolate, wherever Cloudflare runs it, sees the same ledger.
 *
 * Why each verb is atomic: a verb runs all its statements synchronously (`sql.exec` does not
 * return a promise) and never awaits in between, so the object's input gate lets no other call
 * in before it has finished, and its output gate holds the answer until the writes are
 * durable. Verbs that write more than one statement run them in `transactionSync`, so an
 * exception half-way (a constraint, a full object) undoes them all: both or neither, as
 * `EntryEffects` requires of an entry's change and what it causes.
 */
import {
  BUDGET_RETENTION_MS,
  budgetDay,
  STALE_WINDOW_MS,
  USAGE_RETENTION_MS,
  type Admission,
  type EntryEffects,
  type LedgerStore,
  type UsageRow,
} from './store.js';
import { ENTRY_COLUMN_NAMES, entryOfRow, entryValues, outboxEventOfRow, type EntryRow, type OutboxRow, type SqlValue } from './sql-rows.js';

/** The name of the deployment's one ledger object (`namespace.idFromName(LEDGER_OBJECT_NAME)`). */
export const LEDGER_OBJECT_NAME = 'ledger';

export type { SqlValue } from './sql-rows.js';

/**
 * The part of a Durable Object's `ctx.storage` the ledger uses: its SQL API and synchronous
 * transactions (`DurableObjectStorage` from @cloudflare/workers-types fits).
 */
export interface DurableObjectSqlStorage {
  sql: { exec(query: string, ...bindings: SqlValue[]): { toArray(): unknown[] } };
  transactionSync<T>(closure: () => T): T;
}

/** The verbs of a `LedgerStore` (its `kind` and `close` are the Worker side's own). */
export type LedgerVerb = Exclude<keyof LedgerStore, 'kind' | 'close'>;

/** The ledger's verbs as the Durable Object runs them: synchronously, each one whole. */
export type LedgerTables = { [Verb in LedgerVerb]: (...args: Parameters<LedgerStore[Verb]>) => Awaited<ReturnType<LedgerStore[Verb]>> };

/** The ledger's verbs as a Worker calls them on the object's stub: each one a promise. */
export type LedgerRpc = { [Verb in LedgerVerb]: (...args: Parameters<LedgerStore[Verb]>) => Promise<Awaited<ReturnType<LedgerStore[Verb]>>> };

/**
 * The tables' layout. A newer layout adds columns and tables with `ALTER TABLE` from the one
 * it finds; an object of a newer layout than this code knows is refused (a rolled-back Worker
 * must not write rows it cannot read).
 */
const LAYOUT = 1;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS entries (
    id TEXT PRIMARY KEY,
    preset TEXT NOT NULL,
    origin TEXT,
    visitor_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    deadline INTEGER NOT NULL,
    last_heartbeat INTEGER NOT NULL,
    stop_attempts INTEGER NOT NULL,
    state TEXT NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    stopped_at INTEGER,
    reserved_minutes REAL NOT NULL,
    due_at INTEGER,
    open_until INTEGER NOT NULL,
    visitor_open_until INTEGER NOT NULL,
    forget_at INTEGER,
    consent_version TEXT,
    consent_at INTEGER
  )`,
  // Each query seeks its own index, as in ./sqlite-store.ts: stopped sessions kept for a week
  // (open_until 0, due_at NULL) are never read by an admission or a reaper pass.
  'CREATE INDEX IF NOT EXISTS entries_due ON entries (due_at) WHERE due_at IS NOT NULL',
  'CREATE INDEX IF NOT EXISTS entries_open ON entries (open_until)',
  'CREATE INDEX IF NOT EXISTS entries_visitor_held ON entries (visitor_key, visitor_open_until)',
  'CREATE INDEX IF NOT EXISTS entries_forget ON entries (forget_at) WHERE forget_at IS NOT NULL',
  'CREATE TABLE IF NOT EXISTS leases (id TEXT PRIMARY KEY, owner TEXT NOT NULL, until INTEGER NOT NULL)',
  'CREATE TABLE IF NOT EXISTS rate_windows (key TEXT PRIMARY KEY, window_start INTEGER NOT NULL, count INTEGER NOT NULL)',
  'CREATE TABLE IF NOT EXISTS budget (day TEXT PRIMARY KEY, minutes REAL NOT NULL)',
  'CREATE TABLE IF NOT EXISTS kept (name TEXT PRIMARY KEY, value TEXT NOT NULL)',
  `CREATE TABLE IF NOT EXISTS outbox (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_attempt_at)',
  // A null origin is a key of its own: origin_key is the origin as JSON ('null' for none),
  // since SQLite's keys never take two NULLs for the same.
  `CREATE TABLE IF NOT EXISTS usage (
    day TEXT NOT NULL,
    preset TEXT NOT NULL,
    origin_key TEXT NOT NULL,
    origin TEXT,
    sessions INTEGER NOT NULL,
    minutes REAL NOT NULL,
    PRIMARY KEY (day, preset, origin_key)
  )`,
  'CREATE TABLE IF NOT EXISTS layout (version INTEGER NOT NULL)',
];

/** `?, ?, …` for a list of values. */
const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');

const INSERT_ENTRY = `INSERT INTO entries (${ENTRY_COLUMN_NAMES.join(', ')}) VALUES (${placeholders(ENTRY_COLUMN_NAMES.length)})`;
/** `column = ?` for every column but the id, then the id. */
const UPDATE_ENTRY = `UPDATE entries SET ${ENTRY_COLUMN_NAMES.slice(1)
  .map((column) => `${column} = ?`)
  .join(', ')} WHERE id = ?`;

/**
 * Creates the tables if they are not there, and returns the ledger's verbs on them. Call it in
 * the Durable Object's constructor: it runs synchronously, before the object takes any call.
 *
 * @throws Error when the object holds a layout newer than this code reads
 * @example
 * export class Ledger extends DurableObject {
 *   readonly #tables = openLedgerTables(this.ctx.storage);
 *   get(id: string) { return this.#tables.get(id); }
 * }
 */
export function openLedgerTables(storage: DurableObjectSqlStorage): LedgerTables {
  const rows = <T>(query: string, ...bindings: SqlValue[]) => storage.sql.exec(query, ...bindings).toArray() as T[];
  /** Runs a write and tells how many rows it touched (its `RETURNING 1` rows). */
  const changed = (query: string, ...bindings: SqlValue[]) => rows(`${query} RETURNING 1`, ...bindings).length;

  storage.transactionSync(() => {
    for (const statement of SCHEMA) storage.sql.exec(statement);
    const found = rows<{ version: number }>('SELECT version FROM layout')[0]?.version;
    if (found === undefined) storage.sql.exec('INSERT INTO layout (version) VALUES (?)', LAYOUT);
    else if (found > LAYOUT) throw new Error(`the ledger object has layout ${found}, newer than this version reads (${LAYOUT}); deploy the newer token server.`);
  });

  const count = (now: number, visitorKey?: string) =>
    (visitorKey === undefined
      ? rows<{ n: number }>('SELECT COUNT(*) AS n FROM entries WHERE open_until > ?', now)
      : rows<{ n: number }>('SELECT COUNT(*) AS n FROM entries WHERE visitor_key = ? AND visitor_open_until > ?', visitorKey, now))[0]!.n;

  /** Keeps what an entry's change causes; called inside that change's transaction. */
  const keep = (effects: EntryEffects | undefined) => {
    const { event, usage } = effects ?? {};
    if (event) {
      storage.sql.exec(
        'INSERT INTO outbox (id, type, body, created_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING',
        event.id,
        event.type,
        event.body,
        event.createdAt,
        event.attempts,
        event.nextAttemptAt,
      );
    }
    if (usage) {
      storage.sql.exec(
        `INSERT INTO usage (day, preset, origin_key, origin, sessions, minutes) VALUES (?, ?, ?, ?, 1, ?)
         ON CONFLICT(day, preset, origin_key) DO UPDATE SET sessions = sessions + 1, minutes = minutes + excluded.minutes`,
        usage.day,
        usage.preset,
        JSON.stringify(usage.origin),
        usage.origin,
        usage.minutes,
      );
    }
  };

  return {
    insertWithinCaps(entry, caps, now): Admission {
      if (count(now, entry.visitorKey) >= caps.perVisitor) return { admitted: false, reason: 'visitor-cap' };
      if (count(now) >= caps.global) return { admitted: false, reason: 'global-cap' };
      storage.sql.exec(INSERT_ENTRY, ...entryValues(entry));
      return { admitted: true };
    },
    replace(id, entry, effects) {
      storage.transactionSync(() => {
        storage.sql.exec('DELETE FROM entries WHERE id = ?', id);
        storage.sql.exec(INSERT_ENTRY, ...entryValues(entry));
        keep(effects);
      });
    },
    get(id) {
      const row = rows<EntryRow>('SELECT * FROM entries WHERE id = ?', id)[0];
      return row ? entryOfRow(row) : null;
    },
    update(entry, states, effects) {
      return storage.transactionSync(() => {
        const [id, ...fields] = entryValues(entry);
        if (changed(`${UPDATE_ENTRY} AND state IN (${placeholders(states.length)})`, ...fields, id!, ...states) !== 1) return false;
        keep(effects);
        return true;
      });
    },
    remove(id, states) {
      return changed(`DELETE FROM entries WHERE id = ? AND state IN (${placeholders(states.length)})`, id, ...states) === 1;
    },
    listDue(now, states, limit) {
      return rows<EntryRow>(`SELECT * FROM entries WHERE due_at <= ? AND state IN (${placeholders(states.length)}) ORDER BY due_at LIMIT ?`, now, ...states, limit).map((row) => entryOfRow(row));
    },
    countOpen(now, visitorKey) {
      return count(now, visitorKey);
    },
    claim(id, owner, now, leaseMs) {
      return (
        changed(
          `INSERT INTO leases (id, owner, until) VALUES (?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET owner = excluded.owner, until = excluded.until WHERE leases.owner = excluded.owner OR leases.until <= ?`,
          id,
          owner,
          now + leaseMs,
          now,
        ) === 1
      );
    },
    releaseClaim(id, owner) {
      storage.sql.exec('DELETE FROM leases WHERE id = ? AND owner = ?', id, owner);
    },
    housekeeping(now) {
      return storage.transactionSync(() => {
        const entries = changed('DELETE FROM entries WHERE forget_at <= ?', now);
        const windows = changed('DELETE FROM rate_windows WHERE window_start <= ?', now - STALE_WINDOW_MS);
        storage.sql.exec('DELETE FROM leases WHERE until <= ?', now);
        storage.sql.exec('DELETE FROM budget WHERE day < ?', budgetDay(now - BUDGET_RETENTION_MS));
        storage.sql.exec('DELETE FROM usage WHERE day < ?', budgetDay(now - USAGE_RETENTION_MS));
        return entries + windows;
      });
    },
    hit(key, limit, windowMs, now) {
      const start = now - (now % windowMs);
      // One statement: a new window starts the count again, the current one adds to it.
      const hits = rows<{ count: number }>(
        `INSERT INTO rate_windows (key, window_start, count) VALUES (?, ?, 1)
         ON CONFLICT(key) DO UPDATE SET count = CASE WHEN window_start = excluded.window_start THEN count + 1 ELSE 1 END, window_start = excluded.window_start
         RETURNING count`,
        key,
        start,
      )[0]!.count;
      return { allowed: hits <= limit, retryAfterMs: start + windowMs - now };
    },
    addBudget(day, minutes) {
      return rows<{ minutes: number }>('INSERT INTO budget (day, minutes) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET minutes = minutes + excluded.minutes RETURNING minutes', day, minutes)[0]!.minutes;
    },
    budgetUsed(day) {
      return rows<{ minutes: number }>('SELECT minutes FROM budget WHERE day = ?', day)[0]?.minutes ?? 0;
    },
    keepFirst(name, value) {
      storage.sql.exec('INSERT INTO kept (name, value) VALUES (?, ?) ON CONFLICT(name) DO NOTHING', name, value);
      return rows<{ value: string }>('SELECT value FROM kept WHERE name = ?', name)[0]!.value;
    },
    listOutboxDue(now, limit) {
      return rows<OutboxRow>('SELECT * FROM outbox WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?', now, limit).map((row) => outboxEventOfRow(row));
    },
    rescheduleOutbox(id, attempts, nextAttemptAt) {
      storage.sql.exec('UPDATE outbox SET attempts = ?, next_attempt_at = ? WHERE id = ?', attempts, nextAttemptAt, id);
    },
    removeOutbox(id) {
      storage.sql.exec('DELETE FROM outbox WHERE id = ?', id);
    },
    outboxSize() {
      return rows<{ n: number }>('SELECT COUNT(*) AS n FROM outbox')[0]!.n;
    },
    usage(fromDay, toDay): UsageRow[] {
      return rows<UsageRow>('SELECT day, preset, origin, sessions, minutes FROM usage WHERE day >= ? AND day <= ? ORDER BY day, preset, origin_key', fromDay, toDay);
    },
  };
}

/**
 * The `LedgerStore` of a Worker: each verb one call to the ledger object. `ledger` is asked for
 * a stub on every call, as Cloudflare advises: creating one is cheap, and a stub that saw an
 * error (the object reset, a lost connection) may stay broken. A failed call rejects, like any
 * store's, and a request answers 503 `ledger-unavailable`; no call is retried here, as a write
 * may have happened before its answer was lost.
 *
 * @param ledger the ledger object's stub
 * @example
 * const id = env.LEDGER.idFromName(LEDGER_OBJECT_NAME);
 * const store = createDurableObjectStore(() => env.LEDGER.get(id));
 */
export function createDurableObjectStore(ledger: () => LedgerRpc): LedgerStore {
  return {
    kind: 'durable-object',
    insertWithinCaps: (entry, caps, now) => ledger().insertWithinCaps(entry, caps, now),
    replace: (id, entry, effects) => ledger().replace(id, entry, effects),
    get: (id) => ledger().get(id),
    update: (entry, states, effects) => ledger().update(entry, states, effects),
    remove: (id, states) => ledger().remove(id, states),
    listDue: (now, states, limit) => ledger().listDue(now, states, limit),
    countOpen: (now, visitorKey) => ledger().countOpen(now, visitorKey),
    claim: (id, owner, now, leaseMs) => ledger().claim(id, owner, now, leaseMs),
    releaseClaim: (id, owner) => ledger().releaseClaim(id, owner),
    housekeeping: (now) => ledger().housekeeping(now),
    hit: (key, limit, windowMs, now) => ledger().hit(key, limit, windowMs, now),
    addBudget: (day, minutes) => ledger().addBudget(day, minutes),
    budgetUsed: (day) => ledger().budgetUsed(day),
    keepFirst: (name, value) => ledger().keepFirst(name, value),
    listOutboxDue: (now, limit) => ledger().listOutboxDue(now, limit),
    rescheduleOutbox: (id, attempts, nextAttemptAt) => ledger().rescheduleOutbox(id, attempts, nextAttemptAt),
    removeOutbox: (id) => ledger().removeOutbox(id),
    outboxSize: () => ledger().outboxSize(),
    usage: (fromDay, toDay) => ledger().usage(fromDay, toDay),
    // The object outlives every Worker that calls it: nothing to close.
    async close() {},
  };
}
