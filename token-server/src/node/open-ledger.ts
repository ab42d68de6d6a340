/** Opens the ledger the settings name: SQLite (the default) or Redis (`REDIS_URL`). */
import type { LedgerLocation } from '../config/settings.js';
import type { LedgerStore } from '../ledger/store.js';

/**
 * Opens the store. Loaded lazily, so a deployment on Redis never loads the SQLite binding and
 * the other way round.
 */
export async function openLedgerStore(ledger: LedgerLocation): Promise<LedgerStore> {
  if (ledger.kind === 'redis') {
    const { createRedisStore } = await import('../ledger/redis-store.js');
    const store = createRedisStore({ url: ledger.url });
    // Fail at start-up, not at the first visitor, when Redis cannot be reached.
    await store.countOpen({ now: Date.now(), pendingTtlMs: 0 });
    return store;
  }
  const { createSqliteStore } = await import('../ledger/sqlite-store.js');
  return createSqliteStore(ledger.path);
}
