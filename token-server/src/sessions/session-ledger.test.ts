/**
 * What the ledger's states mean (sessions/session-ledger.ts), over every store: the one
 * policy must hold the same on memory, SQLite, Redis and Postgres, since they only keep what it says.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPostgres, type RunningPostgres } from '../../test/postgres-server.js';
import { startRedis, type RunningRedis } from '../../test/redis-server.js';
import { createMemoryStore } from '../ledger/memory-store.js';
import { createPostgresStore } from '../ledger/postgres-store.js';
import { createRedisStore } from '../ledger/redis-store.js';
import { createSqliteStore } from '../ledger/sqlite-store.js';
import { budgetDay, type LedgerEntry, type LedgerStore } from '../ledger/store.js';
import { entry } from '../ledger/testing/store-contract.js';
import { createSessionLedger, indexed, STOPPED_RETENTION_MS, TRACE_RETENTION_MS, type LedgerPolicy, type SessionLedger } from './session-ledger.js';

const T0 = 1_800_000_000_000;
const POLICY: LedgerPolicy = { pendingTtlMs: 60_000, deadCreateAfterMs: 1000, graceMs: 10_000, heartbeatTimeoutMs: 60_000 };
const CAPS = { perVisitor: 2, global: 3 };
/** How the sessions here end: the visitor hangs up, Equos confirms. */
const ENDED = { cause: 'visitor', unknownAtEquos: false } as const;

let redis: RunningRedis;
let postgres: RunningPostgres;
let prefixes = 0;
beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
}, 30_000);
afterAll(() => Promise.all([redis?.close(), postgres?.close()]));

const STORES: Array<[string, () => LedgerStore | Promise<LedgerStore>]> = [
  ['memory', () => createMemoryStore()],
  ['sqlite', () => createSqliteStore(':memory:')],
  // A fresh key prefix per test: an empty store without flushing the server.
  ['redis', () => createRedisStore({ url: redis.url, prefix: `sl${(prefixes += 1)}:` })],
  // A fresh schema per test, in the one database.
  ['postgres', () => createPostgresStore({ url: postgres.url, schema: `policy_${(prefixes += 1)}` })],
];

/** An admission of `visitor-a` at T0 (5 reserved minutes, a 5-minute session). */
function admission(id: string, patch: Partial<LedgerEntry> = {}) {
  const { preset, origin, visitorKey, createdAt, deadline, reservedMinutes } = entry(id, patch);
  return { id, preset, origin, visitorKey, createdAt, deadline, reservedMinutes };
}

describe.each(STORES)('the ledger on %s', (_name, make) => {
  let store: LedgerStore;
  let ledger: SessionLedger;
  beforeEach(async () => {
    store = await make();
    ledger = createSessionLedger(store, POLICY);
  });
  afterEach(() => store.close());

  /** Admits and activates `id` (pending id `p-<id>`). */
  async function start(id: string, patch: Partial<LedgerEntry> = {}) {
    const admitted = await ledger.admit(admission(`p-${id}`, patch), CAPS);
    expect(admitted).toMatchObject({ admitted: true, pending: { id: `p-${id}`, state: 'pending' } });
    const pending = (await ledger.get(`p-${id}`))!;
    expect(admitted.admitted && admitted.pending).toEqual(pending);
    await ledger.activate(pending, { id, createdAt: patch.createdAt ?? T0, deadline: patch.deadline ?? T0 + 300_000, lastHeartbeat: patch.lastHeartbeat ?? T0 });
  }

  it('writes a session.started with the activation and a session.ended and its usage with the settle, once, and no event when events are off', async () => {
    const kicks: string[] = [];
    const withEvents = createSessionLedger(store, POLICY, { events: true, onEvent: () => kicks.push('kick'), now: () => T0 + 500_000 });
    const admitted = await withEvents.admit(admission('p-1'), CAPS);
    if (!admitted.admitted) throw new Error('not admitted');
    await withEvents.activate(admitted.pending, { id: 'ses_1', createdAt: T0, deadline: T0 + 300_000, lastHeartbeat: T0 });
    expect(kicks).toHaveLength(1);
    expect(await withEvents.settleStopped('ses_1', T0 + 330_000, { cause: 'deadline', unknownAtEquos: false })).toMatchObject({ state: 'stopped' });
    // Settled again (another instance, a replayed stop): nothing more.
    expect(await withEvents.settleStopped('ses_1', T0 + 340_000, { cause: 'retry', unknownAtEquos: false })).toBeNull();
    expect(kicks).toHaveLength(2);
    const events = await store.listOutboxDue(T0 + 500_000, 10);
    expect(events.map((event) => [event.id, event.type, event.createdAt, event.attempts])).toEqual([
      ['session.started:ses_1', 'session.started', T0 + 500_000, 0],
      ['session.ended:ses_1', 'session.ended', T0 + 500_000, 0],
    ]);
    expect(JSON.parse(events[1]!.body)).toMatchObject({ data: { session_id: 'ses_1', end_cause: 'deadline', duration_seconds: 330, ended_at: new Date(T0 + 330_000).toISOString() } });
    expect(await store.usage(budgetDay(T0), budgetDay(T0))).toEqual([{ day: budgetDay(T0), preset: 'default', origin: 'https://shop.example', sessions: 1, minutes: 5.5 }]);
    // Without events (no WEBHOOK_URL), the usage still counts.
    await start('ses_2', { visitorKey: 'visitor-b' });
    await ledger.settleStopped('ses_2', T0 + 60_000, ENDED);
    expect(await store.outboxSize()).toBe(2);
    expect(await store.usage(budgetDay(T0), budgetDay(T0))).toMatchObject([{ sessions: 2, minutes: 6.5 }]);
  });

  it('admits, activates and reads back a session', async () => {
    await start('ses_1');
    expect(await ledger.get('ses_1')).toEqual(
      indexed({ ...admission('ses_1'), consent: null, lastHeartbeat: T0, stopAttempts: 0, state: 'running', nextAttemptAt: 0, stoppedAt: null }, POLICY),
    );
    expect(await ledger.get('p-ses_1')).toBeNull();
    expect(await ledger.get('ses_unknown')).toBeNull();
  });

  it("keeps the visitor's consent from the admission through the session to its stop", async () => {
    const consent = { version: 'v3', acceptedAt: T0 - 60_000 };
    const admitted = await ledger.admit({ ...admission('p-ses_1'), consent }, CAPS);
    expect(admitted).toMatchObject({ admitted: true, pending: { state: 'pending', consent } });
    await ledger.activate((await ledger.get('p-ses_1'))!, { id: 'ses_1', createdAt: T0, deadline: T0 + 300_000, lastHeartbeat: T0 });
    await ledger.heartbeat('ses_1', T0 + 1000);
    expect(await ledger.get('ses_1')).toMatchObject({ state: 'running', lastHeartbeat: T0 + 1000, consent });
    expect(await ledger.settleStopped('ses_1', T0 + 2000, ENDED)).toMatchObject({ state: 'stopped', consent });
    expect((await ledger.get('ses_1'))?.consent).toEqual(consent);
  });

  it('caps open sessions per visitor first, and overall as a ceiling, atomically', async () => {
    await start('a1');
    await start('a2');
    expect(await ledger.admit(admission('p-a3'), CAPS)).toEqual({ admitted: false, reason: 'visitor-cap' });
    await start('b1', { visitorKey: 'visitor-b' });
    expect(await ledger.admit(admission('p-b2', { visitorKey: 'visitor-b' }), CAPS)).toEqual({ admitted: false, reason: 'global-cap' });
    expect(await store.countOpen(T0)).toBe(3);
    expect(await store.countOpen(T0, 'visitor-a')).toBe(2);

    const racing = await Promise.all(['c1', 'c2', 'c3', 'c4'].map((id) => ledger.admit(admission(`p-${id}`, { visitorKey: id }), { ...CAPS, global: 5 })));
    expect(racing.filter((result) => result.admitted)).toHaveLength(2);
  });

  it('frees a place when a session stops, when a pending admission is forgotten, or expires', async () => {
    await start('a1');
    await start('a2');
    await ledger.settleStopped('a1', T0 + 1000, ENDED);
    expect(await ledger.admit(admission('p-a3'), CAPS)).toMatchObject({ admitted: true });
    await ledger.forget((await ledger.get('p-a3'))!);
    expect(await store.countOpen(T0, 'visitor-a')).toBe(1);
    expect(await ledger.admit(admission('p-a4'), CAPS)).toMatchObject({ admitted: true });
    // A pending admission whose server died never blocks anyone for long.
    expect(await ledger.admit(admission('p-a5', { createdAt: T0 + POLICY.pendingTtlMs + 1 }), CAPS)).toMatchObject({ admitted: true });
  });

  it("frees its visitor's place once a session is past deadline + grace (the reaper's now), but not the site's", async () => {
    await start('late', { deadline: T0 + 1000 });
    await start('live');
    expect(await ledger.admit(admission('p-third', { createdAt: T0 + 1000 + POLICY.graceMs - 1 }), CAPS)).toEqual({ admitted: false, reason: 'visitor-cap' });
    const pastGrace = T0 + 1000 + POLICY.graceMs;
    expect(await store.countOpen(pastGrace)).toBe(2);
    // An unconfirmed stop keeps it out of the visitor's count too.
    await ledger.recordStopFailure((await ledger.get('late'))!, pastGrace + 5000);
    expect(await ledger.admit(admission('p-third', { createdAt: pastGrace }), CAPS)).toMatchObject({ admitted: true });
    expect(await ledger.admit(admission('p-fourth', { createdAt: pastGrace, visitorKey: 'visitor-b' }), CAPS)).toEqual({ admitted: false, reason: 'global-cap' });
  });

  it('lists pending admissions whose create is surely over, oldest first, until activated or forgotten', async () => {
    await ledger.admit(admission('p-old', { createdAt: T0 - 5000 }), CAPS);
    await ledger.admit(admission('p-older', { createdAt: T0 - 9000, visitorKey: 'visitor-b' }), CAPS);
    await ledger.admit(admission('p-young', { createdAt: T0, visitorKey: 'visitor-c' }), CAPS);
    const traces = await ledger.dueTraces(T0 - 1000 + POLICY.deadCreateAfterMs - 1, 10);
    expect(traces.map((trace) => trace.id)).toEqual(['p-older', 'p-old']);
    expect(traces[0]).toMatchObject({ state: 'pending', createdAt: T0 - 9000, visitorKey: 'visitor-b' });
    expect((await ledger.dueTraces(T0, 1)).map((trace) => trace.id)).toEqual(['p-older']);

    await ledger.activate(traces[1]!, { id: 'ses_1', createdAt: T0 - 5000, deadline: T0 + 300_000, lastHeartbeat: T0 });
    await ledger.forget(traces[0]!);
    expect(await ledger.get('p-older')).toBeNull();
    expect((await ledger.dueTraces(T0 + POLICY.deadCreateAfterMs, 10)).map((trace) => trace.id)).toEqual(['p-young']);
    await ledger.settleStopped('ses_1', T0, ENDED);
    expect((await ledger.dueTraces(T0 + 60_000, 10)).map((trace) => trace.id)).toEqual(['p-young']);
  });

  it('forgets an admission once, giving its budget back once, and only an admission', async () => {
    await store.addBudget(budgetDay(T0), 5);
    await ledger.admit(admission('p-1'), CAPS);
    const pending = (await ledger.get('p-1'))!;
    await ledger.forget(pending);
    await ledger.forget(pending);
    expect(await store.budgetUsed(budgetDay(T0))).toBe(0);
    await start('ses_1');
    await ledger.forget((await ledger.get('ses_1'))!);
    expect(await ledger.get('ses_1')).toMatchObject({ state: 'running' });
  });

  it('keeps an unresolved admission listed for the reaper but counts it against no cap', async () => {
    await ledger.admit(admission('p-timed-out', { createdAt: T0 - 5000 }), CAPS);
    await ledger.admit(admission('p-also', { createdAt: T0 - 4000 }), CAPS);
    expect(await ledger.admit(admission('p-third'), CAPS)).toEqual({ admitted: false, reason: 'visitor-cap' });
    await ledger.markUnresolved('p-timed-out');
    expect(await ledger.get('p-timed-out')).toMatchObject({ state: 'unresolved' });
    expect(await store.countOpen(T0, 'visitor-a')).toBe(1);
    expect(await store.countOpen(T0)).toBe(1);
    // The visitor may try again at once.
    expect(await ledger.admit(admission('p-third'), CAPS)).toMatchObject({ admitted: true });
    expect((await ledger.dueTraces(T0 - 1000 + POLICY.deadCreateAfterMs - 1, 10)).map((trace) => [trace.id, trace.state])).toEqual([
      ['p-timed-out', 'unresolved'],
      ['p-also', 'pending'],
    ]);
    expect(await ledger.dueSessions(T0 + 10_000_000, 10)).toEqual([]);
    await ledger.forget((await ledger.get('p-timed-out'))!);
    expect(await ledger.get('p-timed-out')).toBeNull();
    expect((await ledger.dueTraces(T0, 10)).map((trace) => trace.id)).toEqual(['p-also']);
    // Only a pending admission becomes unresolved.
    await start('ses_1', { visitorKey: 'visitor-b' });
    await ledger.markUnresolved('ses_1');
    expect(await ledger.get('ses_1')).toMatchObject({ state: 'running' });
  });

  it('records heartbeats of running sessions only', async () => {
    await start('ses_1');
    expect(await ledger.heartbeat('ses_1', T0 + 5000)).toBe('running');
    expect((await ledger.get('ses_1'))!.lastHeartbeat).toBe(T0 + 5000);
    expect(await ledger.heartbeat('ses_1', T0 + 1000)).toBe('running');
    expect((await ledger.get('ses_1'))!.lastHeartbeat).toBe(T0 + 5000);
    await ledger.settleStopped('ses_1', T0 + 6000, ENDED);
    expect(await ledger.heartbeat('ses_1', T0 + 7000)).toBe('stopped');
    expect(await ledger.heartbeat('ses_nope', T0)).toBeNull();
  });

  it('marks a session stopped once', async () => {
    await start('ses_1');
    const first = await ledger.settleStopped('ses_1', T0 + 2000, ENDED);
    expect(first).toMatchObject({ id: 'ses_1', state: 'stopped', stoppedAt: T0 + 2000, reservedMinutes: 5 });
    expect(await ledger.settleStopped('ses_1', T0 + 3000, ENDED)).toBeNull();
    expect((await ledger.get('ses_1'))!.stoppedAt).toBe(T0 + 2000);
    expect(await ledger.settleStopped('ses_nope', T0, ENDED)).toBeNull();
  });

  it('lists sessions past deadline + grace, silent too long, or with a failed stop due again; and says why', async () => {
    const now = T0 + 100_000;
    await start('fresh', { lastHeartbeat: T0 + 90_000, visitorKey: 'v1' });
    await start('late', { deadline: T0 + 85_000, lastHeartbeat: T0 + 99_000, visitorKey: 'v2' });
    await start('silent', { lastHeartbeat: T0 + 39_000, visitorKey: 'v3' });
    const due = await ledger.dueSessions(now, 10);
    expect(due.map((entry) => entry.id).sort()).toEqual(['late', 'silent']);
    expect(Object.fromEntries(due.map((entry) => [entry.id, ledger.dueCause(entry, now)]))).toEqual({ late: 'deadline', silent: 'heartbeat' });
    expect(ledger.dueCause((await ledger.get('fresh'))!, now)).toBeNull();

    expect(await ledger.recordStopFailure((await ledger.get('late'))!, T0 + 120_000)).toBe(true);
    const retried = (await ledger.get('late'))!;
    expect(retried).toMatchObject({ state: 'stopping', stopAttempts: 1, nextAttemptAt: T0 + 120_000 });
    expect((await ledger.dueSessions(now, 10)).map((entry) => entry.id)).toEqual(['silent']);
    expect((await ledger.dueSessions(T0 + 120_000, 10)).map((entry) => entry.id)).toContain('late');
    expect(ledger.dueCause(retried, T0 + 120_000)).toBe('retry');

    await ledger.settleStopped('silent', T0 + 100_500, ENDED);
    await ledger.settleStopped('late', T0 + 120_500, ENDED);
    expect(await ledger.recordStopFailure((await ledger.get('late'))!, T0), 'a stopped session is not retried').toBe(false);
    expect(await ledger.dueSessions(T0 + 10_000_000, 10)).toHaveLength(1);
  });

  it('settles a stop once, giving back the reserved minutes the session did not use', async () => {
    await store.addBudget(budgetDay(T0), 10);
    await start('ses_1', { reservedMinutes: 10 });
    expect(await ledger.settleStopped('ses_1', T0 + 3 * 60_000, ENDED)).toMatchObject({ id: 'ses_1', state: 'stopped' });
    expect(await store.budgetUsed(budgetDay(T0))).toBeCloseTo(3);
    expect(await ledger.settleStopped('ses_1', T0 + 4 * 60_000, ENDED)).toBeNull();
    expect(await store.budgetUsed(budgetDay(T0))).toBeCloseTo(3);
  });

  it('postpones a trace whose orphan sweep could not run', async () => {
    await ledger.admit(admission('p-1'), CAPS);
    const [trace] = await ledger.dueTraces(T0 + POLICY.deadCreateAfterMs, 10);
    await ledger.postponeTrace(trace!, T0 + 50_000);
    expect(await ledger.dueTraces(T0 + 49_999, 10)).toEqual([]);
    expect((await ledger.dueTraces(T0 + 50_000, 10)).map((due) => due.id)).toEqual(['p-1']);
  });

  it('keeps stopped sessions for their retention, and traces for theirs (housekeeping)', async () => {
    await start('ses_1');
    await ledger.admit(admission('p-trace', { visitorKey: 'visitor-b' }), CAPS);
    await ledger.settleStopped('ses_1', T0 + 1000, ENDED);
    expect(await ledger.get('ses_1')).toMatchObject({ forgetAt: T0 + 1000 + STOPPED_RETENTION_MS });
    expect(await ledger.get('p-trace')).toMatchObject({ forgetAt: T0 + TRACE_RETENTION_MS });
    if (store.kind === 'redis') return; // Redis expires them on the real clock (below).
    await store.housekeeping(T0 + TRACE_RETENTION_MS);
    expect(await ledger.get('p-trace')).toBeNull();
    expect(await ledger.get('ses_1')).not.toBeNull();
    await store.housekeeping(T0 + 1000 + STOPPED_RETENTION_MS);
    expect(await ledger.get('ses_1')).toBeNull();
  });
});

describe('the Redis store expires on its own', () => {
  it('keeps a stopped session for the retention, a pending one until it is surely dead', async () => {
    const prefix = 'ttl:';
    const store = await createRedisStore({ url: redis.url, prefix });
    const ledger = createSessionLedger(store, POLICY);
    const raw = new Redis(redis.url);
    try {
      const now = Date.now();
      await ledger.admit(admission('p-1', { createdAt: now }), CAPS);
      // Long after it stops counting (60 s), so the reaper can still find a dead create's admission.
      const pendingTtl = await raw.pttl(`${prefix}e:p-1`);
      expect(pendingTtl).toBeGreaterThan(TRACE_RETENTION_MS - 60_000);
      expect(pendingTtl).toBeLessThanOrEqual(TRACE_RETENTION_MS);
      await ledger.activate((await ledger.get('p-1'))!, { id: 'ses_1', createdAt: now, deadline: now + 300_000, lastHeartbeat: now });
      expect(await raw.pttl(`${prefix}e:ses_1`)).toBe(-1);
      await ledger.settleStopped('ses_1', now, ENDED);
      const stoppedTtl = await raw.pttl(`${prefix}e:ses_1`);
      expect(stoppedTtl).toBeGreaterThan(STOPPED_RETENTION_MS - 60_000);
      expect(stoppedTtl).toBeLessThanOrEqual(STOPPED_RETENTION_MS);
    } finally {
      raw.disconnect();
      await store.close();
    }
  });
});

/** Rows and hashes as the layout-1 stores (before the indexes) wrote them. */
const LEGACY = [
  { id: 'ses_live', state: 'running', created_at: T0, deadline: T0 + 300_000, last_heartbeat: T0 + 60_000, visitor_key: 'v1' },
  { id: 'ses_done', state: 'stopped', created_at: T0, deadline: T0 + 300_000, last_heartbeat: T0, visitor_key: 'v2', stopped_at: T0 + 5000 },
  { id: 'pending-1', state: 'unresolved', created_at: T0, deadline: T0 + 300_000, last_heartbeat: T0, visitor_key: 'v3' },
] as const;

describe('a ledger written by the earlier layout', () => {
  const expected = (row: (typeof LEGACY)[number]) =>
    indexed(
      {
        id: row.id,
        preset: 'default',
        origin: null,
        visitorKey: row.visitor_key,
        createdAt: row.created_at,
        deadline: row.deadline,
        lastHeartbeat: row.last_heartbeat,
        stopAttempts: 0,
        state: row.state,
        nextAttemptAt: 0,
        stoppedAt: 'stopped_at' in row ? row.stopped_at : null,
        reservedMinutes: 0,
        consent: null,
      },
      POLICY,
    );

  it('is indexed by the policy when SQLite opens it, and refused without one', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'legacy-')), 'ledger.sqlite');
    const old = new Database(path);
    old.exec(`CREATE TABLE sessions (id TEXT PRIMARY KEY, preset TEXT NOT NULL, origin TEXT, visitor_key TEXT NOT NULL, created_at INTEGER NOT NULL,
      deadline INTEGER NOT NULL, last_heartbeat INTEGER NOT NULL, stop_attempts INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL,
      next_attempt_at INTEGER NOT NULL DEFAULT 0, stopped_at INTEGER, reserved_minutes REAL NOT NULL DEFAULT 0)`);
    const insert = old.prepare('INSERT INTO sessions (id, preset, visitor_key, created_at, deadline, last_heartbeat, state, stopped_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const row of LEGACY) insert.run(row.id, 'default', row.visitor_key, row.created_at, row.deadline, row.last_heartbeat, row.state, 'stopped_at' in row ? row.stopped_at : null);
    old.close();

    expect(() => createSqliteStore(path)).toThrow(/earlier version/);
    const store = createSqliteStore(path, { indexLegacy: (fields) => indexed(fields, POLICY) });
    return (async () => {
      for (const row of LEGACY) expect(await store.get(row.id)).toEqual(expected(row));
      expect((await store.listDue(T0 + 10_000_000, ['running', 'stopping'], 10)).map((due) => due.id)).toEqual(['ses_live']);
      await store.close();
      // Opened again, it is in the current layout already.
      const again = createSqliteStore(path);
      expect(await again.get('ses_live')).toEqual(expected(LEGACY[0]));
      await again.close();
    })();
  });

  it('gains the visitor index when SQLite opens a layout-2 file, as strict as before until each entry changes', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'layout2-')), 'ledger.sqlite');
    const old = new Database(path);
    old.exec(`CREATE TABLE entries (id TEXT PRIMARY KEY, preset TEXT NOT NULL, origin TEXT, visitor_key TEXT NOT NULL, created_at INTEGER NOT NULL,
      deadline INTEGER NOT NULL, last_heartbeat INTEGER NOT NULL, stop_attempts INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL,
      next_attempt_at INTEGER NOT NULL DEFAULT 0, stopped_at INTEGER, reserved_minutes REAL NOT NULL DEFAULT 0, due_at INTEGER,
      open_until INTEGER NOT NULL, forget_at INTEGER);
      CREATE INDEX entries_visitor_open ON entries (visitor_key, open_until);
      PRAGMA user_version = 2;`);
    old.prepare(`INSERT INTO entries (id, preset, visitor_key, created_at, deadline, last_heartbeat, state, due_at, open_until)
      VALUES ('ses_live', 'default', 'v1', ${T0}, ${T0 + 1000}, ${T0}, 'running', ${T0 + 11_000}, 9e15)`).run();
    old.close();

    const store = createSqliteStore(path);
    expect(await store.get('ses_live')).toMatchObject({ openUntil: 9e15, visitorOpenUntil: 9e15, consent: null });
    expect(await store.countOpen(T0 + 50_000, 'v1')).toBe(1);
    const ledger = createSessionLedger(store, POLICY);
    await ledger.heartbeat('ses_live', T0 + 500);
    expect(await store.countOpen(T0 + 50_000, 'v1')).toBe(0);
    await store.close();
    const reopened = new Database(path);
    expect(reopened.pragma('user_version', { simple: true })).toBe(5);
    reopened.close();
  });

  it('gains the consent columns when SQLite opens a layout-3 file: its entries have none, new ones keep theirs', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'layout3-')), 'ledger.sqlite');
    // Layout 3 exactly as the previous version created it.
    const old = new Database(path);
    old.exec(`CREATE TABLE entries (id TEXT PRIMARY KEY, preset TEXT NOT NULL, origin TEXT, visitor_key TEXT NOT NULL, created_at INTEGER NOT NULL,
      deadline INTEGER NOT NULL, last_heartbeat INTEGER NOT NULL, stop_attempts INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL,
      next_attempt_at INTEGER NOT NULL DEFAULT 0, stopped_at INTEGER, reserved_minutes REAL NOT NULL DEFAULT 0, due_at INTEGER,
      open_until INTEGER NOT NULL, visitor_open_until INTEGER NOT NULL, forget_at INTEGER);
      CREATE INDEX entries_due ON entries (due_at) WHERE due_at IS NOT NULL;
      CREATE INDEX entries_open ON entries (open_until);
      CREATE INDEX entries_visitor_held ON entries (visitor_key, visitor_open_until);
      CREATE INDEX entries_forget ON entries (forget_at) WHERE forget_at IS NOT NULL;
      CREATE TABLE leases (id TEXT PRIMARY KEY, owner TEXT NOT NULL, until INTEGER NOT NULL);
      CREATE TABLE rate_windows (key TEXT PRIMARY KEY, window_start INTEGER NOT NULL, count INTEGER NOT NULL);
      CREATE TABLE budget (day TEXT PRIMARY KEY, minutes REAL NOT NULL);
      CREATE TABLE kept (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO kept (name, value) VALUES ('deployment', 'kept-before');
      PRAGMA user_version = 3;`);
    old.prepare(`INSERT INTO entries (id, preset, visitor_key, created_at, deadline, last_heartbeat, state, due_at, open_until, visitor_open_until)
      VALUES ('ses_old', 'default', 'v1', ${T0}, ${T0 + 300_000}, ${T0}, 'running', ${T0 + 310_000}, 9e15, ${T0 + 310_000})`).run();
    old.close();

    const store = createSqliteStore(path);
    const ledger = createSessionLedger(store, POLICY);
    expect(await store.get('ses_old')).toMatchObject({ id: 'ses_old', state: 'running', visitorOpenUntil: T0 + 310_000, consent: null });
    expect(await store.keepFirst('deployment', 'new')).toBe('kept-before');
    // The old session runs on (a heartbeat, then a stop) and a new one records its consent.
    expect(await ledger.heartbeat('ses_old', T0 + 1000)).toBe('running');
    const consent = { version: '2026-11', acceptedAt: T0 - 1000 };
    await start('ses_new', { consent });
    expect((await store.get('ses_new'))?.consent).toEqual(consent);
    expect(await ledger.settleStopped('ses_old', T0 + 2000, ENDED)).toMatchObject({ state: 'stopped', consent: null });
    await store.close();

    const reopened = new Database(path);
    expect(reopened.pragma('user_version', { simple: true })).toBe(5);
    expect(reopened.prepare('SELECT id, consent_version, consent_at FROM entries ORDER BY id').all()).toEqual([
      { id: 'ses_new', consent_version: '2026-11', consent_at: T0 - 1000 },
      { id: 'ses_old', consent_version: null, consent_at: null },
    ]);
    reopened.close();
    // Opened again, it is in the current layout already.
    const again = createSqliteStore(path);
    expect((await again.get('ses_new'))?.consent).toEqual(consent);
    await again.close();

    /** Admits and activates `id` as the create does. */
    async function start(id: string, patch: Partial<LedgerEntry>) {
      const admitted = await ledger.admit({ ...admission(`p-${id}`, patch), consent: patch.consent ?? null }, CAPS);
      if (!admitted.admitted) throw new Error('not admitted');
      await ledger.activate(admitted.pending, { id, createdAt: T0, deadline: T0 + 300_000, lastHeartbeat: T0 });
    }
  });

  it('gains the outbox and the usage when SQLite opens a layout-4 file: its running session ends with its event and usage', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'layout4-')), 'ledger.sqlite');
    // Layout 4 is the current one without the outbox and the usage.
    const made = createSqliteStore(path);
    const ledger = createSessionLedger(made, POLICY);
    const admitted = await ledger.admit(admission('p-1'), CAPS);
    if (!admitted.admitted) throw new Error('not admitted');
    await ledger.activate(admitted.pending, { id: 'ses_old', createdAt: T0, deadline: T0 + 300_000, lastHeartbeat: T0 });
    await made.close();
    const old = new Database(path);
    old.exec('DROP TABLE outbox; DROP TABLE usage; PRAGMA user_version = 4;');
    old.close();

    const store = createSqliteStore(path);
    const events = createSessionLedger(store, POLICY, { events: true, now: () => T0 + 120_000 });
    expect(await store.outboxSize()).toBe(0);
    expect(await events.settleStopped('ses_old', T0 + 90_000, ENDED)).toMatchObject({ state: 'stopped' });
    expect((await store.listOutboxDue(T0 + 120_000, 10)).map((event) => event.id)).toEqual(['session.ended:ses_old']);
    expect(await store.usage(budgetDay(T0), budgetDay(T0))).toEqual([{ day: budgetDay(T0), preset: 'default', origin: 'https://shop.example', sessions: 1, minutes: 1.5 }]);
    await store.close();
    const reopened = new Database(path);
    expect(reopened.pragma('user_version', { simple: true })).toBe(5);
    reopened.close();
  });

  it('reads a Redis entry written before consent was kept as one without consent, and keeps it on its next change', async () => {
    const prefix = 'noconsent:';
    const store = await createRedisStore({ url: redis.url, prefix });
    const raw = new Redis(redis.url);
    try {
      const before = indexed({ ...entry('ses_old'), consent: null }, POLICY);
      // The hash the previous version wrote: every field but the consent's.
      const { consent: _none, ...fields } = before;
      await raw.hset(`${prefix}e:ses_old`, Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, value === null ? '' : String(value)])));
      expect(await raw.hexists(`${prefix}e:ses_old`, 'consentVersion')).toBe(0);
      expect(await store.get('ses_old')).toEqual(before);
      const ledger = createSessionLedger(store, POLICY);
      expect(await ledger.settleStopped('ses_old', T0 + 1000, ENDED)).toMatchObject({ state: 'stopped', consent: null });
      expect((await store.get('ses_old'))?.consent).toBeNull();
    } finally {
      raw.disconnect();
      await store.close();
    }
  });

  it('is indexed by the policy when Redis first connects, and refused without one', async () => {
    const prefix = 'legacy:';
    const raw = new Redis(redis.url);
    try {
      for (const row of LEGACY) {
        await raw.hset(`${prefix}s:${row.id}`, {
          id: row.id, preset: 'default', origin: '', visitorKey: row.visitor_key, createdAt: row.created_at, deadline: row.deadline,
          lastHeartbeat: row.last_heartbeat, stopAttempts: 0, state: row.state, nextAttemptAt: 0, stoppedAt: 'stopped_at' in row ? row.stopped_at : '', reservedMinutes: 0,
        });
      }
      await raw.zadd(`${prefix}due:heartbeat`, T0 + 60_000, 'ses_live');
      await expect(createRedisStore({ url: redis.url, prefix })).rejects.toThrow(/earlier version/);
      const store = await createRedisStore({ url: redis.url, prefix, indexLegacy: (fields) => indexed(fields, POLICY) });
      for (const row of LEGACY) expect(await store.get(row.id)).toEqual(expected(row));
      expect((await store.listDue(T0 + 10_000_000, ['running', 'stopping'], 10)).map((due) => due.id)).toEqual(['ses_live']);
      expect(await store.countOpen(T0, 'v1')).toBe(1);
      expect(await raw.keys(`${prefix}s:*`)).toEqual([]);
      expect(await raw.exists(`${prefix}due:heartbeat`)).toBe(0);
      await store.close();
    } finally {
      raw.disconnect();
    }
  });
});
