/**
 * The SQLite store's group commit: the writes of one turn of the event loop share one
 * transaction, and nobody hears of a write before it is committed. The store contract
 * (stores.test.ts) holds for it as for every store; these are what only SQLite does.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../../sandbox/equos-api/server.js';
import { TEST_API_KEY } from '../../test/harness.js';
import { LIFTED_LIMITS, spawnTokenServer } from '../../test/server-process.js';
import { createSqliteStore } from './sqlite-store.js';
import type { LedgerEntry } from './store.js';

const ledgerFile = () => join(mkdtempSync(join(tmpdir(), 'sqlite-store-')), 'ledger.sqlite');

const entry = (id: string, fields: Partial<LedgerEntry> = {}): LedgerEntry => ({
  id,
  preset: 'default',
  origin: null,
  visitorKey: 'v1',
  createdAt: 1000,
  deadline: 2000,
  lastHeartbeat: 1000,
  stopAttempts: 0,
  state: 'running',
  nextAttemptAt: 0,
  stoppedAt: null,
  reservedMinutes: 0,
  consent: null,
  dueAt: 2000,
  openUntil: 9e15,
  visitorOpenUntil: 2000,
  forgetAt: null,
  ...fields,
});

/** What another connection (another process, after a crash) reads from the file. */
function committed(path: string): { ids: string[]; hits: number | undefined } {
  const db = new Database(path, { readonly: true });
  try {
    const ids = (db.prepare('SELECT id FROM entries ORDER BY id').all() as Array<{ id: string }>).map((row) => row.id);
    const hits = (db.prepare("SELECT count FROM rate_windows WHERE key = 'k'").get() as { count: number } | undefined)?.count;
    return { ids, hits };
  } finally {
    db.close();
  }
}

describe('the SQLite store', () => {
  it('commits the writes of one turn together, and answers each only once they are committed', async () => {
    const path = ledgerFile();
    const store = createSqliteStore(path);
    const writes = [
      store.insertWithinCaps(entry('ses_a'), { perVisitor: 10, global: 10 }, 1000),
      store.insertWithinCaps(entry('ses_b'), { perVisitor: 10, global: 10 }, 1000),
      store.hit('k', 10, 60_000, 1000),
      store.hit('k', 10, 60_000, 1000),
    ];
    // Asked for, not yet committed: no other connection sees any of it, and no caller has heard.
    expect(committed(path)).toEqual({ ids: [], hits: undefined });
    let answered = 0;
    for (const write of writes) void write.then(() => (answered += 1));
    await Promise.resolve();
    expect(answered).toBe(0);
    await Promise.all(writes);
    expect(committed(path)).toEqual({ ids: ['ses_a', 'ses_b'], hits: 2 });
    // Each write still saw the ones before it (the caps count the entries of the same turn).
    const [, , first, second] = (await Promise.all(writes)) as unknown[];
    expect([first, second]).toMatchObject([{ allowed: true }, { allowed: true }]);
    expect(await store.insertWithinCaps(entry('ses_c'), { perVisitor: 2, global: 10 }, 1000)).toEqual({ admitted: false, reason: 'visitor-cap' });
    await store.close();
  });

  it('refuses a write that fails on its own, undone whole, and commits the others of its turn', async () => {
    const path = ledgerFile();
    const store = createSqliteStore(path);
    await store.insertWithinCaps(entry('pending-1', { state: 'pending' }), { perVisitor: 10, global: 10 }, 1000);
    await store.insertWithinCaps(entry('ses_taken'), { perVisitor: 10, global: 10 }, 1000);
    // Replacing pending-1 by an id that is taken fails: its delete is undone with it.
    const results = await Promise.allSettled([store.hit('k', 10, 60_000, 1000), store.replace('pending-1', entry('ses_taken')), store.update(entry('ses_taken', { lastHeartbeat: 1500 }), ['running'])]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committed(path)).toEqual({ ids: ['pending-1', 'ses_taken'], hits: 1 });
    expect((await store.get('ses_taken'))?.lastHeartbeat).toBe(1500);
    await store.close();
  });

  it('commits what was asked for before it closes', async () => {
    const path = ledgerFile();
    const store = createSqliteStore(path);
    const asked = store.insertWithinCaps(entry('ses_last'), { perVisitor: 10, global: 10 }, 1000);
    await store.close();
    expect(await asked).toEqual({ admitted: true });
    expect(committed(path).ids).toEqual(['ses_last']);
    await expect(store.hit('k', 10, 60_000, 1000)).rejects.toThrow();
  });
});

describe('the token server on SQLite, killed right after it answered', () => {
  let equos: RunningEquosApiDouble;
  beforeAll(async () => {
    equos = await startEquosApiDouble({ apiKey: TEST_API_KEY });
  });
  afterAll(() => equos.close());

  it('has in its ledger file every session it handed out and every stop it confirmed', async () => {
    const path = ledgerFile();
    const origin = 'https://shop.example';
    const env = { EQUOS_API_KEY: TEST_API_KEY, EQUOS_ENDPOINT: equos.url, EQUOS_AVATAR_ID: 'avatar-1', ALLOWED_ORIGINS: origin, LEDGER_PATH: path, ...LIFTED_LIMITS };
    const post = (url: string, body: string) => fetch(url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body });
    const server = spawnTokenServer(env);
    try {
      const base = await server.ready();
      const created = await Promise.all(Array.from({ length: 20 }, async () => (await post(`${base}/api/sessions`, '{}')).json() as Promise<{ session_id: string; stop_token: string }>));
      const stopped = await Promise.all(created.slice(0, 10).map(async ({ session_id, stop_token }) => (await post(`${base}/api/sessions/${session_id}/stop`, JSON.stringify({ stop_token }))).status));
      expect(stopped).toEqual(Array(10).fill(200));
      // No grace: what the answers promised must already be on disk.
      await server.kill('SIGKILL');
      const db = new Database(path, { readonly: true });
      const states = new Map((db.prepare('SELECT id, state FROM entries').all() as Array<{ id: string; state: string }>).map((row) => [row.id, row.state]));
      db.close();
      expect(created.map(({ session_id }) => states.get(session_id))).toEqual([...Array(10).fill('stopped'), ...Array(10).fill('running')]);
    } finally {
      await server.kill('SIGKILL');
    }
  });
});
