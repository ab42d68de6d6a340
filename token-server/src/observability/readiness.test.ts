/**
 * `GET /readyz` over real HTTP with each kind of ledger: ready while the ledger answers, `503
 * not-ready` while it does not (a store that fails, one that hangs, a real redis-server that
 * is stopped), ready again when it is back; `GET /healthz` (liveness) unchanged throughout.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../test/harness.js';
import { startRedis } from '../../test/redis-server.js';
import { createMemoryStore } from '../ledger/memory-store.js';
import { createRedisStore } from '../ledger/redis-store.js';
import { createSqliteStore } from '../ledger/sqlite-store.js';
import type { LedgerStore } from '../ledger/store.js';

/** A memory store whose calls fail (`down`) or never answer (`hung`) when told. */
function switchableStore(): { store: LedgerStore; set(state: 'up' | 'down' | 'hung'): void } {
  const inner = createMemoryStore();
  let state: 'up' | 'down' | 'hung' = 'up';
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || property === 'close') return value;
      return (...args: unknown[]) => {
        if (state === 'down') return Promise.reject(new Error('ECONNREFUSED ledger'));
        if (state === 'hung') return new Promise(() => {});
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, set: (next) => (state = next) };
}

async function probe(stack: Stack) {
  const response = await stack.request('/readyz', { origin: null });
  return { status: response.status, body: response.json(), cacheControl: response.headers.get('cache-control'), type: response.headers.get('content-type') };
}

const ready = (ledger: string) => ({ status: 200, body: { status: 'ready', ledger }, cacheControl: 'no-store', type: 'application/json' });

describe('GET /readyz', () => {
  it('is ready on memory and SQLite ledgers, from any origin or none; only GET', async () => {
    const sqlite = createSqliteStore(join(mkdtempSync(join(tmpdir(), 'readyz-')), 'ledger.sqlite'));
    for (const [store, kind] of [[createMemoryStore(), 'memory'], [sqlite, 'sqlite']] as const) {
      const stack = await startStack({ deps: { store } });
      try {
        expect(await probe(stack)).toEqual(ready(kind));
        expect((await stack.request('/readyz', { origin: 'https://evil.example' })).status).toBe(200);
        const post = await stack.request('/readyz', { method: 'POST', origin: null });
        expect([post.status, post.json().code, post.headers.get('allow')]).toEqual([405, 'method-not-allowed', 'GET']);
      } finally {
        await stack.close();
        await store.close();
      }
    }
  });

  it('is 503 not-ready while the ledger fails or hangs, and ready again when it answers; /healthz stays 200', async () => {
    const ledger = switchableStore();
    const stack = await startStack({ deps: { store: ledger.store } });
    try {
      expect(await probe(stack)).toEqual(ready('memory'));
      ledger.set('down');
      const down = await probe(stack);
      expect(down).toMatchObject({ status: 503, cacheControl: 'no-store', type: 'application/problem+json' });
      expect(down.body).toMatchObject({ code: 'not-ready', status: 503, type: '/problems/not-ready', detail: 'The session ledger cannot be read.' });
      // The reason is the operator's, in the log; the probe is public.
      expect(JSON.stringify(down.body)).not.toContain('ECONNREFUSED');
      expect(stack.logs.filter((line) => line.includes('"readiness.lost"') && line.includes('ECONNREFUSED ledger'))).toHaveLength(1);
      expect((await stack.request('/healthz', { origin: null })).status).toBe(200);

      ledger.set('hung');
      const hung = await probe(stack);
      expect([hung.status, hung.body.code, hung.body.detail]).toEqual([503, 'not-ready', 'The session ledger did not answer within 1000 ms.']);

      ledger.set('up');
      expect(await probe(stack)).toEqual(ready('memory'));
      expect(stack.logs.filter((line) => line.includes('"readiness.regained"'))).toHaveLength(1);
    } finally {
      await stack.close();
    }
  });

  it('is not ready before the deployment can be read from the ledger', async () => {
    const ledger = switchableStore();
    ledger.set('down');
    const stack = await startStack({ deps: { store: ledger.store } });
    try {
      expect((await probe(stack)).status).toBe(503);
      ledger.set('up');
      expect(await probe(stack)).toEqual(ready('memory'));
    } finally {
      await stack.close();
    }
  });

  it('follows a real Redis: ready, 503 once it is stopped, ready when it comes back on its port', async () => {
    const first = await startRedis();
    const port = Number(new URL(first.url).port);
    const store = await createRedisStore({ url: first.url, prefix: `readyz-${Date.now()}:` });
    const stack = await startStack({ deps: { store } });
    let second: { close(): Promise<void> } | undefined;
    try {
      expect(await probe(stack)).toEqual(ready('redis'));
      await first.close();
      const down = await probe(stack);
      expect([down.status, down.body.code]).toEqual([503, 'not-ready']);
      second = await startRedis(port);
      // The client reconnects by itself (within its backoff, at most 2 s).
      await expect.poll(async () => (await probe(stack)).status, { timeout: 10_000, interval: 200 }).toBe(200);
      expect(await probe(stack)).toEqual(ready('redis'));
    } finally {
      await stack.close();
      await store.close();
      await first.close();
      await second?.close();
    }
  });
});
