/** Opens the ledger the configuration names: SQLite (the default) or Redis (`REDIS_URL`). */
import type { LedgerConfig } from '../config.js';
import type { LedgerStore } from './store.js';

/**
 * Opens the store. Loaded lazily, so a deployment on Redis never loads the SQLite binding and
 * the other way round.
 */
export async function openLedgerStore(ledger: LedgerConfig): Promise<LedgerStore> {
  if (ledger.kind === 'redis') {
    const { createRedisStore } = await import('./redis-store.js');
    const store = createRedisStore({ url: ledger.url });
    // Fail at start-up, not at the first visitor, when Redis cannot be reached.
    await store.countOpen({ now: Date.now(), pendingTtlMs: 0 });
    return store;
  }
  const { createSqliteStore } = await import('./sqlite-store.js');
  return createSqliteStore(ledger.path);
}
