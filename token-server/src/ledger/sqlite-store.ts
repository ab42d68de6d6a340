/**
 * The ledger in an SQLite file (the default): a real database with zero set-up, surviving
 * restarts and crashes (write-ahead log). For one instance; several instances share a Redis
 * store instead.
 *
 * Writes are committed in groups: every write asked for during one turn of the event loop runs
 * in one transaction at the end of that turn (each still atomic on its own, a savepoint where it
 * is more than one statement), and each caller's promise resolves only once that transaction
 * has committed. So nothing is acknowledged before it is in the write-ahead log, as before, but
 * a busy server pays one commit (its locks, and each changed page written once) for many
 * writes instead of one each: per create and stop, seven commits were a fifth of the server's
 * CPU (issue 13). Reads run at once, on what is committed: no transaction is open between turns.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  BUDGET_RETENTION_MS,
  budgetDay,
  STALE_WINDOW_MS,
  USAGE_RETENTION_MS,
  type Admission,
  type EntryEffects,
  type IndexEntry,
  type LedgerEntry,
  type LedgerStore,
  } from './store.js';
import { ENTRY_COLUMN_NAMES, entryOfRow, entryValues, outboxEventOfRow, type EntryRow, type OutboxRow, type SqlValue } from './sql-rows.js';


/**
 * The layout's version (`PRAGMA user_version`): 2 keeps the indexes with the entries; 3 adds
 * the visitor's own open index (`visitor_open_until`); 4 the visitor's consent
 * (`consent_version`, `consent_at`); 5 the webhook outbox and the usage (`outbox`, `usage`).
 */
const LAYOUT = 5;

/** Layout 4's columns, added to a file of an earlier layout (its entries have no consent: NULL). */
const CONSENT_COLUMNS = ['consent_version TEXT', 'consent_at INTEGER'];

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS entries (
    id TEXT PRIMARY KEY,
    preset TEXT NOT NULL,
    origin TEXT,
    visitor_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    deadline INTEGER NOT NULL,
    last_heartbeat INTEGER NOT NULL,
    stop_attempts INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    stopped_at INTEGER,
    reserved_minutes REAL NOT NULL DEFAULT 0,
    due_at INTEGER,
    open_until INTEGER NOT NULL,
    visitor_open_until INTEGER NOT NULL,
    forget_at INTEGER,
    consent_version TEXT,
    consent_at INTEGER
  );
  -- Each query seeks its own index: a week of stopped sessions (open_until 0, due_at NULL)
  -- is never read by an admission or a reaper pass.
  CREATE INDEX IF NOT EXISTS entries_due ON entries (due_at) WHERE due_at IS NOT NULL;
  CREATE INDEX IF NOT EXISTS entries_open ON entries (open_until);
  CREATE INDEX IF NOT EXISTS entries_visitor_held ON entries (visitor_key, visitor_open_until);
  CREATE INDEX IF NOT EXISTS entries_forget ON entries (forget_at) WHERE forget_at IS NOT NULL;
  -- Claims of the reaper (also on orphans the ledger never recorded).
  CREATE TABLE IF NOT EXISTS leases (id TEXT PRIMARY KEY, owner TEXT NOT NULL, until INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS rate_windows (key TEXT PRIMARY KEY, window_start INTEGER NOT NULL, count INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS budget (day TEXT PRIMARY KEY, minutes REAL NOT NULL);
  -- What the deployment keeps once: its identity, its generated session secret.
  CREATE TABLE IF NOT EXISTS kept (name TEXT PRIMARY KEY, value TEXT NOT NULL);
  -- Events waiting for the webhook; seq keeps the order they were written in among equals.
  CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_attempt_at, seq);
  -- Ended sessions by the day they started, preset and origin ('' for none: NULLs are never equal in a key).
  CREATE TABLE IF NOT EXISTS usage (
    day TEXT NOT NULL,
    preset TEXT NOT NULL,
    origin TEXT NOT NULL,
    sessions INTEGER NOT NULL,
    minutes REAL NOT NULL,
    PRIMARY KEY (day, preset, origin)
  );
`;

const COLUMNS = ENTRY_COLUMN_NAMES.join(', ');
/** Each column's named parameter is its own name: `@id, @preset, …`. */
const VALUES = ENTRY_COLUMN_NAMES.map((column) => `@${column}`).join(', ');

/** `column = @column` for every column but the id. */
const ASSIGNMENTS = ENTRY_COLUMN_NAMES.slice(1)
  .map((column) => `${column} = @${column}`)
  .join(', ');

/** The named parameters of `entry` (`VALUES`). */
function bind(entry: LedgerEntry): Record<string, SqlValue> {
  const values = entryValues(entry);
  return Object.fromEntries(ENTRY_COLUMN_NAMES.map((column, index) => [column, values[index]!]));
}

/** `?, ?, …` for a list of values. */
const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');

/** Options of `createSqliteStore`. */
export interface SqliteStoreOptions {
  /**
   * Indexes the entries of a ledger file written by an earlier version (layout 1, which kept
   * no indexes) as it is opened [none: such a file is refused, saying so].
   */
  indexLegacy?: IndexEntry;
}

/**
 * Opens (and creates if needed) the ledger at `path` (`:memory:` for a throwaway one).
 *
 * @example
 * const store = createSqliteStore('data/ledger.sqlite', { indexLegacy: (fields) => indexed(fields, policy) });
 */
export function createSqliteStore(path: string, options: SqliteStoreOptions = {}): LedgerStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: a commit survives a crash or SIGKILL of this process, without an fsync per
  // commit. A power cut can lose the last few; the orphan sweep stops those sessions.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db, options.indexLegacy);
  // Every statement is compiled once, on first use.
  const statements = new Map<string, Database.Statement>();
  const sql = (text: string): Database.Statement => {
    let statement = statements.get(text);
    if (!statement) statements.set(text, (statement = db.prepare(text)));
    return statement;
  };
  const { write, flush } = groupCommit(db);

  const insert = sql(`INSERT INTO entries (${COLUMNS}) VALUES (${VALUES})`);
  const countAll = sql('SELECT COUNT(*) AS n FROM entries WHERE open_until > @now');
  const countVisitor = sql('SELECT COUNT(*) AS n FROM entries WHERE visitor_key = @visitorKey AND visitor_open_until > @now');
  const selectOne = sql('SELECT * FROM entries WHERE id = ?');
  const count = (now: number, visitorKey?: string) => ((visitorKey === undefined ? countAll.get({ now }) : countVisitor.get({ now, visitorKey })) as { n: number }).n;
  const insertWithinCaps = db.transaction((entry: LedgerEntry, caps: { perVisitor: number; global: number }, now: number): Admission => {
    if (count(now, entry.visitorKey) >= caps.perVisitor) return { admitted: false, reason: 'visitor-cap' };
    if (count(now) >= caps.global) return { admitted: false, reason: 'global-cap' };
    insert.run(bind(entry));
    return { admitted: true };
  });
  const keepEvent = sql(
    'INSERT INTO outbox (id, type, body, created_at, attempts, next_attempt_at) VALUES (@id, @type, @body, @createdAt, @attempts, @nextAttemptAt) ON CONFLICT(id) DO NOTHING',
  );
  const addUsage = sql(
    `INSERT INTO usage (day, preset, origin, sessions, minutes) VALUES (@day, @preset, @origin, 1, @minutes)
     ON CONFLICT(day, preset, origin) DO UPDATE SET sessions = sessions + 1, minutes = minutes + excluded.minutes`,
  );
  /** Keeps what an entry's change causes; runs inside that change's transaction. */
  const keep = (effects: EntryEffects | undefined) => {
    if (effects?.event) keepEvent.run(effects.event);
    if (effects?.usage) addUsage.run({ ...effects.usage, origin: effects.usage.origin ?? '' });
  };
  const replace = db.transaction((id: string, entry: LedgerEntry, effects: EntryEffects | undefined) => {
    sql('DELETE FROM entries WHERE id = ?').run(id);
    insert.run(bind(entry));
    keep(effects);
  });
  // A savepoint when it has effects: the guarded write and what it causes, both or neither.
  const update = db.transaction((text: string, bound: Record<string, string | number | null>, effects: EntryEffects | undefined) => {
    if (sql(text).run(bound).changes !== 1) return false;
    keep(effects);
    return true;
  });
  const claim = sql(
    `INSERT INTO leases (id, owner, until) VALUES (@id, @owner, @until)
     ON CONFLICT(id) DO UPDATE SET owner = excluded.owner, until = excluded.until WHERE leases.owner = excluded.owner OR leases.until <= @now`,
  );
  const housekeeping = db.transaction((now: number): number => {
    const entries = sql('DELETE FROM entries WHERE forget_at <= ?').run(now);
    const windows = sql('DELETE FROM rate_windows WHERE window_start <= ?').run(now - STALE_WINDOW_MS);
    sql('DELETE FROM leases WHERE until <= ?').run(now);
    sql('DELETE FROM budget WHERE day < ?').run(budgetDay(now - BUDGET_RETENTION_MS));
    sql('DELETE FROM usage WHERE day < ?').run(budgetDay(now - USAGE_RETENTION_MS));
    return entries.changes + windows.changes;
  });

  return {
    kind: 'sqlite',
    insertWithinCaps(entry, caps, now) {
      return write(() => insertWithinCaps(entry, caps, now));
    },
    replace(id, entry, effects) {
      return write(() => void replace(id, entry, effects));
    },
    async get(id) {
      const row = selectOne.get(id) as EntryRow | undefined;
      return row ? entryOfRow(row) : null;
    },
    update(entry, states, effects) {
      const guard = states.map((_, index) => `@s${index}`).join(', ');
      const bound = { ...bind(entry), ...Object.fromEntries(states.map((state, index) => [`s${index}`, state])) };
      const text = `UPDATE entries SET ${ASSIGNMENTS} WHERE id = @id AND state IN (${guard})`;
      if (!effects) return write(() => sql(text).run(bound).changes === 1);
      return write(() => update(text, bound, effects));
    },
    remove(id, states) {
      return write(() => sql(`DELETE FROM entries WHERE id = ? AND state IN (${placeholders(states.length)})`).run(id, ...states).changes === 1);
    },
    async listDue(now, states, limit) {
      const rows = sql(`SELECT * FROM entries WHERE due_at <= ? AND state IN (${placeholders(states.length)}) ORDER BY due_at LIMIT ?`).all(now, ...states, limit) as EntryRow[];
      return rows.map((row) => entryOfRow(row));
    },
    async countOpen(now, visitorKey) {
      return count(now, visitorKey);
    },
    claim(id, owner, now, leaseMs) {
      return write(() => claim.run({ id, owner, until: now + leaseMs, now }).changes === 1);
    },
    releaseClaim(id, owner) {
      return write(() => void sql('DELETE FROM leases WHERE id = ? AND owner = ?').run(id, owner));
    },
    housekeeping(now) {
      return write(() => housekeeping(now));
    },
    async hit(key, limit, windowMs, now) {
      const start = now - (now % windowMs);
      // One statement: a new window starts the count again, the current one adds to it.
      const { count: hits } = await write(
        () =>
          sql(
            `INSERT INTO rate_windows (key, window_start, count) VALUES (@key, @start, 1)
         ON CONFLICT(key) DO UPDATE SET count = CASE WHEN window_start = excluded.window_start THEN count + 1 ELSE 1 END, window_start = excluded.window_start
         RETURNING count`,
          ).get({ key, start }) as { count: number },
      );
      return { allowed: hits <= limit, retryAfterMs: start + windowMs - now };
    },
    addBudget(day, minutes) {
      return write(() => (sql('INSERT INTO budget (day, minutes) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET minutes = minutes + excluded.minutes RETURNING minutes').get(day, minutes) as { minutes: number }).minutes);
    },
    async budgetUsed(day) {
      return (sql('SELECT minutes FROM budget WHERE day = ?').get(day) as { minutes: number } | undefined)?.minutes ?? 0;
    },
    async listOutboxDue(now, limit) {
      return (sql('SELECT * FROM outbox WHERE next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT ?').all(now, limit) as OutboxRow[]).map((row) => outboxEventOfRow(row));
    },
    rescheduleOutbox(id, attempts, nextAttemptAt) {
      return write(() => void sql('UPDATE outbox SET attempts = ?, next_attempt_at = ? WHERE id = ?').run(attempts, nextAttemptAt, id));
    },
    removeOutbox(id) {
      return write(() => void sql('DELETE FROM outbox WHERE id = ?').run(id));
    },
    async outboxSize() {
      return (sql('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
    },
    async usage(fromDay, toDay) {
      const rows = sql('SELECT day, preset, origin, sessions, minutes FROM usage WHERE day >= ? AND day <= ? ORDER BY day, preset, origin').all(fromDay, toDay) as Array<{
        day: string;
        preset: string;
        origin: string;
        sessions: number;
        minutes: number;
      }>;
      return rows.map((row) => ({ ...row, origin: row.origin === '' ? null : row.origin }));
    },
    keepFirst(name, value) {
      return write(() => {
        sql('INSERT INTO kept (name, value) VALUES (?, ?) ON CONFLICT(name) DO NOTHING').run(name, value);
        return (sql('SELECT value FROM kept WHERE name = ?').get(name) as { value: string }).value;
      });
    },
    async close() {
      // What was asked for before the close is committed (or refused) first.
      flush();
      db.close();
    },
  };
}

/** One write: what it runs, and its caller's promise. */
interface PendingWrite {
  run: () => unknown;
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
  value?: unknown;
}

/**
 * Group commit on `db`: `write(run)` queues `run` for the end of this turn of the event loop,
 * where everything queued runs in one transaction; it resolves with `run`'s value once that
 * transaction has committed, and rejects when `run` throws (its own statements undone: one
 * statement is atomic in SQLite, and a multi-statement `db.transaction` nests as a savepoint)
 * or when the commit fails. `flush()` runs the queue now.
 */
function groupCommit(db: Database.Database): { write<T>(run: () => T): Promise<T>; flush(): void } {
  let queue: PendingWrite[] = [];
  let scheduled = false;
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');

  function flush(): void {
    scheduled = false;
    const writes = queue;
    queue = [];
    if (writes.length === 0) return;
    let done: PendingWrite[] = [];
    const failAll = (pending: PendingWrite[], error: unknown) => {
      for (const each of pending) each.reject(error);
    };
    try {
      if (db.inTransaction) throw new Error('the ledger has a transaction open outside the group commit');
      begin.run();
    } catch (error) {
      failAll(writes, error);
      return;
    }
    for (const [index, pending] of writes.entries()) {
      try {
        pending.value = pending.run();
        done.push(pending);
      } catch (error) {
        pending.reject(error);
        if (db.inTransaction) continue;
        // SQLite rolled the whole transaction back (a full disk, an I/O error): the writes run
        // before this one are gone with it. The rest get a transaction of their own.
        failAll(done, error);
        done = [];
        try {
          begin.run();
        } catch (beginError) {
          failAll(writes.slice(index + 1), beginError);
          return;
        }
      }
    }
    try {
      commit.run();
    } catch (error) {
      if (db.inTransaction) rollback.run();
      failAll(done, error);
      return;
    }
    for (const pending of done) pending.resolve(pending.value as never);
  }

  return {
    write<T>(run: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ run, resolve: resolve as (value: never) => void, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    flush,
  };
}

/**
 * Brings the file to the current layout, in one transaction. Layout 1 (a `sessions` table,
 * no indexes) is read row by row, indexed by the policy, and written to `entries`.
 */
function migrate(db: Database.Database, indexLegacy: IndexEntry | undefined): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === LAYOUT) {
    db.exec(SCHEMA);
    return;
  }
  if (version > LAYOUT) throw new Error(`the ledger file has layout ${version}, newer than this version reads (${LAYOUT}); upgrade the token server.`);
  if (version >= 2) {
    db.transaction(() => {
      if (version === 2) {
        // Layout 2 had one open index for both caps: the visitor's starts as a copy of it (as
        // strict as before), and each entry's next change sets it by the policy.
        db.exec('ALTER TABLE entries ADD COLUMN visitor_open_until INTEGER NOT NULL DEFAULT 0');
        db.exec('UPDATE entries SET visitor_open_until = open_until');
        db.exec('DROP INDEX IF EXISTS entries_visitor_open');
      }
      // Layouts 2 and 3 kept no consent: their entries read back with none.
      if (version <= 3) for (const column of CONSENT_COLUMNS) db.exec(`ALTER TABLE entries ADD COLUMN ${column}`);
      // Layouts 2 to 4 had no outbox and no usage: the schema adds both, empty (the sessions
      // that ended before count in no usage, and send no event).
      db.exec(SCHEMA);
      db.pragma(`user_version = ${LAYOUT}`);
    })();
    return;
  }
  const legacy = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sessions'").get() !== undefined;
  if (legacy && !indexLegacy) throw new Error('the ledger file is from an earlier version; open it with the token server (which indexes it) before using it here.');
  db.transaction(() => {
    db.exec(SCHEMA);
    if (legacy) {
      const insert = db.prepare(`INSERT OR REPLACE INTO entries (${COLUMNS}) VALUES (${VALUES})`);
      type LegacyRow = Omit<EntryRow, 'due_at' | 'open_until' | 'visitor_open_until' | 'forget_at' | 'consent_version' | 'consent_at'>;
      for (const row of db.prepare('SELECT * FROM sessions').all() as LegacyRow[]) {
        insert.run(bind(indexLegacy!(entryOfRow({ ...row, due_at: null, open_until: 0, visitor_open_until: 0, forget_at: null, consent_version: null, consent_at: null }))));
      }
      db.exec('DROP TABLE sessions');
    }
    db.pragma(`user_version = ${LAYOUT}`);
  })();
}
