/**
 * `createTokenServer`: the whole token server as a Hono app, independent of Node, so it can
 * run on any Hono runtime or be mounted inside another app. Only `server.ts` reads the
 * environment and listens.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './app-env.js';
import { DEFAULT_HEARTBEAT, type TokenServerConfig } from './config.js';
import { ProblemError } from './errors.js';
import { createLogger, type Logger } from './logger.js';
import { accessLog } from './middleware/access-log/index.js';
import { originAllowlist } from './middleware/origin-allowlist/index.js';
import { problemHandler, problemResponse } from './problem-handler.js';
import { metaRoutes } from './routes/meta.js';
import { presetRoutes } from './routes/presets.js';
import { sessionRoutes } from './routes/sessions.js';
import { staticFileRoutes, type StaticAssets } from './routes/static-files.js';
import { createMemoryStore } from './ledger/memory-store.js';
import type { LedgerStore } from './ledger/store.js';
import { DEFAULT_LIMITS } from './session/admission.js';
import { createVisitorKeys } from './session/client-address.js';
import { createStopTokens } from './session/stop-token.js';
import { createEquosClient } from './upstream/equos-client.js';
import { resilientSessions, type ResilientSessionsOptions } from './upstream/resilient-sessions.js';
import type { EquosClientLike } from './upstream/types.js';

/** Collaborators of the token server; all optional. */
export interface TokenServerDeps {
  /**
   * The Equos client: an `@equos/node-sdk` instance (`Equos.client(key)`) or anything of its
   * shape [our own client, built from `config.equos`].
   */
  equos?: EquosClientLike;
  /** [JSON lines on stdout/stderr, with the API key redacted] */
  logger?: Logger;
  /** Deadlines and stop retries for Equos calls. */
  upstream?: Omit<ResilientSessionsOptions, 'secrets'>;
  /** The widget's files (and demo pages) [none: only the API is served]. */
  assets?: StaticAssets;
  /**
   * The session ledger [in memory: fine for tests and embedding, forgotten on restart;
   * `server.ts` uses SQLite or Redis].
   */
  store?: LedgerStore;
  /** Clock in ms [Date.now]. */
  now?: () => number;
  /**
   * Called when a create failed in a way that may still have started a session at Equos (a
   * timeout, a dropped connection, a 5xx, an unusable answer): `server.ts` passes the
   * reaper's `sweepSoon`, so such an orphan is stopped once it is old enough to be one
   * (create deadline + 5 s), not at the next periodic sweep [nothing].
   */
  onPossibleOrphan?: () => void;
}

/** Largest request body accepted; a real one is under 200 bytes. */
export const MAX_BODY_BYTES = 4096;

/**
 * Creates the token server.
 *
 * @throws TypeError when neither `config.equos` nor `deps.equos` says how to reach Equos, or
 *   the configuration is inconsistent
 * @example
 * const { config } = loadConfig(process.env);
 * const app = createTokenServer(config);
 * serve({ fetch: app.fetch, port: 8787 });
 */
export function createTokenServer(config: TokenServerConfig, deps: TokenServerDeps = {}): Hono<AppEnv> {
  const secrets = config.equos ? [config.equos.apiKey] : [];
  const logger = deps.logger ?? createLogger({ secrets });
  const client = deps.equos ?? (config.equos ? createEquosClient(config.equos) : undefined);
  if (!client) {
    throw new TypeError('createTokenServer: pass config.equos ({ apiKey, endpoint }) or deps.equos (an Equos SDK client).');
  }
  const presets = new Map(config.presets.map((preset) => [preset.name, preset]));
  if (!presets.has(config.defaultPreset)) {
    throw new TypeError(`createTokenServer: defaultPreset "${config.defaultPreset}" is not one of the presets.`);
  }

  const app = new Hono<AppEnv>();
  app.use(requestId(), accessLog({ logger }));
  // CORP must be cross-origin: other sites will load the widget script this server hosts.
  app.use(secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  app.route('/', metaRoutes());
  if (deps.assets) app.route('/', staticFileRoutes({ assets: deps.assets, demoPages: config.demoPages ?? true }));

  app.use('/api/*', originAllowlist({ origins: config.allowedOrigins }));
  app.use(
    '/api/*',
    cors({
      origin: (_origin, c) => c.get('origin'),
      allowMethods: ['GET', 'HEAD', 'POST'],
      allowHeaders: ['Content-Type'],
      exposeHeaders: ['X-Request-Id', 'Retry-After'],
      maxAge: 600,
    }),
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ProblemError('payload-too-large', { detail: `Bodies are limited to ${MAX_BODY_BYTES} bytes.` });
      },
    }),
  );
  app.route('/api/presets', presetRoutes(config.presets));
  app.route(
    '/api/sessions',
    sessionRoutes({
      presets,
      defaultPreset: config.defaultPreset,
      equos: resilientSessions(client.sessions, { ...deps.upstream, secrets }),
      store: deps.store ?? createMemoryStore(),
      stopTokens: createStopTokens(config.sessionSecret),
      visitorKey: createVisitorKeys(config.sessionSecret),
      limits: { ...DEFAULT_LIMITS, ...config.limits },
      trustedProxy: config.trustedProxy,
      heartbeatIntervalS: config.heartbeat?.intervalS ?? DEFAULT_HEARTBEAT.intervalS,
      logger,
      clientTag: config.clientTag,
      now: deps.now ?? Date.now,
      onPossibleOrphan: deps.onPossibleOrphan ?? (() => {}),
    }),
  );

  app.notFound((c) => problemResponse(c, new ProblemError('not-found')));
  app.onError(problemHandler(logger));
  return app;
}
