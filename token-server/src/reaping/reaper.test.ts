/**
 * The reaper and the orphan sweeper against the Equos double over real HTTP, with each
 * ledger store, built by the composition root as every process builds them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../../sandbox/equos-api/server.js';
import { TEST_API_KEY, testSettings } from '../../test/harness.js';
import { createEquosClient } from '../equos/client.js';
import { createMemoryStore } from '../ledger/memory-store.js';
import { createSqliteStore } from '../ledger/sqlite-store.js';
import { budgetDay, type LedgerEntry, type LedgerStore } from '../ledger/store.js';
import { entry } from '../ledger/testing/store-contract.js';
import { silentLogger } from '../logger.js';
import { createSessionLedger, indexed, ledgerPolicyOf } from '../sessions/session-ledger.js';
import { UNKNOWN_SETTLES_AFTER_MS } from '../sessions/stop-session.js';
import { createTokenServer } from '../token-server.js';
import { startScheduler } from './scheduler.js';

let equos: RunningEquosApiDouble;
beforeAll(async () => {
  // Equos here never ends a session by itself: only stops do (the worst case for the bill).
  equos = await startEquosApiDouble({ apiKey: TEST_API_KEY, autoEnd: false });
});
afterAll(() => equos.close());
beforeEach(() => equos.faults.clear());


/** Creates a session at the double and records it in `store` as running (indexed by the reapers' policy). */
async function running(store: LedgerStore, patch: Partial<LedgerEntry> = {}) {
  const { session } = await createEquosClient({ apiKey: TEST_API_KEY, endpoint: equos.url }).sessions.create({
    name: 'reaper test',
    client: 'reaper-tests',
    avatar: { id: 'a' },
    maxDuration: 60,
  });
  const now = Date.now();
  await write(store, { createdAt: now, deadline: now + 60_000, lastHeartbeat: now, visitorKey: session.id, ...patch, id: session.id });
  return session.id;
}

/** Writes an entry with the fields of `patch`, indexed as the reapers below index entries. */
async function write(store: LedgerStore, patch: Partial<LedgerEntry> & { id: string }, options: ReaperTestOptions = {}) {
  const fields = entry(patch.id, patch);
  await store.insertWithinCaps(indexed(fields, ledgerPolicyOf(settingsFor(options))), { perVisitor: 1000, global: 1000 }, fields.createdAt);
}

const ended = (id: string) => equos.state.sessions.get(id)!.session.endedAt !== null;

interface ReaperTestOptions {
  instanceId?: string;
  /** Run the scheduler at this interval [no scheduler: passes run when a test calls them]. */
  intervalMs?: number;
  /** The orphan sweep [off]: the deployment's tag, and the age below which a session may still be a create in flight. */
  orphans?: { clientTag: string; minAgeMs: number };
}

/**
 * A token server on `store`: grace 1 s, silence 5 s, one stop attempt per pass (500 ms
 * deadline) and a 50 ms first backoff.
 */
function settingsFor(options: ReaperTestOptions) {
  const base = testSettings(equos.url);
  const minAgeMs = options.orphans?.minAgeMs ?? 60_000;
  return {
    ...base,
    instanceId: options.instanceId ?? 'test',
    clientTag: options.orphans?.clientTag ?? 'reaper-tests',
    heartbeat: { intervalMs: 1000, timeoutMs: 5000, idleStopMs: 600_000 },
    deadlines: { ...base.deadlines, create: minAgeMs / 2, stop: 500 },
    equosRetry: { attempts: 1, baseDelayMs: 5, maxDelayMs: 20 },
    reaper: { ...base.reaper, intervalMs: options.intervalMs ?? 60_000, graceMs: 1000, retryBaseMs: 50, orphanSweepMs: options.orphans ? 600_000 : 0, createSettleMs: minAgeMs / 2 },
  };
}

/** The `client` tag a deployment on `store` with EQUOS_CLIENT `clientTag` puts on its sessions (its identity is kept in the store). */
async function tagIn(store: LedgerStore, clientTag: string): Promise<string> {
  return (await createTokenServer(settingsFor({ orphans: { clientTag, minAgeMs: 1 } }), { store, logger: silentLogger }).ready()).clientTag;
}

function reaper(store: LedgerStore, options: ReaperTestOptions = {}) {
  const server = createTokenServer(settingsFor(options), { store, logger: silentLogger });
  const scheduler = options.intervalMs ? startScheduler(server, { intervalMs: options.intervalMs, orphanSweepMs: 0 }) : undefined;
  return {
    runOnce: () => server.reapOnce(),
    sweepOrphans: async () => (await server.sweepOnce()) ?? 0,
    sweepSoon: () => server.requestSweep(),
    stop: async () => {
      await scheduler?.stop();
    },
  };
}

describe('reaper', () => {
  it('stops sessions past deadline + grace, and sessions whose browser went silent, and no others', async () => {
    const store = createMemoryStore();
    const now = Date.now();
    const late = await running(store, { deadline: now - 1500 });
    const withinGrace = await running(store, { deadline: now - 200 });
    const silent = await running(store, { lastHeartbeat: now - 6000 });
    const healthy = await running(store);
    const reap = reaper(store);
    expect(await reap.runOnce()).toBe(2);
    await reap.stop();
    expect([late, withinGrace, silent, healthy].map(ended)).toEqual([true, false, true, false]);
    expect(await store.get(late)).toMatchObject({ state: 'stopped' });
    expect(equos.state.sessions.get(healthy)!.stopCalls).toBe(0);
  });

  it('retries failed stops with backoff until Equos confirms', async () => {
    const store = createMemoryStore();
    const id = await running(store, { deadline: Date.now() - 5000 });
    equos.faults.inject('stop', { kind: 'status', status: 503 }, { times: 2 });
    const reap = reaper(store);
    expect(await reap.runOnce()).toBe(0);
    expect(await store.get(id)).toMatchObject({ state: 'stopping', stopAttempts: 1 });
    expect(await reap.runOnce()).toBe(0); // not due yet: backoff
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await reap.runOnce()).toBe(0);
    expect((await store.get(id))!.stopAttempts).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 110));
    expect(await reap.runOnce()).toBe(1);
    await reap.stop();
    expect(ended(id)).toBe(true);
    expect(equos.state.callsTo('stop', id)).toHaveLength(3);
  });

  it('keeps retrying a session Equos answers 404 for (a 404 is no proof of the end), and gives up only a day past its deadline', async () => {
    const store = createMemoryStore();
    const now = Date.now();
    await write(store, { id: 'ses_ghost', createdAt: now - 100_000, deadline: now - 50_000, lastHeartbeat: now });
    await write(store, { id: 'ses_long_gone', createdAt: now - 90_000_000, deadline: now - UNKNOWN_SETTLES_AFTER_MS - 1000, lastHeartbeat: now });
    const reap = reaper(store);
    expect(await reap.runOnce()).toBe(1);
    await reap.stop();
    expect(await store.get('ses_ghost')).toMatchObject({ state: 'stopping', stopAttempts: 1 });
    expect(equos.state.callsTo('get', 'ses_ghost')).toHaveLength(1);
    expect(await store.get('ses_long_gone')).toMatchObject({ state: 'stopped' });
  });

  it('resumes from the ledger after a restart', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'reaper-')), 'ledger.sqlite');
    const before = createSqliteStore(path);
    const id = await running(before, { lastHeartbeat: Date.now() - 10_000 });
    await before.close();
    const after = createSqliteStore(path);
    const reap = reaper(after);
    await reap.runOnce();
    await reap.stop();
    expect(ended(id)).toBe(true);
    expect(await after.get(id)).toMatchObject({ state: 'stopped' });
    await after.close();
  });

  it('with two instances on one ledger, stops each session once', async () => {
    const store = createMemoryStore();
    const ids = [];
    for (let index = 0; index < 10; index += 1) ids.push(await running(store, { deadline: Date.now() - 5000 }));
    const a = reaper(store, { instanceId: 'a' });
    const b = reaper(store, { instanceId: 'b' });
    const [stoppedByA, stoppedByB] = await Promise.all([a.runOnce(), b.runOnce()]);
    await Promise.all([a.stop(), b.stop()]);
    expect(stoppedByA + stoppedByB).toBe(10);
    for (const id of ids) expect(equos.state.callsTo('stop', id)).toHaveLength(1);
  });

  it('re-reads a session under its claim, so a list made before another instance stopped it stops nothing', async () => {
    const store = createMemoryStore();
    const ids = [];
    for (let index = 0; index < 4; index += 1) ids.push(await running(store, { deadline: Date.now() - 5000 }));
    const stale = await store.listDue(Date.now(), ['running', 'stopping'], 100);
    const a = reaper(store, { instanceId: 'a' });
    expect(await a.runOnce()).toBe(4);
    // b listed the same sessions a moment before a stopped them.
    const b = reaper({ ...store, listDue: async () => stale }, { instanceId: 'b' });
    expect(await b.runOnce()).toBe(0);
    await Promise.all([a.stop(), b.stop()]);
    for (const id of ids) expect(equos.state.callsTo('stop', id)).toHaveLength(1);
  });

  it('with two instances sweeping at once, stops each orphan once', async () => {
    const store = createMemoryStore();
    const client = createEquosClient({ apiKey: TEST_API_KEY, endpoint: equos.url });
    const orphans = [];
    for (let index = 0; index < 5; index += 1) orphans.push((await client.sessions.create({ name: 'orphan', client: await tagIn(store, 'twin-sweep'), avatar: { id: 'a' } })).session.id);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sweeping = { orphans: { clientTag: 'twin-sweep', minAgeMs: 50 } };
    const a = reaper(store, { instanceId: 'a', ...sweeping });
    const b = reaper(store, { instanceId: 'b', ...sweeping });
    const [byA, byB] = await Promise.all([a.sweepOrphans(), b.sweepOrphans()]);
    await Promise.all([a.stop(), b.stop()]);
    expect(byA + byB).toBe(5);
    for (const id of orphans) expect(equos.state.callsTo('stop', id)).toHaveLength(1);
  });

  it('sweeps soon after it starts, and soon after being told of a possible orphan, between periodic sweeps', async () => {
    const store = createMemoryStore();
    const client = createEquosClient({ apiKey: TEST_API_KEY, endpoint: equos.url });
    const orphan = async (name: string) => (await client.sessions.create({ name, client: await tagIn(store, 'soon-tag'), avatar: { id: 'a' } })).session.id;
    const listCalls = () => equos.state.callsTo('list').length;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // Left by a predecessor that died between Equos' answer and its ledger write.
    const leftBehind = await orphan('left behind');
    const before = listCalls();
    // Orphans are 300 ms old; the periodic sweep is ten minutes away.
    const reap = reaper(store, { intervalMs: 20, orphans: { clientTag: 'soon-tag', minAgeMs: 300 } });
    try {
      await expect.poll(() => ended(leftBehind), { timeout: 2000, interval: 20 }).toBe(true);
      await sleep(1000);
      expect(listCalls() - before, 'one sweep once it is old enough, one for a session Equos starts late').toBe(2);

      // Two creates time out on our side at once. Equos answers one just after we gave up,
      // and starts the other one later still: both are caught, with no more sweeps than for one.
      reap.sweepSoon();
      reap.sweepSoon();
      const early = await orphan('answered just after the timeout');
      await sleep(150);
      const late = await orphan('started late');
      await expect.poll(() => [early, late].every(ended), { timeout: 2000, interval: 20 }).toBe(true);
      await sleep(1000);
      expect(listCalls() - before).toBe(4);
    } finally {
      await reap.stop();
    }
  });

  it('sweeps for the orphan of a create whose server died, once that create is surely over, and forgets its admission', async () => {
    const store = createMemoryStore();
    const client = createEquosClient({ apiKey: TEST_API_KEY, endpoint: equos.url });
    const listCalls = () => equos.state.callsTo('list').length;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const deadTag = { intervalMs: 50, orphans: { clientTag: 'dead-tag', minAgeMs: 300 } };
    const reap = reaper(store, deadTag);
    try {
      await sleep(1000); // past the start-up sweeps
      const before = listCalls();
      // Another instance admitted a visitor (reserving 5 minutes), Equos started the session,
      // and that instance died before recording it.
      const admittedAt = Date.now();
      await store.addBudget(budgetDay(admittedAt), 5);
      const admitted = await createSessionLedger(store, ledgerPolicyOf(settingsFor(deadTag))).admit({ id: 'pending-dead', preset: 'default', origin: null, visitorKey: 'dead', createdAt: admittedAt, deadline: admittedAt + 300_000, reservedMinutes: 5 }, { perVisitor: 5, global: 100 });
      expect(admitted.admitted).toBe(true);
      const orphan = (await client.sessions.create({ name: 'its server died', client: await tagIn(store, 'dead-tag'), avatar: { id: 'a' } })).session.id;
      await sleep(400);
      expect([ended(orphan), listCalls() - before], 'not while its create might still be in flight').toEqual([false, 0]);
      await expect.poll(() => ended(orphan), { timeout: 2000, interval: 20 }).toBe(true);
      expect(listCalls() - before).toBe(1);
      await expect.poll(() => store.get('pending-dead'), { timeout: 1000, interval: 20 }).toBeNull();
      expect(await store.budgetUsed(budgetDay(admittedAt)), 'its reservation is given back').toBe(0);
      await sleep(300);
      expect(listCalls() - before, 'once').toBe(1);
    } finally {
      await reap.stop();
    }
  });

  it('sweeps orphans: sessions of this deployment that the ledger never recorded', async () => {
    const store = createMemoryStore();
    const client = createEquosClient({ apiKey: TEST_API_KEY, endpoint: equos.url });
    const orphan = (await client.sessions.create({ name: 'orphan', client: await tagIn(store, 'sweep-tag'), avatar: { id: 'a' } })).session.id;
    const known = await running(store);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const fresh = (await client.sessions.create({ name: 'just created', client: await tagIn(store, 'sweep-tag'), avatar: { id: 'a' } })).session.id;
    const otherDeployment = (await client.sessions.create({ name: 'not ours', client: 'someone-else', avatar: { id: 'a' } })).session.id;
    const reap = reaper(store, { orphans: { clientTag: 'sweep-tag', minAgeMs: 250 } });
    expect(await reap.sweepOrphans()).toBe(1);
    await reap.stop();
    expect([orphan, known, fresh, otherDeployment].map(ended)).toEqual([true, false, false, false]);
  });
});
