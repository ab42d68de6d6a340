/**
 * What the token server needs on a runtime other than Node (Bun, Deno): a real Equos key (the
 * local sandbox runs on Node only) and the Redis ledger (the SQLite one is better-sqlite3, a
 * Node addon neither Bun nor Deno can load; the Postgres one is tested on Node only). Said at start-up, as a `ConfigError` naming the
 * variable to set, not at the first visitor.
 */
import { ConfigError, type ReadSettings } from '../config/settings.js';

/** The runtimes this applies to, as their names are written in messages. */
export type OtherRuntime = 'Bun' | 'Deno';

/**
 * The settings as read, when they fit the runtime.
 *
 * @throws ConfigError naming EQUOS_API_KEY without a key, REDIS_URL without Redis
 * @example
 * const read = requireKeyAndRedis(readNodeSettings(process.env), 'Bun');
 */
export function requireKeyAndRedis(read: ReadSettings, runtime: OtherRuntime): ReadSettings {
  const { settings } = read;
  // First: without a key the settings name the sandbox's in-memory ledger.
  if (!settings.equos) {
    throw new ConfigError('EQUOS_API_KEY', `is required on ${runtime}: the local sandbox runs on Node only (npm start).`);
  }
  if (settings.ledger.kind === 'sqlite') {
    throw new ConfigError('REDIS_URL', `is required on ${runtime}: the SQLite ledger (LEDGER_PATH) needs better-sqlite3, a Node addon; set REDIS_URL=redis://… to keep the ledger in Redis.`);
  }
  if (settings.ledger.kind !== 'redis') {
    // Postgres (DATABASE_URL) is tested on Node only, for now.
    throw new ConfigError('REDIS_URL', `is required on ${runtime}: its ledger is tested on Redis only; set REDIS_URL=redis://… in place of DATABASE_URL.`);
  }
  return read;
}
