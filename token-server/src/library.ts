/**
 * The token server as a library (`import … from 'equos-avatar/token-server'`, built into
 * dist/npm/token-server/ by scripts/build-package.mjs): what a Node host needs to run one
 * inside its own process, wired as `npm start` wires it (./node/server.ts, the composition
 * root's one caller that reads the environment).
 *
 * @example
 * import { createTokenServer, listen, openLedgerStore, readNodeSettings, startScheduler, widgetAssets } from 'equos-avatar/token-server';
 *
 * const { settings } = readNodeSettings(process.env);
 * const store = await openLedgerStore(settings.ledger);
 * const server = createTokenServer(settings, { store, assets: widgetAssets() });
 * await server.ready();
 * const scheduler = startScheduler(server, settings.reaper);
 * const listening = await listen(server.app, settings.listen);
 *
 * @packageDocumentation
 */
import { fileURLToPath } from 'node:url';
import type { StaticAssets } from './http/routes/static-files.js';
import { nodeAssets } from './node/assets.js';

// The composition root and what it is built with.
export { createTokenServer, type TokenServer, type TokenServerDeps } from './token-server.js';
export type { AppEnv } from './http/app-env.js';
export type { StaticAssets } from './http/routes/static-files.js';
export type { EquosClientLike, EquosConversationsApi, EquosSessionsApi } from './equos/sdk.js';
export type { EquosFetch } from './equos/http.js';
export type { HmacFactory } from './internal/hmac-key.js';
export type { Deployment } from './deployment/deployment.js';
export { LedgerOfAnotherEquosError } from './deployment/deployment.js';

// Settings: from any environment (`readSettings`), or from Node's (`readNodeSettings`).
export {
  ConfigError,
  DEFAULTS,
  ENVIRONMENT_VARIABLES,
  readSettings,
  type EquosConnection,
  type EquosDeadlines,
  type EquosRetryPolicy,
  type LedgerLocation,
  type ReadSettings,
  type ReaperTiming,
  type SessionLimits,
  type Settings,
  type SettingsHost,
} from './config/settings.js';
export type { PageVariable, Preset } from './config/presets.js';
export { readNodeSettings } from './node/env.js';

// The session ledger's stores, behind one interface.
export type { LedgerEntry, LedgerState, LedgerStore, IndexEntry } from './ledger/store.js';
export { createMemoryStore } from './ledger/memory-store.js';
export { createSqliteStore, type SqliteStoreOptions } from './ledger/sqlite-store.js';
export { createRedisStore, type RedisStoreOptions } from './ledger/redis-store.js';
export { createPostgresStore, type PostgresStoreOptions } from './ledger/postgres-store.js';
export { openLedgerStore } from './node/open-ledger.js';

// What the Node entry wires around it.
export { startScheduler, type BackgroundPasses, type Scheduler } from './reaping/scheduler.js';
export { listen, type FetchApp, type Listening } from './node/listen.js';
export { nodeAssets, type NodeAssetsOptions } from './node/assets.js';
export { loadSharpResizer, type SharpResizerOptions, type ThumbnailFormat, type ThumbnailResizer } from './thumbnails/resizer.js';
export type { ThumbnailOptions } from './thumbnails/thumbnails.js';
export { createEquosFetch, type EquosFetchOptions } from './node/equos-fetch.js';
export { nodeHmac } from './node/node-hmac.js';
export { createLogger, silentLogger, type LogFields, type Logger, type LoggerOptions, type LogLevel } from './logger.js';
export { createPrometheusMetrics, type PrometheusMetrics, type PrometheusMetricsOptions } from './observability/prometheus.js';
export type { EquosCallName, EquosCallOutcome, LedgerGauges, LimitCode, Metrics, MetricsRecorder } from './observability/metrics.js';

/** The built widget's folder relative to this module, set by the package's build. */
declare const __EQUOS_WIDGET_DIR__: string | undefined;

/**
 * The widget's files as this package ships them (its `dist/`: `equos-avatar.js` and the files
 * it loads), for `deps.assets`: pages load the widget from the token server, and the element
 * module (`import 'equos-avatar'`) loads its later files from there. No demo pages.
 *
 * @example
 * const server = createTokenServer(settings, { store, assets: widgetAssets() });
 */
export function widgetAssets(): StaticAssets {
  // From source (tests), the repository's dist/.
  const widget = fileURLToPath(new URL(typeof __EQUOS_WIDGET_DIR__ === 'string' ? __EQUOS_WIDGET_DIR__ : '../../dist/', import.meta.url));
  return nodeAssets({ widget, examples: null });
}
