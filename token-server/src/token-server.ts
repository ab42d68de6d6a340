/**
 * The composition root: the one place that builds a whole token server from its settings.
 * The Node entry, the test harnesses, the test stack and the benchmarks all build theirs here,
 * so every process has one Equos client (with the configured deadlines), one gateway with one
 * retry policy, one stop, one reaper and one orphan sweeper, wired the same way.
 *
 * Runtime-neutral: nothing here imports Node. The ledger store is passed in (the Node entry
 * opens SQLite or Redis); timers are not started here (reaping/scheduler.ts runs the passes
 * on Node; a cron runtime calls them itself).
 */
import type { Hono } from 'hono';
import { orphanMinAgeMs as orphanAgeOf, type Settings } from './config/settings.js';
import { generationOf } from './config/presets.js';
import { createEquosClient } from './equos/client.js';
import type { EquosFetch } from './equos/http.js';
import type { HmacFactory } from './internal/hmac-key.js';
import { upstreamOf } from './equos/upstream.js';
import { createEquosV3Client } from './equos/v3-client.js';
import { createEquosGateway } from './equos/gateway.js';
import type { EquosClientLike } from './equos/sdk.js';
import type { AppEnv } from './http/app-env.js';
import { createApp } from './http/app.js';
import type { StaticAssets } from './http/routes/static-files.js';
import type { LedgerStore } from './ledger/store.js';
import { createLogger, type Logger } from './logger.js';
import { NO_METRICS, readLedgerGauges, type Metrics } from './observability/metrics.js';
import { createReadiness } from './observability/readiness.js';
import { createOrphanSweeper } from './reaping/orphan-sweeper.js';
import { createReaper } from './reaping/reaper.js';
import type { BackgroundPasses } from './reaping/scheduler.js';
import { deploymentIn, type Deployment } from './deployment/deployment.js';
import { createActionLimits, perSessionActionLimit } from './sessions/action-limits.js';
import { createCreateSession } from './sessions/create-session.js';
import { createRecordHeartbeat } from './sessions/heartbeat.js';
import { createSessionLedger, ledgerPolicyOf } from './sessions/session-ledger.js';
import { ledgerStep } from './sessions/ledger-step.js';
import { createStopSession } from './sessions/stop-session.js';
import { createStopTokens } from './sessions/stop-tokens.js';
import { SESSION_PICTURE_WIDTH, thumbnailPath } from './thumbnails/sizes.js';
import { createThumbnails, type ThumbnailOptions } from './thumbnails/thumbnails.js';
import { createVisitorKeys, nodeConnectionAddress, type ConnectionAddress } from './visitors/client-address.js';
import { createWebhookDelivery } from './webhooks/delivery.js';

/** What a token server is built with besides its settings. */
export interface TokenServerDeps {
  /** The session ledger (required: a token server that cannot track its sessions must not start any). */
  store: LedgerStore;
  /**
   * The Equos client: an `@equos/node-sdk` instance (`Equos.client(key)`) or anything of its
   * shape [our own client, from `settings.equos`].
   */
  equos?: EquosClientLike;
  /**
   * How our own Equos client reaches Equos (with `settings.equos`) [globalThis.fetch]: the Node
   * entry passes a leaner one, on kept-alive `node:http` connections (node/equos-fetch.ts).
   */
  equosFetch?: EquosFetch;
  /**
   * How stop tokens and visitor keys compute HMAC-SHA256 [Web Crypto]: the Node entry passes
   * `node:crypto`'s (node/node-hmac.ts), the same MACs without a trip to the thread pool.
   */
  hmac?: HmacFactory;
  /** [JSON lines on the console, with the API key redacted] */
  logger?: Logger;
  /** The widget's files (and demo pages) [none: only the API is served]. */
  assets?: StaticAssets;
  /**
   * Serving the presets' pictures small: the resizer (on Node, `await loadSharpResizer()` from
   * thumbnails/resizer.ts) and its limits [no resizer: `GET api/presets` lists each picture's
   * source, and the thumbnail route redirects there].
   */
  thumbnails?: ThumbnailOptions;
  /**
   * How the runtime tells a request's connection address, which the per-visitor limits count
   * by unless TRUSTED_PROXY_HEADER names a header to believe [Node's socket, `c.env.incoming`]:
   * on Bun `getConnInfo` from `hono/bun`, on Deno from `hono/deno` (the Bun and Deno entries
   * pass theirs). A request without any address counts as the one visitor `unknown`, and a
   * warning says so once (visitors/client-address.ts).
   */
  connectionAddress?: ConnectionAddress;
  /**
   * Where the use cases' metrics go, served at `GET /metrics` when METRICS_TOKEN is set (and
   * required then): on Node, Bun and Deno `createPrometheusMetrics()` (observability/prometheus.ts,
   * kept out of this module: prom-client needs Node built-ins) [none recorded].
   */
  metrics?: Metrics;
  /** Clock in ms [Date.now]. */
  now?: () => number;
}

/** A token server: its HTTP app and its background passes. */
export interface TokenServer extends BackgroundPasses {
  /**
   * Reads (or, the first time, makes) the deployment's identity and secret in the ledger;
   * rejects when the ledger cannot be read or belongs to the other Equos (the sandbox, or the
   * cloud). Requests do this by themselves; the Node entry awaits it before listening.
   */
  ready(): Promise<Deployment>;
  /** The Hono app (mount it, or serve `fetch`). */
  app: Hono<AppEnv>;
  fetch: Hono<AppEnv>['fetch'];
  /** One reaper pass: stops due sessions, follows the traces of dead creates; resolves with the sessions stopped. */
  reapOnce(): Promise<number>;
  /** One orphan sweep now; resolves with the orphans stopped (undefined when Equos could not be listed). */
  sweepOnce(): Promise<number | undefined>;
  /** Asks for an early orphan sweep, as a create whose outcome is unknown does (`sweepIfDue` runs it). */
  requestSweep(): void;
  /** The early orphan sweep asked for by a failed create or a start-up, if its time has come. */
  sweepIfDue(): Promise<void>;
  /** Forgets what the ledger no longer needs; resolves with how many entries went. */
  housekeepOnce(): Promise<number>;
  /**
   * One webhook pass: sends the outbox's due events to WEBHOOK_URL, retries and gives up as
   * webhooks/delivery.ts says; resolves with the events delivered (0 without WEBHOOK_URL).
   */
  deliverWebhooksOnce(): Promise<number>;
}

/** A claim outlives the longest stop by this much. */
const LEASE_MARGIN_MS = 2000;

/**
 * Builds a token server.
 *
 * @throws TypeError when the store is missing, when neither `settings.equos` nor `deps.equos`
 *   says how to reach Equos, or when the settings are inconsistent
 * @example
 * const { settings } = readSettings(env);
 * const server = createTokenServer(settings, { store: createMemoryStore() });
 * export default { fetch: server.fetch };
 */
export function createTokenServer(settings: Settings, deps: TokenServerDeps): TokenServer {
  const secrets = settings.equos ? [settings.equos.apiKey] : [];
  // Never logged anyway; redacted should a message ever carry them.
  const operatorSecrets = [settings.webhook?.secret, settings.usageToken, settings.metricsToken].filter((secret): secret is string => typeof secret === 'string');
  const logger = deps.logger ?? createLogger({ secrets: [...secrets, ...operatorSecrets], level: settings.logLevel });
  const now = deps.now ?? Date.now;
  const { store } = deps;
  if (!store) throw new TypeError('createTokenServer: pass deps.store, the session ledger (openLedgerStore(settings.ledger) on Node, createMemoryStore() in tests).');
  const generation = generationOf(settings.presets);
  if (typeof generation === 'object') throw new TypeError(`createTokenServer: ${generation.mixed}`);
  const clientOptions = settings.equos && (deps.equosFetch ? { ...settings.equos, fetch: deps.equosFetch } : settings.equos);
  const client = deps.equos ?? (clientOptions ? (generation === 'v3' ? createEquosV3Client(clientOptions) : createEquosClient(clientOptions)) : undefined);
  if (!client) throw new TypeError('createTokenServer: set settings.equos ({ apiKey, endpoint }) or pass deps.equos (an Equos SDK client).');
  const upstream = upstreamOf(client);
  if (upstream.generation !== generation) {
    throw new TypeError(`createTokenServer: the presets are of the ${generation} API but the Equos client given speaks ${upstream.generation} (${generation === 'v3' ? 'client.conversations' : 'client.sessions'} is needed).`);
  }
  if (!settings.presets.some((preset) => preset.name === settings.defaultPreset)) {
    throw new TypeError(`createTokenServer: defaultPreset "${settings.defaultPreset}" is not one of the presets.`);
  }
  if (settings.metricsToken && !deps.metrics) {
    throw new TypeError('createTokenServer: METRICS_TOKEN is set: pass deps.metrics (createPrometheusMetrics() from observability/prometheus.js), or unset METRICS_TOKEN.');
  }
  const exporter = deps.metrics;
  const metrics = exporter ?? NO_METRICS;

  const deployment = deploymentIn(store, { clientPrefix: settings.clientTag, sessionSecret: settings.sessionSecret, equos: settings.usesSandbox ? 'sandbox' : 'cloud' });
  // A ledger that cannot be read answers 503 ledger-unavailable, whoever asks.
  const clientTag = () => ledgerStep(async () => (await deployment()).clientTag);
  const sessionSecret = () => ledgerStep(async () => (await deployment()).sessionSecret);
  const equos = createEquosGateway(upstream, { deadlines: settings.deadlines, retry: settings.equosRetry, secrets, metrics });
  const leaseMs = equos.worstStopMs + LEASE_MARGIN_MS;
  const orphanMinAgeMs = orphanAgeOf(settings);
  const webhooks = settings.webhook
    ? createWebhookDelivery({ store, url: settings.webhook.url, secret: settings.webhook.secret, logger, instanceId: settings.instanceId, onOutcome: (outcome) => metrics.webhookDelivery(outcome), now })
    : { deliverOnce: async () => 0, kick() {} };
  // Events are written only for a receiver; a pass starts right after one is (never awaited by the request).
  const ledger = createSessionLedger(store, ledgerPolicyOf(settings), { events: settings.webhook !== null, onEvent: () => webhooks.kick(), now });
  const stopSession = createStopSession({
    equos,
    ledger,
    backoff: { baseMs: settings.reaper.retryBaseMs, maxMs: settings.reaper.retryMaxMs },
    logger,
    metrics,
    now,
  });
  const sweeper =
    settings.reaper.orphanSweepMs > 0
      ? createOrphanSweeper({ store, equos, stopSession, logger, instanceId: settings.instanceId, clientTag, minAgeMs: orphanMinAgeMs, leaseMs, metrics, now })
      : { sweepOnce: async () => 0, requestSweep() {}, sweepIfDue: async () => {} };
  const reaper = createReaper({ store, ledger, stopSession, sweeper, logger, instanceId: settings.instanceId, leaseMs, traceRetryMs: orphanMinAgeMs, metrics, now });
  const stopTokens = createStopTokens(sessionSecret, deps.hmac);
  const thumbnails = createThumbnails(settings.presets, deps.thumbnails ?? { resizer: null }, logger, now);
  const app = createApp({
    presets: settings.presets,
    allowedOrigins: settings.allowedOrigins,
    publicOrigin: settings.publicOrigin,
    allowLoopbackOrigins: settings.usesSandbox,
    demoPages: settings.demoPages,
    assets: deps.assets ?? null,
    thumbnails,
    trustedProxy: settings.trustedProxy,
    connectionAddress: deps.connectionAddress ?? nodeConnectionAddress,
    visitorKey: createVisitorKeys(sessionSecret, deps.hmac),
    stopTokens,
    limitActions: createActionLimits(store, { perAddress: settings.limits.actionsPerMinute, perSession: perSessionActionLimit(settings.heartbeat.intervalMs) }, now),
    createSession: createCreateSession({
      presets: settings.presets,
      defaultPreset: settings.defaultPreset,
      equos,
      store,
      ledger,
      stopSession,
      stopTokens,
      limits: settings.limits,
      consentVersion: settings.consentVersion,
      clientTag,
      heartbeatIntervalMs: settings.heartbeat.intervalMs,
      onPossibleOrphan: () => sweeper.requestSweep(),
      ...(thumbnails.resizes ? { presetPicture: (preset) => thumbnailPath(preset.name, SESSION_PICTURE_WIDTH) } : {}),
      logger,
      metrics,
      now,
    }),
    stopSession,
    recordHeartbeat: createRecordHeartbeat({ ledger, stopSession, idleStopMs: settings.heartbeat.idleStopMs, now }),
    logger,
    metrics,
    usage: { token: settings.usageToken, usage: (fromDay, toDay) => ledgerStep(() => store.usage(fromDay, toDay)) },
    observability: {
      readiness: createReadiness({ store, deployment, logger }),
      // The ledger's gauges are read at each scrape: every instance reports the deployment's.
      metrics: settings.metricsToken && exporter ? { token: settings.metricsToken, contentType: exporter.contentType, scrape: async () => exporter.scrape(await readLedgerGauges(store, now())) } : null,
    },
  });
  // A new instance sweeps soon for orphans a predecessor may have left without a trace (a
  // ledger write lost with its machine).
  sweeper.requestSweep();

  return {
    ready: deployment,
    app,
    fetch: app.fetch,
    reapOnce: reaper.reapOnce,
    deliverWebhooksOnce: webhooks.deliverOnce,
    sweepOnce: sweeper.sweepOnce,
    requestSweep: sweeper.requestSweep,
    sweepIfDue: sweeper.sweepIfDue,
    async housekeepOnce() {
      try {
        const forgotten = await store.housekeeping(now());
        if (forgotten > 0) logger.info('ledger.housekeeping', { forgotten });
        return forgotten;
      } catch (error) {
        logger.warn('ledger.housekeeping.failed', { error: error instanceof Error ? error.message : String(error) });
        return 0;
      }
    },
  };
}
