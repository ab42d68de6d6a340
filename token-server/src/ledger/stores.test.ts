/** Every ledger store passes the same contract. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RunningRedis } from '../../test/redis-server.js';
import { createMemoryStore } from './memory-store.js';
import { createRedisStore } from './redis-store.js';
import { createSqliteStore } from './sqlite-store.js';
import { describeStoreContract, record } from './testing/store-contract.js';
import { BUDGET_RETENTION_MS, STALE_PENDING_MS, STOPPED_RETENTION_MS } from './store.js';

let redis: RunningRedis;
let database = 0;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.close());

describeStoreContract('memory', () => createMemoryStore());
describeStoreContract('sqlite', () => createSqliteStore(':memory:'));
// A fresh key prefix per test: an empty store without flushing the server.
describeStoreContract('redis', () => createRedisStore({ url: redis.url, prefix: `t${(database += 1)}:` }), { expiresByItself: true });

describe('the Redis store expires on its own', () => {
  it('keeps a stopped session for the retention, a pending one until it is surely dead', async () => {
    const prefix = 'ttl:';
    const store = createRedisStore({ url: redis.url, prefix });
    const raw = new Redis(redis.url);
    try {
      const now = Date.now();
      await store.admit(record('p-1', { state: 'pending', createdAt: now }), { perVisitor: 2, global: 3, pendingTtlMs: 60_000 });
      // Long after it stops counting (60 s), so the reaper can still find a dead create's admission.
      const pendingTtl = await raw.pttl(`${prefix}s:p-1`);
      expect(pendingTtl).toBeGreaterThan(STALE_PENDING_MS - 60_000);
      expect(pendingTtl).toBeLessThanOrEqual(STALE_PENDING_MS);
      await store.activate('p-1', record('ses_1', { createdAt: now }));
      expect(await raw.pttl(`${prefix}s:ses_1`)).toBe(-1);
      await store.markStopped('ses_1', now);
      const stoppedTtl = await raw.pttl(`${prefix}s:ses_1`);
      expect(stoppedTtl).toBeGreaterThan(STOPPED_RETENTION_MS - 60_000);
      expect(stoppedTtl).toBeLessThanOrEqual(STOPPED_RETENTION_MS);
      await store.addBudget('2026-11-25', 5);
      const budgetTtl = await raw.pttl(`${prefix}budget:2026-11-25`);
      expect(budgetTtl).toBeGreaterThan(BUDGET_RETENTION_MS - 60_000);
      expect(budgetTtl).toBeLessThanOrEqual(BUDGET_RETENTION_MS);
    } finally {
      raw.disconnect();
      await store.close();
    }
  });
});
