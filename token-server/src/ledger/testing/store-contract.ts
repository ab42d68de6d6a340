/**
 * The behaviour every ledger store must have, as one suite run against each of them
 * (memory, SQLite, Redis): `describeStoreContract('sqlite', () => createSqliteStore(':memory:'))`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUDGET_RETENTION_MS, budgetDay, settleStopped, STOPPED_RETENTION_MS, type LedgerStore, type SessionRecord } from '../store.js';

const LIMITS = { perVisitor: 2, global: 3, pendingTtlMs: 60_000 };
const T0 = 1_800_000_000_000;

/** A record for tests. */
export function record(id: string, patch: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    preset: 'default',
    origin: 'https://shop.example',
    visitorKey: 'visitor-a',
    createdAt: T0,
    deadline: T0 + 300_000,
    lastHeartbeat: T0,
    stopAttempts: 0,
    state: 'running',
    nextAttemptAt: 0,
    stoppedAt: null,
    reservedMinutes: 5,
    ...patch,
  };
}

/** Runs the contract against the store `make` creates (a fresh, empty one per test). */
export function describeStoreContract(
  name: string,
  make: () => LedgerStore | Promise<LedgerStore>,
  options: {
    /** The store expires old entries on the real clock by itself (Redis): `housekeeping` is not asked to. */
    expiresByItself?: boolean;
  } = {},
): void {
  describe(`ledger store contract: ${name}`, () => {
    let store: LedgerStore;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await store.close();
    });

    /** Admits and activates `id` (pending id `p-<id>`). */
    async function start(id: string, patch: Partial<SessionRecord> = {}) {
      const admitted = await store.admit(record(`p-${id}`, { ...patch, state: 'pending' }), LIMITS);
      expect(admitted).toEqual({ admitted: true });
      await store.activate(`p-${id}`, record(id, patch));
    }

    it('admits, activates and reads back a session', async () => {
      await start('ses_1');
      expect(await store.get('ses_1')).toEqual(record('ses_1'));
      expect(await store.get('p-ses_1')).toBeNull();
      expect(await store.get('ses_unknown')).toBeNull();
    });

    it('caps open sessions per visitor first, and overall as a ceiling, atomically', async () => {
      await start('a1');
      await start('a2');
      expect(await store.admit(record('p-a3', { state: 'pending' }), LIMITS)).toEqual({ admitted: false, reason: 'visitor-cap' });
      await start('b1', { visitorKey: 'visitor-b' });
      expect(await store.admit(record('p-b2', { visitorKey: 'visitor-b', state: 'pending' }), LIMITS)).toEqual({ admitted: false, reason: 'global-cap' });
      expect(await store.countOpen({ now: T0, pendingTtlMs: LIMITS.pendingTtlMs })).toBe(3);
      expect(await store.countOpen({ now: T0, pendingTtlMs: LIMITS.pendingTtlMs, visitorKey: 'visitor-a' })).toBe(2);

      const racing = await Promise.all(
        ['c1', 'c2', 'c3', 'c4'].map((id) => store.admit(record(`p-${id}`, { visitorKey: id, state: 'pending' }), { ...LIMITS, global: 5 })),
      );
      expect(racing.filter((result) => result.admitted)).toHaveLength(2);
    });

    it('frees a place when a session stops, when a pending admission is released, or expires', async () => {
      await start('a1');
      await start('a2');
      await store.markStopped('a1', T0 + 1000);
      expect(await store.admit(record('p-a3', { state: 'pending' }), LIMITS)).toEqual({ admitted: true });
      await store.release('p-a3');
      expect(await store.countOpen({ now: T0, pendingTtlMs: LIMITS.pendingTtlMs, visitorKey: 'visitor-a' })).toBe(1);
      expect(await store.admit(record('p-a4', { state: 'pending' }), LIMITS)).toEqual({ admitted: true });
      // A pending admission whose server died never blocks anyone for long.
      const later = record('p-a5', { state: 'pending', createdAt: T0 + LIMITS.pendingTtlMs + 1 });
      expect(await store.admit(later, LIMITS)).toEqual({ admitted: true });
    });

    it('lists pending admissions made before a moment, oldest first, until activated or released', async () => {
      await store.admit(record('p-old', { state: 'pending', createdAt: T0 - 5000 }), LIMITS);
      await store.admit(record('p-older', { state: 'pending', createdAt: T0 - 9000, visitorKey: 'visitor-b' }), LIMITS);
      await store.admit(record('p-young', { state: 'pending', createdAt: T0, visitorKey: 'visitor-c' }), LIMITS);
      const stale = await store.listStalePending(T0 - 1000, 10);
      expect(stale.map((pending) => pending.id)).toEqual(['p-older', 'p-old']);
      expect(stale[0]).toEqual(record('p-older', { state: 'pending', createdAt: T0 - 9000, visitorKey: 'visitor-b' }));
      expect((await store.listStalePending(T0 - 1000, 1)).map((pending) => pending.id)).toEqual(['p-older']);

      await store.activate('p-old', record('ses_1', { createdAt: T0 - 5000 }));
      expect(await store.release('p-older')).toBe(true);
      expect(await store.release('p-older'), 'a second release is not the one that released it').toBe(false);
      expect(await store.release('ses_1'), 'only pending admissions are released').toBe(false);
      expect((await store.listStalePending(T0 + 1, 10)).map((pending) => pending.id)).toEqual(['p-young']);
      await store.markStopped('ses_1', T0);
      expect((await store.listStalePending(T0 + 60_000, 10)).map((pending) => pending.id)).toEqual(['p-young']);
    });

    it('keeps an unresolved admission listed for the reaper but counts it against no cap', async () => {
      await store.admit(record('p-timed-out', { state: 'pending', createdAt: T0 - 5000 }), LIMITS);
      await store.admit(record('p-also', { state: 'pending', createdAt: T0 - 4000 }), LIMITS);
      expect(await store.admit(record('p-third', { state: 'pending' }), LIMITS)).toEqual({ admitted: false, reason: 'visitor-cap' });
      await store.markUnresolved('p-timed-out');
      expect(await store.get('p-timed-out')).toMatchObject({ state: 'unresolved' });
      expect(await store.countOpen({ now: T0, pendingTtlMs: LIMITS.pendingTtlMs, visitorKey: 'visitor-a' })).toBe(1);
      expect(await store.countOpen({ now: T0, pendingTtlMs: LIMITS.pendingTtlMs })).toBe(1);
      // The visitor may try again at once.
      expect(await store.admit(record('p-third', { state: 'pending' }), LIMITS)).toEqual({ admitted: true });
      expect((await store.listStalePending(T0 - 1000, 10)).map((pending) => [pending.id, pending.state])).toEqual([
        ['p-timed-out', 'unresolved'],
        ['p-also', 'pending'],
      ]);
      expect(await store.listDue({ now: T0 + 10_000_000, graceMs: 0, heartbeatTimeoutMs: 0, limit: 10 })).toEqual([]);
      expect(await store.release('p-timed-out')).toBe(true);
      expect(await store.release('p-timed-out')).toBe(false);
      expect((await store.listStalePending(T0 - 1000, 10)).map((pending) => pending.id)).toEqual(['p-also']);
      // Only a pending admission becomes unresolved.
      await start('ses_1', { visitorKey: 'visitor-b' });
      await store.markUnresolved('ses_1');
      expect(await store.get('ses_1')).toMatchObject({ state: 'running' });
    });

    it('records heartbeats of running sessions only', async () => {
      await start('ses_1');
      expect(await store.heartbeat('ses_1', T0 + 5000)).toBe('running');
      expect((await store.get('ses_1'))!.lastHeartbeat).toBe(T0 + 5000);
      expect(await store.heartbeat('ses_1', T0 + 1000)).toBe('running');
      expect((await store.get('ses_1'))!.lastHeartbeat).toBe(T0 + 5000);
      await store.markStopped('ses_1', T0 + 6000);
      expect(await store.heartbeat('ses_1', T0 + 7000)).toBe('stopped');
      expect(await store.heartbeat('ses_nope', T0)).toBeNull();
    });

    it('marks a session stopped once', async () => {
      await start('ses_1');
      const first = await store.markStopped('ses_1', T0 + 2000);
      expect(first).toMatchObject({ id: 'ses_1', state: 'stopped', stoppedAt: T0 + 2000, reservedMinutes: 5 });
      expect(await store.markStopped('ses_1', T0 + 3000)).toBeNull();
      expect((await store.get('ses_1'))!.stoppedAt).toBe(T0 + 2000);
      expect(await store.markStopped('ses_nope', T0)).toBeNull();
    });

    it('lists sessions past deadline + grace, silent too long, or with a failed stop due again', async () => {
      const query = { now: T0 + 100_000, graceMs: 10_000, heartbeatTimeoutMs: 60_000, limit: 10 };
      await start('fresh', { lastHeartbeat: T0 + 90_000, visitorKey: 'v1' });
      await start('late', { deadline: T0 + 85_000, lastHeartbeat: T0 + 99_000, visitorKey: 'v2' });
      await start('silent', { lastHeartbeat: T0 + 39_000, visitorKey: 'v3' });
      expect((await store.listDue(query)).map((due) => due.id).sort()).toEqual(['late', 'silent']);

      await store.recordStopFailure('late', T0 + 120_000);
      expect(await store.get('late')).toMatchObject({ state: 'stopping', stopAttempts: 1, nextAttemptAt: T0 + 120_000 });
      expect((await store.listDue(query)).map((due) => due.id)).toEqual(['silent']);
      expect((await store.listDue({ ...query, now: T0 + 120_000 })).map((due) => due.id).sort()).toContain('late');

      await store.markStopped('silent', T0 + 100_500);
      await store.markStopped('late', T0 + 120_500);
      expect(await store.listDue({ ...query, now: T0 + 10_000_000 })).toHaveLength(1);
    });

    it('lets one owner at a time claim a due session, until the lease lapses', async () => {
      await start('ses_1');
      expect(await store.claim('ses_1', 'instance-a', T0, 30_000)).toBe(true);
      expect(await store.claim('ses_1', 'instance-b', T0 + 1000, 30_000)).toBe(false);
      expect(await store.claim('ses_1', 'instance-a', T0 + 2000, 30_000)).toBe(true);
      const claims = await Promise.all(['x', 'y', 'z'].map((owner) => store.claim('ses_1', owner, T0 + 3000, 30_000)));
      expect(claims).toEqual([false, false, false]);
    });

    it('claims ids the ledger never recorded (orphans) the same way', async () => {
      expect(await store.claim('ses_orphan', 'instance-a', T0, 30_000)).toBe(true);
      expect(await store.claim('ses_orphan', 'instance-b', T0 + 1000, 30_000)).toBe(false);
      expect(await store.claim('ses_orphan', 'instance-b', T0 + 31_000, 30_000)).toBe(options.expiresByItself ? false : true);
    });

    it.skipIf(options.expiresByItself)('forgets sessions stopped past retention, dead pending admissions and old rate windows; keeps the rest', async () => {
      await start('old');
      await start('live', { visitorKey: 'visitor-b' });
      await store.admit(record('p-dead', { visitorKey: 'visitor-c', state: 'pending' }), LIMITS);
      await store.markStopped('old', T0 + 1000);
      await store.hit('ip:1', 3, 60_000, T0);
      const later = T0 + 1000 + STOPPED_RETENTION_MS;
      expect(await store.housekeeping(T0 + 2000)).toBe(0);
      expect(await store.housekeeping(later)).toBe(3);
      expect(await store.get('old')).toBeNull();
      expect(await store.get('p-dead')).toBeNull();
      expect(await store.get('live')).toMatchObject({ state: 'running' });
      expect(await store.hit('ip:1', 3, 60_000, T0)).toMatchObject({ allowed: true });
    });

    it.skipIf(options.expiresByItself)('forgets budget days past retention, keeps the recent ones', async () => {
      const today = budgetDay(T0);
      const old = budgetDay(T0 - BUDGET_RETENTION_MS - 24 * 3600 * 1000);
      await store.addBudget(today, 5);
      await store.addBudget(old, 7);
      await store.housekeeping(T0);
      expect(await store.budgetUsed(today)).toBe(5);
      expect(await store.budgetUsed(old)).toBe(0);
    });

    it('frees a claim when its owner releases it, and only then', async () => {
      await start('ses_1');
      expect(await store.claim('ses_1', 'instance-a', T0, 30_000)).toBe(true);
      await store.releaseClaim('ses_1', 'instance-b');
      expect(await store.claim('ses_1', 'instance-b', T0 + 1000, 30_000)).toBe(false);
      await store.releaseClaim('ses_1', 'instance-a');
      expect(await store.claim('ses_1', 'instance-b', T0 + 1000, 30_000)).toBe(true);
      expect(await store.claim('ses_1', 'instance-a', T0 + 2000, 30_000)).toBe(false);
    });

    it('counts rate-limit hits in fixed windows', async () => {
      const hits = [];
      for (let index = 0; index < 4; index += 1) hits.push(await store.hit('ip:1', 3, 60_000, T0 + index));
      expect(hits.map((hit) => hit.allowed)).toEqual([true, true, true, false]);
      expect(hits[3]!.retryAfterMs).toBeGreaterThan(0);
      expect(hits[3]!.retryAfterMs).toBeLessThanOrEqual(60_000);
      expect((await store.hit('ip:2', 3, 60_000, T0)).allowed).toBe(true);
      const nextWindow = T0 - (T0 % 60_000) + 60_000;
      expect((await store.hit('ip:1', 3, 60_000, nextWindow)).allowed).toBe(true);
    });

    it('settles a stop once, giving back the reserved minutes the session did not use', async () => {
      await store.addBudget(budgetDay(T0), 10);
      await start('ses_1', { reservedMinutes: 10 });
      expect(await settleStopped(store, 'ses_1', T0 + 3 * 60_000)).toMatchObject({ id: 'ses_1', state: 'stopped' });
      expect(await store.budgetUsed(budgetDay(T0))).toBeCloseTo(3);
      expect(await settleStopped(store, 'ses_1', T0 + 4 * 60_000)).toBeNull();
      expect(await store.budgetUsed(budgetDay(T0))).toBeCloseTo(3);
    });

    it('keeps a daily budget of minutes, reserved and refunded', async () => {
      expect(await store.budgetUsed('2026-11-25')).toBe(0);
      expect(await store.addBudget('2026-11-25', 10)).toBe(10);
      expect(await store.addBudget('2026-11-25', -7.5)).toBe(2.5);
      expect(await store.budgetUsed('2026-11-25')).toBe(2.5);
      expect(await store.budgetUsed('2026-11-26')).toBe(0);
    });
  });
}
