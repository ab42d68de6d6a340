/**
 * What the Postgres store does beyond the contract (./stores.test.ts runs that over it), on a
 * real PostgreSQL: its schema and layout, deployments sharing a database, the invariants held
 * across instances (each a pool of its own, as each process has), and a database that goes away.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type RunningPostgres } from '../../test/postgres-server.js';
import { createPostgresStore } from './postgres-store.js';
import type { LedgerStore } from './store.js';
import { entry } from './testing/store-contract.js';

const T0 = 1_800_000_000_000;

let postgres: RunningPostgres;
let admin: pg.Pool;
let schemas = 0;
/** A schema no test used yet. */
const freshSchema = () => `p${(schemas += 1)}`;

beforeAll(async () => {
  postgres = await startPostgres();
  admin = new pg.Pool({ connectionString: postgres.url });
  // Its idle connections are cut when the server stops (below).
  admin.on('error', () => {});
}, 30_000);
afterAll(async () => {
  await admin?.end();
  await postgres?.close();
});

/** Opens `count` stores on one schema: as many instances of one deployment. */
async function instances(count: number, schema: string): Promise<LedgerStore[]> {
  return Promise.all(Array.from({ length: count }, () => createPostgresStore({ url: postgres.url, schema })));
}
const closeAll = (stores: LedgerStore[]) => Promise.all(stores.map((store) => store.close()));

describe('the Postgres store', () => {
  it('creates its schema, tables and layout on open, and opens them again as they are', async () => {
    const schema = freshSchema();
    const store = await createPostgresStore({ url: postgres.url, schema });
    await store.close();
    const { rows: tables } = await admin.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema]);
    expect(tables.map((row) => row.table_name)).toEqual(['budget', 'entries', 'kept', 'leases', 'meta', 'outbox', 'rate_windows', 'usage']);
    expect((await admin.query(`SELECT value FROM ${schema}.meta WHERE key = 'layout'`)).rows).toEqual([{ value: '1' }]);
    const { rows: columns } = await admin.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'entries' AND column_name IN ('created_at', 'reserved_minutes')", [schema]);
    expect(Object.fromEntries(columns.map((row) => [row.column_name, row.data_type]))).toEqual({ created_at: 'bigint', reserved_minutes: 'double precision' });

    const again = await createPostgresStore({ url: postgres.url, schema });
    try {
      expect(await again.get('ses_none')).toBeNull();
    } finally {
      await again.close();
    }
  });

  it('opens a ledger created earlier with a user that may not create tables, and needs that right only to create one', async () => {
    const schema = freshSchema();
    await (await createPostgresStore({ url: postgres.url, schema })).close();
    const role = `worker_${schema}`;
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
    await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
    const url = postgres.url.replace('postgres@', `${role}@`);
    const store = await createPostgresStore({ url, schema });
    try {
      // Every table, written and read.
      expect(await store.insertWithinCaps(entry('ses_1'), { perVisitor: 2, global: 3 }, T0)).toEqual({ admitted: true });
      const event = { id: 'session.ended:ses_1', type: 'session.ended' as const, body: '{}', createdAt: T0, attempts: 0, nextAttemptAt: T0 };
      expect(await store.update(entry('ses_1', { state: 'stopped' }), ['running'], { event, usage: { day: '2027-01-15', preset: 'default', origin: null, minutes: 1 } })).toBe(true);
      expect((await store.get('ses_1'))?.state).toBe('stopped');
      expect(await store.listOutboxDue(T0, 10)).toEqual([event]);
      expect(await store.claim('ses_1', 'a', T0, 1000)).toBe(true);
      expect((await store.hit('ip:1', 1, 60_000, T0)).allowed).toBe(true);
      expect(await store.addBudget('2027-01-15', 2)).toBe(2);
      expect(await store.keepFirst('deployment-id', 'x')).toBe('x');
      expect(await store.housekeeping(T0 + 10 * 365 * 24 * 3600 * 1000)).toBe(1);
    } finally {
      await store.close();
    }
    await expect(createPostgresStore({ url, schema: freshSchema() })).rejects.toThrow(/permission denied/);

    // A schema made for it, which it may create tables in, will do for the first start.
    const own = freshSchema();
    await admin.query(`CREATE SCHEMA ${own}`);
    await admin.query(`GRANT USAGE, CREATE ON SCHEMA ${own} TO ${role}`);
    const first = await createPostgresStore({ url, schema: own });
    try {
      expect(await first.keepFirst('deployment-id', 'mine')).toBe('mine');
    } finally {
      await first.close();
    }
  });

  it('keeps deployments that share a database apart, each in the schema its URL names', async () => {
    const [first, second] = [freshSchema(), freshSchema()];
    const a = await createPostgresStore({ url: `${postgres.url}?schema=${first}` });
    const b = await createPostgresStore({ url: `${postgres.url}?application_name=other&schema=${second}` });
    try {
      await a.insertWithinCaps(entry('ses_1'), { perVisitor: 1, global: 1 }, T0);
      // Its own caps, its own entries, its own identity.
      expect(await b.insertWithinCaps(entry('ses_1'), { perVisitor: 1, global: 1 }, T0)).toEqual({ admitted: true });
      expect(await b.insertWithinCaps(entry('ses_2', { visitorKey: 'visitor-b' }), { perVisitor: 1, global: 1 }, T0)).toEqual({ admitted: false, reason: 'global-cap' });
      expect(await a.keepFirst('deployment-id', 'first')).toBe('first');
      expect(await b.keepFirst('deployment-id', 'second')).toBe('second');
      expect((await admin.query(`SELECT count(*)::int AS n FROM ${first}.entries`)).rows[0].n).toBe(1);
    } finally {
      await closeAll([a, b]);
    }
  });

  it('refuses a schema of a newer layout, saying so', async () => {
    const schema = freshSchema();
    await (await createPostgresStore({ url: postgres.url, schema })).close();
    await admin.query(`UPDATE ${schema}.meta SET value = '9' WHERE key = 'layout'`);
    await expect(createPostgresStore({ url: postgres.url, schema })).rejects.toThrow(/layout 9, newer than this version reads \(1\); upgrade the token server/);
  });

  it('refuses a schema name it would have to quote, before connecting', async () => {
    await expect(createPostgresStore({ url: postgres.url, schema: 'Robert"; DROP TABLE x; --' })).rejects.toThrow(TypeError);
    await expect(createPostgresStore({ url: `${postgres.url}?schema=has-dash` })).rejects.toThrow(/not a plain schema name/);
  });

  it('lets instances racing to open an empty schema all succeed', async () => {
    const stores = await instances(4, freshSchema());
    try {
      expect(await Promise.all(stores.map((store) => store.countOpen(T0)))).toEqual([0, 0, 0, 0]);
    } finally {
      await closeAll(stores);
    }
  });

  it('keeps whole ms: a fractional time is rounded, every time reads back as a number', async () => {
    const [store] = await instances(1, freshSchema());
    try {
      await store!.insertWithinCaps(entry('ses_1', { deadline: T0 + 1100.0000000000002, dueAt: T0 + 0.6 }), { perVisitor: 2, global: 3 }, T0);
      expect(await store!.get('ses_1')).toMatchObject({ deadline: T0 + 1100, dueAt: T0 + 1, createdAt: T0, reservedMinutes: 5 });
      expect((await store!.listDue(T0 + 1, ['running'], 10)).map((due) => due.id)).toEqual(['ses_1']);
    } finally {
      await store!.close();
    }
  });
});

describe('the Postgres store across instances (a pool each, one schema)', () => {
  it('admits no more than the caps when instances race for the last places', async () => {
    const stores = await instances(3, freshSchema());
    try {
      // 60 visitors on three instances at once for 7 places overall.
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, index) => stores[index % 3]!.insertWithinCaps(entry(`ses_${index}`, { visitorKey: `visitor-${index}` }), { perVisitor: 2, global: 7 }, T0)),
      );
      expect(results.filter((result) => result.admitted)).toHaveLength(7);
      expect(results.filter((result) => !result.admitted && result.reason === 'global-cap')).toHaveLength(53);
      expect(await stores[0]!.countOpen(T0)).toBe(7);
      // One visitor on every instance at once: two places.
      const visitor = await Promise.all(Array.from({ length: 12 }, (_, index) => stores[index % 3]!.insertWithinCaps(entry(`one_${index}`, { visitorKey: 'visitor-x' }), { perVisitor: 2, global: 100 }, T0)));
      expect(visitor.filter((result) => result.admitted)).toHaveLength(2);
      expect(visitor.filter((result) => !result.admitted && result.reason === 'visitor-cap')).toHaveLength(10);
    } finally {
      await closeAll(stores);
    }
  });

  it('gives each id to one claimant, counts every hit once, keeps one first value and one outbox event', async () => {
    const stores = await instances(3, freshSchema());
    try {
      const ids = Array.from({ length: 20 }, (_, index) => `ses_${index}`);
      const claims = await Promise.all(ids.flatMap((id) => stores.map((store, owner) => store.claim(id, `instance-${owner}`, T0, 30_000).then((held) => [id, held] as const))));
      for (const id of ids) expect(claims.filter(([claimed, held]) => claimed === id && held)).toHaveLength(1);

      const hits = await Promise.all(Array.from({ length: 90 }, (_, index) => stores[index % 3]!.hit('create:site', 40, 60_000, T0)));
      expect(hits.filter((hit) => hit.allowed)).toHaveLength(40);

      const kept = await Promise.all(stores.flatMap((store, index) => [store.keepFirst('session-secret', `secret-${index}`), store.keepFirst('session-secret', `other-${index}`)]));
      expect(new Set(kept).size).toBe(1);

      // Every instance ends the same session at once: one ends it, with one event and one usage row.
      await stores[0]!.insertWithinCaps(entry('ses_end'), { perVisitor: 2, global: 100 }, T0);
      const ended = { id: 'session.ended:ses_end', type: 'session.ended' as const, body: '{}', createdAt: T0, attempts: 0, nextAttemptAt: T0 };
      const usage = { day: '2027-01-15', preset: 'default', origin: null, minutes: 2 };
      const stops = await Promise.all(stores.map((store) => store.update(entry('ses_end', { state: 'stopped' }), ['running'], { event: ended, usage })));
      expect(stops.filter(Boolean)).toHaveLength(1);
      expect(await stores[1]!.outboxSize()).toBe(1);
      expect(await stores[2]!.usage('2027-01-15', '2027-01-15')).toEqual([{ day: '2027-01-15', preset: 'default', origin: null, sessions: 1, minutes: 2 }]);
    } finally {
      await closeAll(stores);
    }
  });
});

describe('the Postgres store when the database goes away', () => {
  it('cannot be opened on an address where nothing listens: it rejects, naming the reason and not the password', async () => {
    const closedPort = postgres.url.replace('postgres@', 'postgres:hunter2-secret@').replace(/:(\d+)\//, () => ':1/');
    const error = await createPostgresStore({ url: closedPort, timeoutMs: 2000 }).then(
      () => null,
      (reason: Error) => reason,
    );
    expect(error?.message).toMatch(/ECONNREFUSED/);
    expect(error?.message).not.toContain('hunter2');
  });

  it('gives up on a server that accepts connections and never answers, instead of waiting for ever', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      await expect(createPostgresStore({ url: `postgres://postgres@127.0.0.1:${port}/postgres`, timeoutMs: 300 })).rejects.toThrow(/timeout/i);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('rejects every call while it is down, without crashing the process, and works again once it is back', async () => {
    const stores = await instances(2, freshSchema());
    const [store] = stores;
    try {
      await store!.insertWithinCaps(entry('ses_1'), { perVisitor: 2, global: 3 }, T0);
      // Idle connections in the pool, each to be cut by the shutdown.
      await Promise.all([store!.get('ses_1'), store!.countOpen(T0), store!.claim('ses_1', 'a', T0, 1000)]);
      await postgres.stop();
      for (const call of [
        () => store!.get('ses_1'),
        () => store!.insertWithinCaps(entry('ses_2', { visitorKey: 'visitor-b' }), { perVisitor: 2, global: 3 }, T0),
        () => store!.update(entry('ses_1', { state: 'stopping' }), ['running']),
        () => store!.hit('create:site', 10, 60_000, T0),
        () => stores[1]!.listDue(T0, ['running'], 10),
      ]) {
        await expect(call()).rejects.toThrow();
      }
      await postgres.start();
      expect((await store!.get('ses_1'))?.state).toBe('running');
      expect(await store!.insertWithinCaps(entry('ses_2', { visitorKey: 'visitor-b' }), { perVisitor: 2, global: 3 }, T0)).toEqual({ admitted: true });
      expect(await stores[1]!.countOpen(T0)).toBe(2);
    } finally {
      await postgres.start().catch(() => {});
      await closeAll(stores);
    }
  }, 30_000);
});
