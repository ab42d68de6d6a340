/** Every ledger store passes the same contract. */
import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type RunningPostgres } from '../../test/postgres-server.js';
import { startRedis, type RunningRedis } from '../../test/redis-server.js';
import { createMemoryStore } from './memory-store.js';
import { createPostgresStore } from './postgres-store.js';
import { createRedisStore } from './redis-store.js';
import { createSqliteStore } from './sqlite-store.js';
import { describeStoreContract } from './testing/store-contract.js';

let redis: RunningRedis;
let postgres: RunningPostgres;
let database = 0;
beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
}, 30_000);
afterAll(() => Promise.all([redis?.close(), postgres?.close()]));

describeStoreContract('memory', () => createMemoryStore());
describeStoreContract('sqlite', () => createSqliteStore(':memory:'));
// A fresh key prefix per test: an empty store without flushing the server.
describeStoreContract('redis', () => createRedisStore({ url: redis.url, prefix: `t${(database += 1)}:` }), { expiresByItself: true });
// A fresh schema per test: an empty ledger in the one database.
describeStoreContract('postgres', () => createPostgresStore({ url: postgres.url, schema: `contract_${(database += 1)}` }));
