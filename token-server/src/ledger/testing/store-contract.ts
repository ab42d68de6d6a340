/**
 * What every ledger store must do, as one suite run against each of them (memory, SQLite,
 * Redis): `describeStoreContract('sqlite', () => createSqliteStore(':memory:'))`. It speaks
 * of entries and their indexes only; what the states mean is the policy's, tested once over
 * every store in ../../sessions/session-ledger.test.ts.
 *
 * Test support, not product code.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUDGET_RETENTION_MS, budgetDay, USAGE_RETENTION_MS, type LedgerEntry, type LedgerStore, type OutboxEvent } from '../store.js';

const T0 = 1_800_000_000_000;
const CAPS = { perVisitor: 2, global: 3 };
const FOREVER = 9e15;

/** An entry for tests: a running session of visitor-a, open until stopped (for its visitor too, unless patched), due at its deadline. */
export function entry(id: string, patch: Partial<LedgerEntry> = {}): LedgerEntry {
  const openUntil = patch.openUntil ?? FOREVER;
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
    consent: null,
    dueAt: T0 + 300_000,
    openUntil,
    visitorOpenUntil: openUntil,
    forgetAt: null,
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

    const insert = async (id: string, patch: Partial<LedgerEntry> = {}) => expect(await store.insertWithinCaps(entry(id, patch), CAPS, T0)).toEqual({ admitted: true });

    it('inserts, reads back, replaces under a new id, and knows no other id', async () => {
      await insert('p-1', { state: 'pending', dueAt: T0 + 40_000, openUntil: T0 + 20_000, forgetAt: T0 + 3_600_000 });
      expect(await store.get('p-1')).toEqual(entry('p-1', { state: 'pending', dueAt: T0 + 40_000, openUntil: T0 + 20_000, forgetAt: T0 + 3_600_000 }));
      await store.replace('p-1', entry('ses_1'));
      expect(await store.get('ses_1')).toEqual(entry('ses_1'));
      expect(await store.get('p-1')).toBeNull();
      expect(await store.get('ses_unknown')).toBeNull();
      // The replaced entry left every index: it is neither open nor due any more.
      expect(await store.countOpen(T0, 'visitor-a')).toBe(1);
      expect((await store.listDue(T0 + 10_000_000, ['pending', 'running'], 10)).map((due) => due.id)).toEqual(['ses_1']);
    });

    it("keeps an entry's consent through insert, replace and update, and none for an entry without", async () => {
      const consent = { version: 'privacy-2.1', acceptedAt: T0 - 90 * 24 * 3600 * 1000 + 123 };
      await insert('p-1', { state: 'pending', consent });
      await insert('ses_none', { visitorKey: 'visitor-b', dueAt: T0 + 400_000 });
      expect(await store.get('p-1')).toEqual(entry('p-1', { state: 'pending', consent }));
      expect((await store.get('ses_none'))?.consent).toBeNull();
      // Activated (a new id) and updated, the session keeps what its admission was given.
      await store.replace('p-1', entry('ses_1', { consent }));
      expect(await store.get('ses_1')).toEqual(entry('ses_1', { consent }));
      expect(await store.update(entry('ses_1', { consent, state: 'stopping', stopAttempts: 1 }), ['running'])).toBe(true);
      expect((await store.get('ses_1'))?.consent).toEqual(consent);
      expect((await store.listDue(T0 + 10_000_000, ['running', 'stopping'], 10)).map((due) => [due.id, due.consent])).toEqual([
        ['ses_1', consent],
        ['ses_none', null],
      ]);
      // An entry written without it (an update that drops it) reads back with none, not an empty one.
      expect(await store.update(entry('ses_1', { state: 'stopping' }), ['stopping'])).toBe(true);
      expect((await store.get('ses_1'))?.consent).toBeNull();
      // What a caller holds is a copy: changing it does not change the ledger.
      await insert('ses_2', { visitorKey: 'visitor-c', consent });
      const copy = (await store.get('ses_2'))!;
      copy.consent!.version = 'changed';
      expect((await store.get('ses_2'))?.consent).toEqual({ version: 'privacy-2.1', acceptedAt: consent.acceptedAt });
      expect(consent.version).toBe('privacy-2.1');
    });

    it('caps open entries per visitor first, and overall as a ceiling, atomically', async () => {
      await insert('a1');
      await insert('a2');
      expect(await store.insertWithinCaps(entry('a3'), CAPS, T0)).toEqual({ admitted: false, reason: 'visitor-cap' });
      await insert('b1', { visitorKey: 'visitor-b' });
      expect(await store.insertWithinCaps(entry('b2', { visitorKey: 'visitor-b' }), CAPS, T0)).toEqual({ admitted: false, reason: 'global-cap' });
      expect(await store.countOpen(T0)).toBe(3);
      expect(await store.countOpen(T0, 'visitor-a')).toBe(2);
      expect(await store.get('a3')).toBeNull();

      const racing = await Promise.all(['c1', 'c2', 'c3', 'c4'].map((id) => store.insertWithinCaps(entry(id, { visitorKey: id }), { ...CAPS, global: 5 }, T0)));
      expect(racing.filter((result) => result.admitted)).toHaveLength(2);
    });

    it('counts an entry open while its openUntil is ahead, and frees its place when it passes, is updated away or removed', async () => {
      await insert('a1', { openUntil: T0 + 1000 });
      await insert('a2');
      expect(await store.countOpen(T0 + 999, 'visitor-a')).toBe(2);
      expect(await store.countOpen(T0 + 1000, 'visitor-a')).toBe(1);
      expect(await store.insertWithinCaps(entry('a3'), CAPS, T0 + 1000)).toEqual({ admitted: true });
      expect(await store.update(entry('a3', { openUntil: 0 }), ['running'])).toBe(true);
      expect(await store.countOpen(T0 + 1000, 'visitor-a')).toBe(1);
      expect(await store.remove('a2', ['running'])).toBe(true);
      expect(await store.countOpen(T0 + 1000)).toBe(0);
      expect(await store.insertWithinCaps(entry('a4'), CAPS, T0 + 1000)).toEqual({ admitted: true });
    });

    it("counts an entry for its visitor by visitorOpenUntil, and for the site by openUntil", async () => {
      await insert('late', { visitorOpenUntil: T0 + 1000 });
      await insert('live');
      expect(await store.countOpen(T0 + 500, 'visitor-a')).toBe(2);
      expect(await store.countOpen(T0 + 1000, 'visitor-a')).toBe(1);
      expect(await store.countOpen(T0 + 1000)).toBe(2);
      // The visitor may start another; the site's cap (3) still counts the late one.
      expect(await store.insertWithinCaps(entry('next'), CAPS, T0 + 1000)).toEqual({ admitted: true });
      expect(await store.insertWithinCaps(entry('fourth', { visitorKey: 'visitor-b' }), CAPS, T0 + 1000)).toEqual({ admitted: false, reason: 'global-cap' });
    });

    it('updates and removes an entry only from the states named, once', async () => {
      await insert('ses_1');
      expect(await store.update(entry('ses_1', { state: 'stopped', stoppedAt: T0 + 5, dueAt: null, openUntil: 0 }), ['pending'])).toBe(false);
      expect(await store.get('ses_1')).toEqual(entry('ses_1'));
      expect(await store.update(entry('ses_1', { state: 'stopped', stoppedAt: T0 + 5, dueAt: null, openUntil: 0 }), ['running', 'stopping'])).toBe(true);
      expect(await store.get('ses_1')).toMatchObject({ state: 'stopped', stoppedAt: T0 + 5, dueAt: null, openUntil: 0 });
      expect(await store.update(entry('ses_1', { state: 'stopped', stoppedAt: T0 + 9 }), ['running', 'stopping']), 'a second stop is not the one that stopped it').toBe(false);
      expect(await store.update(entry('ses_nope'), ['running'])).toBe(false);
      expect(await store.get('ses_nope')).toBeNull();

      await insert('p-1', { state: 'pending' });
      expect(await store.remove('p-1', ['running'])).toBe(false);
      expect(await store.remove('p-1', ['pending', 'unresolved'])).toBe(true);
      expect(await store.remove('p-1', ['pending', 'unresolved']), 'a second remove is not the one that removed it').toBe(false);
      expect(await store.get('p-1')).toBeNull();
    });

    it('lists entries due by now in the states asked for, soonest first, up to the limit', async () => {
      await insert('late', { dueAt: T0 + 2000 });
      await insert('later', { dueAt: T0 + 3000, visitorKey: 'v2' });
      await insert('trace', { state: 'unresolved', dueAt: T0 + 1000, openUntil: 0 });
      await insert('never', { state: 'stopped', dueAt: null, openUntil: 0, visitorKey: 'v3' });
      await insert('future', { dueAt: T0 + 9000, openUntil: 0 });
      const ids = async (now: number, states: Parameters<LedgerStore['listDue']>[1], limit = 10) => (await store.listDue(now, states, limit)).map((due) => due.id);
      expect(await ids(T0 + 5000, ['running', 'stopping'])).toEqual(['late', 'later']);
      expect(await ids(T0 + 5000, ['pending', 'unresolved'])).toEqual(['trace']);
      expect(await ids(T0 + 2500, ['running', 'stopping', 'pending', 'unresolved'])).toEqual(['trace', 'late']);
      expect(await ids(T0 + 5000, ['running'], 1)).toEqual(['late']);
      expect(await ids(T0 + 10_000_000, ['stopped'])).toEqual([]);
      // A new dueAt moves it in the index; no dueAt takes it out.
      expect(await store.update(entry('late', { state: 'stopping', dueAt: T0 + 8000 }), ['running'])).toBe(true);
      expect(await ids(T0 + 5000, ['running', 'stopping'])).toEqual(['later']);
      expect(await store.update(entry('later', { dueAt: null }), ['running'])).toBe(true);
      expect(await ids(T0 + 10_000_000, ['running', 'stopping'])).toEqual(['late', 'future']);
    });

    it('does not let entries of other states at the head of the index starve those asked for', async () => {
      for (let index = 0; index < 250; index += 1) {
        await store.insertWithinCaps(entry(`trace-${index}`, { state: 'unresolved', dueAt: T0 + index, openUntil: 0 }), CAPS, T0);
      }
      await insert('session', { dueAt: T0 + 1000 });
      expect((await store.listDue(T0 + 2000, ['running'], 5)).map((due) => due.id)).toEqual(['session']);
    });

    it('lets one owner at a time claim an id, until the lease lapses', async () => {
      await insert('ses_1');
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

    it('frees a claim when its owner releases it, and only then', async () => {
      await insert('ses_1');
      expect(await store.claim('ses_1', 'instance-a', T0, 30_000)).toBe(true);
      await store.releaseClaim('ses_1', 'instance-b');
      expect(await store.claim('ses_1', 'instance-b', T0 + 1000, 30_000)).toBe(false);
      await store.releaseClaim('ses_1', 'instance-a');
      expect(await store.claim('ses_1', 'instance-b', T0 + 1000, 30_000)).toBe(true);
      expect(await store.claim('ses_1', 'instance-a', T0 + 2000, 30_000)).toBe(false);
    });

    it.skipIf(options.expiresByItself)('forgets entries whose forgetAt has passed and old rate windows; keeps the rest', async () => {
      await insert('old', { state: 'stopped', stoppedAt: T0, openUntil: 0, dueAt: null, forgetAt: T0 + 10_000 });
      await insert('live', { visitorKey: 'visitor-b' });
      await insert('p-dead', { visitorKey: 'visitor-c', state: 'pending', forgetAt: T0 + 20_000 });
      await store.hit('ip:1', 3, 60_000, T0);
      expect(await store.housekeeping(T0 + 2000)).toBe(0);
      expect(await store.housekeeping(T0 + 3_600_000)).toBe(3);
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

    /** An outbox event for tests, due at `nextAttemptAt` [T0]. */
    const event = (id: string, patch: Partial<OutboxEvent> = {}): OutboxEvent => ({
      id,
      type: 'session.ended',
      body: JSON.stringify({ type: 'session.ended', data: { session_id: id.split(':')[1] ?? id, note: 'ünïcødé "quoted"' } }),
      createdAt: T0,
      attempts: 0,
      nextAttemptAt: T0,
      ...patch,
    });

    it('keeps the effects of a replace and of an update in the same step, and none of an update whose guard fails', async () => {
      await insert('p-1', { state: 'pending' });
      await store.replace('p-1', entry('ses_1'), { event: event('session.started:ses_1', { type: 'session.started' }) });
      const ended = { event: event('session.ended:ses_1'), usage: { day: '2027-01-15', preset: 'default', origin: 'https://shop.example', minutes: 4.25 } };
      // The guard fails (the entry is running, not stopping): neither the change nor its effects.
      expect(await store.update(entry('ses_1', { state: 'stopped' }), ['stopping'], ended)).toBe(false);
      expect(await store.outboxSize()).toBe(1);
      expect(await store.usage('2027-01-01', '2027-01-31')).toEqual([]);
      expect(await store.update(entry('ses_1', { state: 'stopped' }), ['running'], ended)).toBe(true);
      expect((await store.get('ses_1'))?.state).toBe('stopped');
      expect(await store.outboxSize()).toBe(2);
      expect(await store.listOutboxDue(T0, 10)).toEqual([event('session.started:ses_1', { type: 'session.started' }), event('session.ended:ses_1')]);
      expect(await store.usage('2027-01-01', '2027-01-31')).toEqual([{ day: '2027-01-15', preset: 'default', origin: 'https://shop.example', sessions: 1, minutes: 4.25 }]);
    });

    it('keeps one event per id: a second with the same id leaves the first as it was', async () => {
      await insert('ses_1');
      await insert('ses_2', { visitorKey: 'visitor-b' });
      expect(await store.update(entry('ses_1', { state: 'stopping' }), ['running'], { event: event('session.ended:ses_1', { body: '{"first":true}' }) })).toBe(true);
      expect(await store.update(entry('ses_1', { state: 'stopped' }), ['stopping'], { event: event('session.ended:ses_1', { body: '{"second":true}' }) })).toBe(true);
      expect(await store.outboxSize()).toBe(1);
      expect((await store.listOutboxDue(T0, 10))[0]?.body).toBe('{"first":true}');
    });

    it('lists due events soonest first up to the limit, reschedules and removes them', async () => {
      await insert('ses_1');
      await insert('ses_2', { visitorKey: 'visitor-b' });
      await store.replace('ses_1', entry('ses_1'), { event: event('a', { nextAttemptAt: T0 + 30 }) });
      await store.replace('ses_2', entry('ses_2', { visitorKey: 'visitor-b' }), { event: event('b', { nextAttemptAt: T0 + 10 }) });
      await store.update(entry('ses_2', { visitorKey: 'visitor-b' }), ['running'], { event: event('c', { nextAttemptAt: T0 + 20 }) });
      expect((await store.listOutboxDue(T0 + 25, 10)).map((due) => due.id)).toEqual(['b', 'c']);
      expect((await store.listOutboxDue(T0 + 100, 2)).map((due) => due.id)).toEqual(['b', 'c']);
      await store.rescheduleOutbox('b', 1, T0 + 60);
      expect((await store.listOutboxDue(T0 + 50, 10)).map((due) => [due.id, due.attempts])).toEqual([['c', 0], ['a', 0]]);
      expect((await store.listOutboxDue(T0 + 60, 10)).map((due) => [due.id, due.attempts, due.nextAttemptAt])).toEqual([
        ['c', 0, T0 + 20],
        ['a', 0, T0 + 30],
        ['b', 1, T0 + 60],
      ]);
      await store.removeOutbox('c');
      await store.removeOutbox('c');
      await store.rescheduleOutbox('gone', 3, T0);
      expect((await store.listOutboxDue(T0 + 100, 10)).map((due) => due.id)).toEqual(['a', 'b']);
      expect(await store.outboxSize()).toBe(2);
      // Housekeeping never drops an undelivered event.
      await store.housekeeping(T0 + 30 * 24 * 3600 * 1000);
      expect(await store.outboxSize()).toBe(2);
    });

    it('adds usage up by day, preset and origin (a null origin its own), and reads a range of days', async () => {
      const ids = ['s1', 's2', 's3', 's4', 's5'];
      for (const [index, id] of ids.entries()) await insert(id, { visitorKey: `visitor-${index}`, openUntil: 0 });
      const end = (id: string, day: string, preset: string, origin: string | null, minutes: number) =>
        store.update(entry(id, { state: 'stopped' }), ['running'], { usage: { day, preset, origin, minutes } });
      await end('s1', '2027-01-15', 'default', 'https://shop.example', 1.5);
      await end('s2', '2027-01-15', 'default', 'https://shop.example', 2);
      await end('s3', '2027-01-15', 'default', null, 3);
      await end('s4', '2027-01-15', 'sales', 'https://shop.example', 4);
      await end('s5', '2027-01-17', 'default', 'https://shop.example', 5);
      const byKey = (rows: Awaited<ReturnType<LedgerStore['usage']>>) => [...rows].sort((a, b) => JSON.stringify([a.day, a.preset, a.origin]).localeCompare(JSON.stringify([b.day, b.preset, b.origin])));
      expect(byKey(await store.usage('2027-01-15', '2027-01-15'))).toEqual([
        { day: '2027-01-15', preset: 'default', origin: 'https://shop.example', sessions: 2, minutes: 3.5 },
        { day: '2027-01-15', preset: 'default', origin: null, sessions: 1, minutes: 3 },
        { day: '2027-01-15', preset: 'sales', origin: 'https://shop.example', sessions: 1, minutes: 4 },
      ]);
      expect((await store.usage('2027-01-16', '2027-01-31')).map((row) => [row.day, row.sessions, row.minutes])).toEqual([['2027-01-17', 1, 5]]);
      expect(await store.usage('2027-02-01', '2027-02-28')).toEqual([]);
    });

    it.skipIf(options.expiresByItself)('forgets usage days older than USAGE_RETENTION_MS at housekeeping, and keeps the rest', async () => {
      await insert('s1');
      await insert('s2', { visitorKey: 'visitor-b' });
      const now = T0 + 1000 * 24 * 3600 * 1000;
      const old = budgetDay(now - USAGE_RETENTION_MS - 24 * 3600 * 1000);
      const recent = budgetDay(now - USAGE_RETENTION_MS + 24 * 3600 * 1000);
      await store.update(entry('s1', { state: 'stopped' }), ['running'], { usage: { day: old, preset: 'default', origin: null, minutes: 1 } });
      await store.update(entry('s2', { state: 'stopped' }), ['running'], { usage: { day: recent, preset: 'default', origin: null, minutes: 2 } });
      await store.housekeeping(now);
      expect((await store.usage('0000-01-01', '9999-12-31')).map((row) => row.day)).toEqual([recent]);
    });

    it('keeps a daily budget of minutes, reserved and refunded', async () => {
      expect(await store.budgetUsed('2026-11-25')).toBe(0);
      expect(await store.addBudget('2026-11-25', 10)).toBe(10);
      expect(await store.addBudget('2026-11-25', -7.5)).toBe(2.5);
      expect(await store.budgetUsed('2026-11-25')).toBe(2.5);
      expect(await store.budgetUsed('2026-11-26')).toBe(0);
    });

    it('keeps the first value of a name, for good, even when callers race to make one', async () => {
      const kept = await Promise.all(['a', 'b', 'c', 'd'].map((value) => store.keepFirst('deployment-id', value)));
      expect(new Set(kept).size).toBe(1);
      expect(await store.keepFirst('deployment-id', 'later')).toBe(kept[0]);
      expect(await store.keepFirst('other', 'x')).toBe('x');
      await store.housekeeping(T0 + 365 * 24 * 3600 * 1000);
      expect(await store.keepFirst('deployment-id', 'after-housekeeping')).toBe(kept[0]);
    });
  });
}
