/** Every ledger store passes the same contract. */
import { afterAll, beforeAll } from 'vitest';
import { startRedis, type RunningRedis } from '../../test/redis-server.js';
import { createMemoryStore } from './memory-store.js';
import { createRedisStore } from './redis-store.js';
import { createSqliteStore } from './sqlite-store.js';
import { describeStoreContract } from './testing/store-contract.js';

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
