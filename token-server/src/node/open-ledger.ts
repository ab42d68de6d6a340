/** Opens the ledger the settings name: SQLite (the default), Redis (`REDIS_URL`), or memory (the sandbox's default). */
import type { LedgerLocation } from '../config/settings.js';
import type { IndexEntry, LedgerStore } from '../ledger/store.js';

/**
 * Opens the store. Loaded lazily, so a deployment on Redis never loads the SQLite binding and
 * the other way round. Fails at start-up, not at the first visitor, when the store cannot be
 * reached.
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
  const { createSqliteStore } = await import('../ledger/sqlite-store.js');
  return createSqliteStore(ledger.path, indexLegacy ? { indexLegacy } : {});
}
