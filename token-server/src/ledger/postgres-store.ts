/**
 * The ledger in PostgreSQL, for operators who run Postgres rather than Redis: several token
 * server instances (processes, machines) share one database, and every invariant the other
 * stores keep in one process holds across them.
 *
 * - Every verb but the admission is one statement, so it is atomic by itself; an entry's
 *   change and its effects (the outbox event, the usage) are one statement too (data-modifying
 *   CTEs: the effects are inserted from the changed row, so a guard that fails adds nothing).
 * - `insertWithinCaps` takes a transaction-scoped advisory lock on the deployment's admissions,
 *   then counts and inserts. Under READ COMMITTED each statement reads what was committed
 *   before it began, and the lock is released only after the holder's commit is visible, so
 *   the next admission always counts the last one: two instances cannot both take the last
 *   place. SERIALIZABLE would do it without a lock but fails every concurrent admission
 *   but one (they all read the same open entries) and needs retries; the lock just queues
 *   them, each holding it for two round trips (the count-and-insert, the commit). Three in
 *   all: the transaction's start and its lock go in one.
 * - Claims (the reaper's and the orphan sweeper's leases) are rows, taken by an upsert that
 *   only overwrites a lease of the same owner or one that lapsed. A lease outlives the
 *   transaction (the reaper calls Equos while holding it), so `FOR UPDATE SKIP LOCKED`,
 *   which holds a row lock for one transaction, does not fit.
 * - `keepFirst` inserts (ON CONFLICT DO NOTHING, which waits for a racing insert to commit)
 *   and then reads in a second statement, which sees whichever value won.
 *
 * Tables (in one schema, `equos_avatar` unless named, created on open with the layout's
 * version in `meta`): entries, leases, rate_windows, budget, kept, outbox, usage, meta.
 * Times are BIGINT ms since the epoch, minutes DOUBLE PRECISION.
 */
import pg from 'pg';
import { POSTGRES_SCHEMA_PATTERN, readPostgresUrl } from './postgres-location.js';
import { BUDGET_RETENTION_MS, budgetDay, STALE_WINDOW_MS, USAGE_RETENTION_MS, type Admission, type EntryEffects, type LedgerEntry, type LedgerStore, type UsageRow } from './store.js';
import { ENTRY_COLUMNS, entryOfRow, entryValues, outboxEventOfRow, type EntryRow, type OutboxRow } from './sql-rows.js';

/** The layout's version (`meta.layout`). */
const LAYOUT = 1;

const COLUMNS = ENTRY_COLUMNS.map(([column]) => column).join(', ');
/** `$1::text, $2::text, …`: the entry's values as a row to select from. */
const TYPED_VALUES = ENTRY_COLUMNS.map(([, type], index) => `$${index + 1}::${type}`).join(', ');
/** `preset = $2, …`: every column but the id. */
const ASSIGNMENTS = ENTRY_COLUMNS.slice(1)
  .map(([column], index) => `${column} = $${index + 2}`)
  .join(', ');
const FROM_EXCLUDED = ENTRY_COLUMNS.slice(1)
  .map(([column]) => `${column} = excluded.${column}`)
  .join(', ');

/** The tables, indexes and the layout's row, in `schema` (a checked identifier). */
function schemaStatements(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `CREATE TABLE IF NOT EXISTS ${s}.meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${s}.entries (
      id TEXT PRIMARY KEY,
      preset TEXT NOT NULL,
      origin TEXT,
      visitor_key TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      deadline BIGINT NOT NULL,
      last_heartbeat BIGINT NOT NULL,
      stop_attempts INTEGER NOT NULL,
      state TEXT NOT NULL,
      next_attempt_at BIGINT NOT NULL,
      stopped_at BIGINT,
      reserved_minutes DOUBLE PRECISION NOT NULL,
      due_at BIGINT,
      open_until BIGINT NOT NULL,
      visitor_open_until BIGINT NOT NULL,
      forget_at BIGINT,
      consent_version TEXT,
      consent_at BIGINT
    )`,
    // Each query seeks its own index: a week of stopped sessions (open_until 0, due_at NULL)
    // is never read by an admission or a reaper pass.
    `CREATE INDEX IF NOT EXISTS entries_due ON ${s}.entries (due_at) WHERE due_at IS NOT NULL`,
    `CREATE INDEX IF NOT EXISTS entries_open ON ${s}.entries (open_until)`,
    `CREATE INDEX IF NOT EXISTS entries_visitor_open ON ${s}.entries (visitor_key, visitor_open_until)`,
    `CREATE INDEX IF NOT EXISTS entries_forget ON ${s}.entries (forget_at) WHERE forget_at IS NOT NULL`,
    // Claims of the reaper and the orphan sweeper (also on sessions the ledger never recorded).
    `CREATE TABLE IF NOT EXISTS ${s}.leases (id TEXT PRIMARY KEY, owner TEXT NOT NULL, until BIGINT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${s}.rate_windows (key TEXT PRIMARY KEY, window_start BIGINT NOT NULL, count INTEGER NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${s}.budget (day TEXT PRIMARY KEY, minutes DOUBLE PRECISION NOT NULL)`,
    // What the deployment keeps once: its identity, its generated session secret.
    `CREATE TABLE IF NOT EXISTS ${s}.kept (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    // `seq` orders events due at the same time as they were written.
    `CREATE TABLE IF NOT EXISTS ${s}.outbox (
      id TEXT PRIMARY KEY,
      seq BIGINT GENERATED ALWAYS AS IDENTITY,
      type TEXT NOT NULL,
      body TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      attempts INTEGER NOT NULL,
      next_attempt_at BIGINT NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS outbox_due ON ${s}.outbox (next_attempt_at, seq)`,
    `CREATE TABLE IF NOT EXISTS ${s}.usage (day TEXT NOT NULL, preset TEXT NOT NULL, origin TEXT, sessions INTEGER NOT NULL, minutes DOUBLE PRECISION NOT NULL)`,
    // One row per day, preset and origin, a null origin its own (NULLS NOT DISTINCT needs 15).
    `CREATE UNIQUE INDEX IF NOT EXISTS usage_key ON ${s}.usage (day, preset, (COALESCE('=' || origin, '')))`,
  ];
}

/** A BIGINT as pg hands it over (text, so no precision is lost on the way) as a number of ms. */
function int(value: string | number): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new RangeError(`the Postgres ledger holds ${value}, past what a JavaScript number keeps exactly`);
  return number;
}

/** A time for a BIGINT column: whole ms (a setting like 1.1 s makes 1100.0000000000002). */
const ms = (value: number | null) => (value === null ? null : Math.round(value));

const toEntry = (row: EntryRow<string>) => entryOfRow(row, int);
const toEvent = (row: OutboxRow<string>) => outboxEventOfRow(row, int);
/** The parameters `$1…$18` of `entry`, in `ENTRY_COLUMNS` order, its times whole ms. */
const values = (entry: LedgerEntry) => entryValues(entry, Math.round);

/** Options of `createPostgresStore`. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/database`, optionally with `?schema=name` (pg's own parameters, such as `sslmode`, pass through). */
  url: string;
  /**
   * The schema the tables live in, created if missing [the URL's `schema` parameter, else
   * `equos_avatar`]: deployments sharing a database each take their own.
   */
  schema?: string;
  /** Connections this instance keeps open at most [10]. */
  maxConnections?: number;
  /**
   * How long a connection, or one statement, may take before the call fails (and the request
   * answers 503), in ms [10000]: an unreachable database is an error, not a request that hangs.
   */
  timeoutMs?: number;
}

/** A pool error on an idle connection, or one on a checked-out connection between queries: the calls report it. */
const ignore = () => {};

/**
 * Connects the Postgres ledger; resolves once the database is reachable and its schema is in
 * the current layout (created, on first use, in one transaction that racing instances queue
 * for). Rejects when it cannot be reached or holds a newer layout.
 *
 * @example
 * const store = await createPostgresStore({ url: process.env.DATABASE_URL! });
 * const shared = await createPostgresStore({ url: 'postgres://avatar@db.internal/site', schema: 'avatar_staging' });
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<LedgerStore> {
  const location = readPostgresUrl(options.url);
  const schema = options.schema ?? location.schema;
  if (!POSTGRES_SCHEMA_PATTERN.test(schema)) throw new TypeError(`createPostgresStore: schema "${schema.slice(0, 64)}" must be 1–63 lower-case letters, digits or _ (starting with a letter or _).`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pool = new pg.Pool({
    connectionString: location.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: timeoutMs,
    // Client-side: a statement on a connection that went silent fails (and the connection is dropped).
    query_timeout: timeoutMs,
    keepAlive: true,
    application_name: 'equos-avatar token server',
  });
  // An idle connection the server closed (a restart, a failover): the pool drops it, and the
  // next call opens another or fails with the reason.
  pool.on('error', ignore);

  const t = (table: string) => `"${schema}".${table}`;
  /**
   * Takes the deployment's advisory lock for `purpose` until the transaction ends: keyed by the
   * schema, so deployments sharing a database do not queue for each other. A literal (the
   * schema is a checked identifier, the purpose ours), so it can share a round trip.
   */
  const lock = (purpose: 'admission' | 'layout') => `SELECT pg_advisory_xact_lock(hashtext('equos-avatar:${schema}:${purpose}'))`;
  const rows = async <Row>(text: string, params: unknown[] = []) => (await pool.query(text, params)).rows as Row[];
  const changed = async (text: string, params: unknown[]) => ((await pool.query(text, params)).rowCount ?? 0) > 0;

  /**
   * Runs `work` in a transaction on one connection, holding the advisory lock for `purpose`
   * from its start. Its locks cannot outlive a stuck caller: waiting for one fails after half
   * the timeout, and a transaction left idle that long is ended by the server.
   */
  async function transaction<T>(purpose: 'admission' | 'layout', work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    client.on('error', ignore);
    let failed = false;
    try {
      // One round trip (no parameters, so several statements may go at once): the
      // transaction's limits, then its lock.
      const limit = Math.round(timeoutMs / 2);
      await client.query(`BEGIN; SET LOCAL lock_timeout = ${limit}; SET LOCAL idle_in_transaction_session_timeout = ${limit}; ${lock(purpose)}`);
      const value = await work(client);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      client.off('error', ignore);
      // A failed transaction's connection is not reused: it may be mid-way or gone (the server
      // rolls back what a closed connection left open).
      client.release(failed);
    }
  }

  /** The CTEs that keep `effects` from the row `written` returns (none: nothing), with their parameters from `$first`. */
  function effectsSql(effects: EntryEffects | undefined, first: number): { sql: string; params: unknown[] } {
    const params: unknown[] = [];
    /** The next parameter, `value`, typed (a value selected, not inserted, has no type of its own). */
    const param = (value: unknown, type: string) => `$${first + params.push(value) - 1}::${type}`;
    let sql = '';
    if (effects?.event) {
      const { id, type, body, createdAt, attempts, nextAttemptAt } = effects.event;
      sql += `, event AS (INSERT INTO ${t('outbox')} (id, type, body, created_at, attempts, next_attempt_at)
        SELECT ${param(id, 'text')}, ${param(type, 'text')}, ${param(body, 'text')}, ${param(ms(createdAt), 'bigint')}, ${param(attempts, 'integer')}, ${param(ms(nextAttemptAt), 'bigint')} FROM written
        ON CONFLICT (id) DO NOTHING)`;
    }
    if (effects?.usage) {
      const { day, preset, origin, minutes } = effects.usage;
      sql += `, counted AS (INSERT INTO ${t('usage')} AS u (day, preset, origin, sessions, minutes)
        SELECT ${param(day, 'text')}, ${param(preset, 'text')}, ${param(origin, 'text')}, 1, ${param(minutes, 'double precision')} FROM written
        ON CONFLICT (day, preset, (COALESCE('=' || origin, ''))) DO UPDATE SET sessions = u.sessions + 1, minutes = u.minutes + excluded.minutes)`;
    }
    return { sql, params };
  }

  const store: LedgerStore = {
    kind: 'postgres',
    insertWithinCaps(entry, caps, now): Promise<Admission> {
      return transaction('admission', async (client) => {
        // Counted after the lock, in a statement of its own: it sees every admission committed before.
        const { rows: [result] } = await client.query(
          `WITH counts AS (
             SELECT (SELECT count(*) FROM ${t('entries')} WHERE visitor_key = $4 AND visitor_open_until > $19) AS visitor,
                    (SELECT count(*) FROM ${t('entries')} WHERE open_until > $19) AS total
           ), inserted AS (
             INSERT INTO ${t('entries')} (${COLUMNS}) SELECT ${TYPED_VALUES} FROM counts WHERE visitor < $20::double precision AND total < $21::double precision RETURNING 1
           )
           SELECT visitor::float8 >= $20::double precision AS visitor_full, (SELECT count(*) FROM inserted)::int AS inserted FROM counts`,
          [...values(entry), ms(now), caps.perVisitor, caps.global],
        );
        const { visitor_full: visitorFull, inserted } = result as { visitor_full: boolean; inserted: number };
        if (inserted === 1) return { admitted: true };
        return { admitted: false, reason: visitorFull ? 'visitor-cap' : 'global-cap' };
      });
    },
    async replace(id, entry, effects) {
      const { sql, params } = effectsSql(effects, 20);
      await pool.query(
        `WITH removed AS (DELETE FROM ${t('entries')} WHERE id = $19 AND id <> $1),
         written AS (INSERT INTO ${t('entries')} (${COLUMNS}) VALUES (${TYPED_VALUES}) ON CONFLICT (id) DO UPDATE SET ${FROM_EXCLUDED} RETURNING 1)${sql}
         SELECT count(*) FROM written`,
        [...values(entry), id, ...params],
      );
    },
    async get(id) {
      const [row] = await rows<EntryRow<string>>(`SELECT * FROM ${t('entries')} WHERE id = $1`, [id]);
      return row ? toEntry(row) : null;
    },
    async update(entry, states, effects) {
      const { sql, params } = effectsSql(effects, 20);
      const [row] = await rows<{ n: number }>(
        `WITH written AS (UPDATE ${t('entries')} SET ${ASSIGNMENTS} WHERE id = $1 AND state = ANY($19::text[]) RETURNING 1)${sql}
         SELECT count(*)::int AS n FROM written`,
        [...values(entry), [...states], ...params],
      );
      return row!.n === 1;
    },
    remove(id, states) {
      return changed(`DELETE FROM ${t('entries')} WHERE id = $1 AND state = ANY($2::text[])`, [id, [...states]]);
    },
    async listDue(now, states, limit) {
      const due = await rows<EntryRow<string>>(`SELECT * FROM ${t('entries')} WHERE due_at <= $1 AND state = ANY($2::text[]) ORDER BY due_at LIMIT $3`, [ms(now), [...states], limit]);
      return due.map(toEntry);
    },
    async countOpen(now, visitorKey) {
      const [row] =
        visitorKey === undefined
          ? await rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${t('entries')} WHERE open_until > $1`, [ms(now)])
          : await rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${t('entries')} WHERE visitor_key = $1 AND visitor_open_until > $2`, [visitorKey, ms(now)]);
      return row!.n;
    },
    claim(id, owner, now, leaseMs) {
      // The conflicting row is locked and re-read before the condition: racing claims queue.
      return changed(
        `INSERT INTO ${t('leases')} AS held (id, owner, until) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, until = excluded.until WHERE held.owner = excluded.owner OR held.until <= $4`,
        [id, owner, ms(now + leaseMs), ms(now)],
      );
    },
    async releaseClaim(id, owner) {
      await pool.query(`DELETE FROM ${t('leases')} WHERE id = $1 AND owner = $2`, [id, owner]);
    },
    async housekeeping(now) {
      const [row] = await rows<{ n: number }>(
        `WITH forgotten AS (DELETE FROM ${t('entries')} WHERE forget_at <= $1 RETURNING 1),
         past_windows AS (DELETE FROM ${t('rate_windows')} WHERE window_start <= $2 RETURNING 1),
         lapsed AS (DELETE FROM ${t('leases')} WHERE until <= $1),
         old_budget AS (DELETE FROM ${t('budget')} WHERE day < $3),
         old_usage AS (DELETE FROM ${t('usage')} WHERE day < $4)
         SELECT ((SELECT count(*) FROM forgotten) + (SELECT count(*) FROM past_windows))::int AS n`,
        [ms(now), ms(now - STALE_WINDOW_MS), budgetDay(now - BUDGET_RETENTION_MS), budgetDay(now - USAGE_RETENTION_MS)],
      );
      return row!.n;
    },
    async hit(key, limit, windowMs, now) {
      const start = now - (now % windowMs);
      // One upsert: a newer window starts the count again, the current one adds to it (and an
      // instance whose clock lags a little counts into the newer window, never restarts it).
      const [row] = await rows<{ count: number }>(
        `INSERT INTO ${t('rate_windows')} AS w (key, window_start, count) VALUES ($1, $2, 1)
         ON CONFLICT (key) DO UPDATE SET count = CASE WHEN excluded.window_start > w.window_start THEN 1 ELSE w.count + 1 END,
                                         window_start = GREATEST(w.window_start, excluded.window_start)
         RETURNING count`,
        [key, ms(start)],
      );
      return { allowed: row!.count <= limit, retryAfterMs: start + windowMs - now };
    },
    async addBudget(day, minutes) {
      const [row] = await rows<{ minutes: number }>(
        `INSERT INTO ${t('budget')} AS b (day, minutes) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE SET minutes = b.minutes + excluded.minutes RETURNING minutes`,
        [day, minutes],
      );
      return row!.minutes;
    },
    async budgetUsed(day) {
      const [row] = await rows<{ minutes: number }>(`SELECT minutes FROM ${t('budget')} WHERE day = $1`, [day]);
      return row?.minutes ?? 0;
    },
    async keepFirst(name, value) {
      // Two statements: the insert waits for a racing one to commit, and the read that follows
      // (a snapshot of its own) sees the value that won.
      await pool.query(`INSERT INTO ${t('kept')} (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [name, value]);
      const [row] = await rows<{ value: string }>(`SELECT value FROM ${t('kept')} WHERE name = $1`, [name]);
      return row?.value ?? value;
    },
    async listOutboxDue(now, limit) {
      const due = await rows<OutboxRow<string>>(`SELECT id, type, body, created_at, attempts, next_attempt_at FROM ${t('outbox')} WHERE next_attempt_at <= $1 ORDER BY next_attempt_at, seq LIMIT $2`, [ms(now), limit]);
      return due.map(toEvent);
    },
    async rescheduleOutbox(id, attempts, nextAttemptAt) {
      await pool.query(`UPDATE ${t('outbox')} SET attempts = $2, next_attempt_at = $3 WHERE id = $1`, [id, attempts, ms(nextAttemptAt)]);
    },
    async removeOutbox(id) {
      await pool.query(`DELETE FROM ${t('outbox')} WHERE id = $1`, [id]);
    },
    async outboxSize() {
      const [row] = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${t('outbox')}`);
      return row!.n;
    },
    async usage(fromDay, toDay): Promise<UsageRow[]> {
      return rows<UsageRow>(`SELECT day, preset, origin, sessions, minutes FROM ${t('usage')} WHERE day >= $1 AND day <= $2 ORDER BY day, preset, origin NULLS FIRST`, [fromDay, toDay]);
    },
    close: (() => {
      let closing: Promise<void> | undefined;
      // Once: ending a pool twice throws.
      return () => (closing ??= pool.end());
    })(),
  };

  /**
   * Brings the schema to the current layout. When it is there already nothing is created, so
   * a user without the right to create tables can run an instance once the first has. Else,
   * under a lock racing instances queue for (a concurrent CREATE TABLE IF NOT EXISTS can fail),
   * the schema and its tables are created and the layout recorded.
   */
  async function migrate(): Promise<void> {
    const layoutOf = async (query: (text: string, params: unknown[]) => Promise<pg.QueryResult>): Promise<number | null> => {
      const [found] = (await query('SELECT to_regclass($1) IS NOT NULL AS present', [`"${schema}".meta`])).rows as Array<{ present: boolean }>;
      if (!found!.present) return null;
      const [row] = (await query(`SELECT value FROM ${t('meta')} WHERE key = 'layout'`, [])).rows as Array<{ value: string }>;
      return row ? Number(row.value) : null;
    };
    const check = (layout: number | null) => {
      if (layout !== null && layout > LAYOUT) throw new Error(`the Postgres ledger (schema ${schema}) has layout ${layout}, newer than this version reads (${LAYOUT}); upgrade the token server.`);
      return layout === LAYOUT;
    };
    if (check(await layoutOf((text, params) => pool.query(text, params)))) return;
    await transaction('layout', async (client) => {
      const query = (text: string, params: unknown[]) => client.query(text, params);
      if (check(await layoutOf(query))) return;
      const exists = (await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount === 1;
      if (!exists) await client.query(`CREATE SCHEMA "${schema}"`);
      for (const statement of schemaStatements(schema)) await client.query(statement);
      await client.query(`INSERT INTO ${t('meta')} (key, value) VALUES ('layout', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [String(LAYOUT)]);
    });
  }

  try {
    await migrate();
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  return store;
}
