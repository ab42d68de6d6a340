/** Opens the ledger the settings name: SQLite (the default), Redis (`REDIS_URL`), Postgres (`DATABASE_URL`), or memory (the sandbox's default). */
import type { LedgerLocation } from '../config/settings.js';
import type { IndexEntry, LedgerStore } from '../ledger/store.js';

/**
 * Opens the store. Loaded lazily, so a deployment on Redis or Postgres never loads the SQLite
 * binding and the other way round. Fails at start-up, not at the first visitor, when the store
 * cannot be reached.
 *
 * @param indexLegacy indexes entries an earlier version wrote (`indexed` under the settings' policy)
 */
export async function openLedgerStore(ledger: LedgerLocation, indexLegacy?: IndexEntry): Promise<LedgerStore> {
  if (ledger.kind === 'memory') {
    const { createMemoryStore } = await import('../ledger/memory-store.js');
    return createMemoryStore();
  }
  if (ledger.kind === 'redis') {
    const { createRedisStore } = await import('../ledger/redis-store.js');
    return createRedisStore({ url: ledger.url, ...(indexLegacy ? { indexLegacy } : {}) });
  }
  if (ledger.kind === 'postgres') {
    // An earlier version never wrote a Postgres ledger: there is nothing to index.
    const { createPostgresStore } = await import('../ledger/postgres-store.js');
    return createPostgresStore({ url: ledger.url });
  }
  const { createSqliteStore } = await import('../ledger/sqlite-store.js');
  return createSqliteStore(ledger.path, indexLegacy ? { indexLegacy } : {});
}

/**
 * The variable that names the ledger `ledger` is, for messages about it.
 *
 * @example
 * process.stderr.write(`cannot open the session ledger (${ledgerVariable(settings.ledger)}): ${error.message}\n`);
 */
export function ledgerVariable(ledger: LedgerLocation): 'REDIS_URL' | 'DATABASE_URL' | 'LEDGER_PATH' {
  return ledger.kind === 'redis' ? 'REDIS_URL' : ledger.kind === 'postgres' ? 'DATABASE_URL' : 'LEDGER_PATH';
}
