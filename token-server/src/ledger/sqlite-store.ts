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
import { BUDGET_RETENTION_MS, budgetDay, STALE_WINDOW_MS, type Admission, type IndexEntry, type LedgerEntry, type LedgerState, type LedgerStore } from './store.js';

interface Row {
  id: string;
  preset: string;
  origin: string | null;
  visitor_key: string;
  created_at: number;
  deadline: number;
  last_heartbeat: number;
  stop_attempts: number;
  state: LedgerState;
  next_attempt_at: number;
  stopped_at: number | null;
  reserved_minutes: number;
  due_at: number | null;
  open_until: number;
  visitor_open_until: number;
  forget_at: number | null;
  consent_version: string | null;
  consent_at: number | null;
}

/**
 * The layout's version (`PRAGMA user_version`): 2 keeps the indexes with the entries; 3 adds
 * the visitor's own open index (`visitor_open_until`); 4 the visitor's consent
 * (`consent_version`, `consent_at`).
 */
const LAYOUT = 4;

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
`;

const COLUMNS =
  'id, preset, origin, visitor_key, created_at, deadline, last_heartbeat, stop_attempts, state, next_attempt_at, stopped_at, reserved_minutes, due_at, open_until, visitor_open_until, forget_at, consent_version, consent_at';
const VALUES =
  '@id, @preset, @origin, @visitorKey, @createdAt, @deadline, @lastHeartbeat, @stopAttempts, @state, @nextAttemptAt, @stoppedAt, @reservedMinutes, @dueAt, @openUntil, @visitorOpenUntil, @forgetAt, @consentVersion, @consentAt';

/** `column = @field` for every column but the id. */
const ASSIGNMENTS = COLUMNS.split(', ')
  .slice(1)
  .map((column, index) => `${column} = ${VALUES.split(', ')[index + 1]}`)
  .join(', ');

const toEntry = (row: Row): LedgerEntry => ({
  id: row.id,
  preset: row.preset,
  origin: row.origin,
  visitorKey: row.visitor_key,
  createdAt: row.created_at,
  deadline: row.deadline,
  lastHeartbeat: row.last_heartbeat,
  stopAttempts: row.stop_attempts,
  state: row.state,
  nextAttemptAt: row.next_attempt_at,
  stoppedAt: row.stopped_at,
  reservedMinutes: row.reserved_minutes,
  dueAt: row.due_at,
  openUntil: row.open_until,
  visitorOpenUntil: row.visitor_open_until,
  forgetAt: row.forget_at,
  consent: row.consent_version !== null && row.consent_at !== null ? { version: row.consent_version, acceptedAt: row.consent_at } : null,
});

/** The named parameters of `entry` (`VALUES`): its consent in two columns. */
function bind(entry: LedgerEntry): Record<string, string | number | null> {
  const { consent, ...fields } = entry;
  return { ...fields, consentVersion: consent?.version ?? null, consentAt: consent?.acceptedAt ?? null };
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
  const replace = db.transaction((id: string, entry: LedgerEntry) => {
    sql('DELETE FROM entries WHERE id = ?').run(id);
    insert.run(bind(entry));
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
    return entries.changes + windows.changes;
  });

  return {
    kind: 'sqlite',
    insertWithinCaps(entry, caps, now) {
      return write(() => insertWithinCaps(entry, caps, now));
    },
    replace(id, entry) {
      return write(() => void replace(id, entry));
    },
    async get(id) {
      const row = selectOne.get(id) as Row | undefined;
      return row ? toEntry(row) : null;
    },
    update(entry, states) {
      const guard = states.map((_, index) => `@s${index}`).join(', ');
      const bound = Object.fromEntries(states.map((state, index) => [`s${index}`, state]));
      return write(() => sql(`UPDATE entries SET ${ASSIGNMENTS} WHERE id = @id AND state IN (${guard})`).run({ ...bind(entry), ...bound }).changes === 1);
    },
    remove(id, states) {
      return write(() => sql(`DELETE FROM entries WHERE id = ? AND state IN (${placeholders(states.length)})`).run(id, ...states).changes === 1);
    },
    async listDue(now, states, limit) {
      const rows = sql(`SELECT * FROM entries WHERE due_at <= ? AND state IN (${placeholders(states.length)}) ORDER BY due_at LIMIT ?`).all(now, ...states, limit) as Row[];
      return rows.map(toEntry);
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
      for (const column of CONSENT_COLUMNS) db.exec(`ALTER TABLE entries ADD COLUMN ${column}`);
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
      type LegacyRow = Omit<Row, 'due_at' | 'open_until' | 'visitor_open_until' | 'forget_at' | 'consent_version' | 'consent_at'>;
      for (const row of db.prepare('SELECT * FROM sessions').all() as LegacyRow[]) {
        insert.run(bind(indexLegacy!(toEntry({ ...row, due_at: null, open_until: 0, visitor_open_until: 0, forget_at: null, consent_version: null, consent_at: null }))));
      }
      db.exec('DROP TABLE sessions');
    }
    db.pragma(`user_version = ${LAYOUT}`);
  })();
}
