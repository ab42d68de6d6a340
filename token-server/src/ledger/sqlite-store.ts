/**
 * The ledger in an SQLite file (the default): a real database with zero set-up, surviving
 * restarts and crashes (write-ahead log). For one instance; several
 * instances share a Redis store instead.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { BUDGET_RETENTION_MS, budgetDay, STOPPED_RETENTION_MS, STALE_PENDING_MS, STALE_WINDOW_MS, type Admission, type AdmissionLimits, type DueQuery, type LedgerState, type LedgerStore, type SessionRecord } from './store.js';

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
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS sessions (
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
    reserved_minutes REAL NOT NULL DEFAULT 0
  );
  -- Claims of the reaper (also on orphans the ledger never recorded).
  CREATE TABLE IF NOT EXISTS leases (id TEXT PRIMARY KEY, owner TEXT NOT NULL, until INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS sessions_open ON sessions (state, deadline, last_heartbeat);
  CREATE INDEX IF NOT EXISTS sessions_visitor ON sessions (visitor_key, state);
  CREATE TABLE IF NOT EXISTS rate_windows (key TEXT PRIMARY KEY, window_start INTEGER NOT NULL, count INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS budget (day TEXT PRIMARY KEY, minutes REAL NOT NULL);
`;

const toRecord = (row: Row): SessionRecord => ({
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
});

/**
 * Opens (and creates if needed) the ledger at `path` (`:memory:` for a throwaway one).
 *
 * @example
 * const store = createSqliteStore('data/ledger.sqlite');
 */
export function createSqliteStore(path: string): LedgerStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: a commit survives a crash or SIGKILL of this process, without an fsync per
  // commit. A power cut can lose the last few; the orphan sweep stops those sessions.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  // Every statement is compiled once, on first use.
  const statements = new Map<string, Database.Statement>();
  const sql = (text: string): Database.Statement => {
    let statement = statements.get(text);
    if (!statement) statements.set(text, (statement = db.prepare(text)));
    return statement;
  };

  const insert = sql(`INSERT INTO sessions (id, preset, origin, visitor_key, created_at, deadline, last_heartbeat, stop_attempts, state, next_attempt_at, stopped_at, reserved_minutes)
    VALUES (@id, @preset, @origin, @visitorKey, @createdAt, @deadline, @lastHeartbeat, @stopAttempts, @state, @nextAttemptAt, @stoppedAt, @reservedMinutes)`);
  const openCount = (visitor: boolean) =>
    // `state IN (…)` lets SQLite seek the open rows in an index, rather than read every stopped
    // session of the last 7 days (of the site, or of one busy visitor) on each admission.
    sql(
      `SELECT COUNT(*) AS n FROM sessions WHERE ${visitor ? 'visitor_key = @visitorKey AND ' : ''}state IN ('running', 'stopping', 'pending') AND (state != 'pending' OR created_at > @expired)`,
    );
  const countAll = openCount(false);
  const countVisitor = openCount(true);
  const selectOne = sql('SELECT * FROM sessions WHERE id = ?');
  const admit = db.transaction((pending: SessionRecord, limits: AdmissionLimits): Admission => {
    const expired = pending.createdAt - limits.pendingTtlMs;
    if ((countVisitor.get({ expired, visitorKey: pending.visitorKey }) as { n: number }).n >= limits.perVisitor) return { admitted: false, reason: 'visitor-cap' };
    if ((countAll.get({ expired }) as { n: number }).n >= limits.global) return { admitted: false, reason: 'global-cap' };
    insert.run({ ...pending, state: 'pending' });
    return { admitted: true };
  });
  const activate = db.transaction((pendingId: string, record: SessionRecord) => {
    sql('DELETE FROM sessions WHERE id = ?').run(pendingId);
    insert.run(record);
  });
  const claim = sql(
    `INSERT INTO leases (id, owner, until) VALUES (@id, @owner, @until)
     ON CONFLICT(id) DO UPDATE SET owner = excluded.owner, until = excluded.until WHERE leases.owner = excluded.owner OR leases.until <= @now`,
  );
  const housekeeping = db.transaction((now: number): number => {
    const sessions = sql(`DELETE FROM sessions WHERE (state = 'stopped' AND stopped_at <= ?) OR (state IN ('pending', 'unresolved') AND created_at <= ?)`).run(now - STOPPED_RETENTION_MS, now - STALE_PENDING_MS);
    const windows = sql('DELETE FROM rate_windows WHERE window_start <= ?').run(now - STALE_WINDOW_MS);
    sql('DELETE FROM leases WHERE until <= ?').run(now);
    sql('DELETE FROM budget WHERE day < ?').run(budgetDay(now - BUDGET_RETENTION_MS));
    return sessions.changes + windows.changes;
  });

  return {
    kind: 'sqlite',
    async admit(pending, limits) {
      return admit(pending, limits);
    },
    async activate(pendingId, record) {
      activate(pendingId, record);
    },
    async release(pendingId) {
      return sql(`DELETE FROM sessions WHERE id = ? AND state IN ('pending', 'unresolved')`).run(pendingId).changes === 1;
    },
    async markUnresolved(pendingId) {
      sql(`UPDATE sessions SET state = 'unresolved' WHERE id = ? AND state = 'pending'`).run(pendingId);
    },
    async listStalePending(before, limit) {
      return (sql(`SELECT * FROM sessions WHERE state IN ('pending', 'unresolved') AND created_at < ? ORDER BY created_at LIMIT ?`).all(before, limit) as Row[]).map(toRecord);
    },
    async get(id) {
      const row = selectOne.get(id) as Row | undefined;
      return row ? toRecord(row) : null;
    },
    async heartbeat(id, at) {
      // One statement: the state of any known session, the heartbeat noted for running ones.
      const row = sql(
        `UPDATE sessions SET last_heartbeat = CASE WHEN state = 'running' THEN MAX(last_heartbeat, @at) ELSE last_heartbeat END
         WHERE id = @id RETURNING state`,
      ).get({ id, at }) as { state: LedgerState } | undefined;
      return row?.state ?? null;
    },
    async markStopped(id, at) {
      const row = sql(`UPDATE sessions SET state = 'stopped', stopped_at = ? WHERE id = ? AND state != 'stopped' RETURNING *`).get(at, id) as Row | undefined;
      return row ? toRecord(row) : null;
    },
    async recordStopFailure(id, nextAttemptAt) {
      sql(`UPDATE sessions SET state = 'stopping', stop_attempts = stop_attempts + 1, next_attempt_at = ? WHERE id = ? AND state != 'stopped'`).run(nextAttemptAt, id);
    },
    async listDue(query: DueQuery) {
      const rows = sql(
          `SELECT * FROM sessions WHERE
             (state = 'running' AND (deadline + @graceMs <= @now OR last_heartbeat + @heartbeatTimeoutMs <= @now))
             OR (state = 'stopping' AND next_attempt_at <= @now)
           ORDER BY deadline LIMIT @limit`,
        )
        .all(query) as Row[];
      return rows.map(toRecord);
    },
    async claim(id, owner, now, leaseMs) {
      return claim.run({ id, owner, until: now + leaseMs, now }).changes === 1;
    },
    async releaseClaim(id, owner) {
      sql('DELETE FROM leases WHERE id = ? AND owner = ?').run(id, owner);
    },
    async housekeeping(now) {
      return housekeeping(now);
    },
    async countOpen({ now, pendingTtlMs, visitorKey }) {
      const expired = now - pendingTtlMs;
      const row = (visitorKey === undefined ? countAll.get({ expired }) : countVisitor.get({ expired, visitorKey })) as { n: number };
      return row.n;
    },
    async hit(key, limit, windowMs, now) {
      const start = now - (now % windowMs);
      // One statement: a new window starts the count again, the current one adds to it.
      const { count } = sql(
        `INSERT INTO rate_windows (key, window_start, count) VALUES (@key, @start, 1)
         ON CONFLICT(key) DO UPDATE SET count = CASE WHEN window_start = excluded.window_start THEN count + 1 ELSE 1 END, window_start = excluded.window_start
         RETURNING count`,
      ).get({ key, start }) as { count: number };
      return { allowed: count <= limit, retryAfterMs: start + windowMs - now };
    },
    async addBudget(day, minutes) {
      return (sql('INSERT INTO budget (day, minutes) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET minutes = minutes + excluded.minutes RETURNING minutes').get(day, minutes) as { minutes: number }).minutes;
    },
    async budgetUsed(day) {
      return (sql('SELECT minutes FROM budget WHERE day = ?').get(day) as { minutes: number } | undefined)?.minutes ?? 0;
    },
    async close() {
      db.close();
    },
  };
}
