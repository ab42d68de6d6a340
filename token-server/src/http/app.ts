/**
 * `createApp`: the token server's HTTP face as a Hono app. It only parses requests, calls the
 * use cases it is given and answers; it builds nothing itself (the composition root,
 * ../token-server.ts, does) and imports nothing from Node, so it runs on any Hono runtime.
 */
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { Preset } from '../config/presets.js';
import type { Logger } from '../logger.js';
import { isLimitCode, type MetricsRecorder } from '../observability/metrics.js';
import { observabilityRoutes, type ObservabilityRoutesDeps } from '../observability/routes.js';
import { requestSpans } from '../observability/tracing.js';
import { ProblemError } from '../problems.js';
import type { CreateSession } from '../sessions/create-session.js';
import type { LimitActions } from '../sessions/action-limits.js';
import type { RecordHeartbeat } from '../sessions/heartbeat.js';
import type { StopSession } from '../sessions/stop-session.js';
import type { StopTokens } from '../sessions/stop-tokens.js';
import type { Thumbnails } from '../thumbnails/thumbnails.js';
import { createClientAddress, type ConnectionAddress, type TrustedProxy } from '../visitors/client-address.js';
import type { AppEnv } from './app-env.js';
import { accessLog } from './middleware/access-log/index.js';
import { bodyLimit } from './middleware/body-limit/index.js';
import { cors } from './middleware/cors/index.js';
import { originAllowlist, type OriginPolicy } from './middleware/origin-allowlist/index.js';
import { problemHandler, problemResponse } from './problem-handler.js';
import { metaRoutes } from './routes/meta.js';
import { presetRoutes } from './routes/presets.js';
import { sessionActionRoutes } from './routes/session-actions.js';
import { sessionRoutes } from './routes/sessions.js';
import { staticFileRoutes, type StaticAssets } from './routes/static-files.js';
import { thumbnailRoutes } from './routes/thumbnails.js';
import { usageRoutes, type UsageRoutesDeps } from './routes/usage.js';

/** Everything the app calls and shows; nothing is defaulted. */
export interface AppDeps {
  presets: readonly Preset[];
  allowedOrigins: OriginPolicy;
  /** This server's own public origin (PUBLIC_URL): its pages may call its API. */
  publicOrigin: string | null;
  /** Pages on loopback may call the API (the local demo on the sandbox). */
  allowLoopbackOrigins: boolean;
  /** Serve the demo page (`/`) and the examples (`/examples/…`). */
  demoPages: boolean;
  /** The widget's files (and demo pages), or null to serve only the API. */
  assets: StaticAssets | null;
  /** The presets' pictures, resized (or, with no resizer, redirected to their sources). */
  thumbnails: Thumbnails;
  trustedProxy: TrustedProxy | null;
  /** How the runtime tells a request's connection address (the trusted proxy's header wins when set). */
  connectionAddress: ConnectionAddress;
  /** Turns a client address into the opaque key the limits count by. */
  visitorKey: (address: string) => Promise<string>;
  stopTokens: StopTokens;
  /** Limits on stops and heartbeats. */
  limitActions: LimitActions;
  createSession: CreateSession;
  stopSession: StopSession;
  recordHeartbeat: RecordHeartbeat;
  logger: Logger;
  /** Counts the limits' refusals. */
  metrics: MetricsRecorder;
  /** `GET /readyz` and `GET /metrics`. */
  observability: ObservabilityRoutesDeps;
  /** `GET /api/usage` (its token, and the ledger's usage). */
  usage: UsageRoutesDeps;
}

/** Largest request body accepted; a real one is under 200 bytes. */
export const MAX_BODY_BYTES = 4096;

/**
 * Creates the app.
 *
 * @throws TypeError at boot when an allowed origin is not an origin
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { logger } = deps;
  const app = new Hono<AppEnv>();
  // A client's X-Request-Id is kept only if it is 1–64 of [A-Za-z0-9_=-] (hono checks the
  // characters, we bound the length): it is echoed in headers, problem bodies and every log line.
  // One span per request, when the host registered a tracer provider (a no-op otherwise).
  app.use(requestId({ limitLength: 64 }), requestSpans(), accessLog({ logger }));
  // CORP must be cross-origin: other sites will load the widget script this server hosts.
  app.use(secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  app.route('/', metaRoutes());
  // For the operator's probes and scraper, not pages: ahead of the origin allowlist.
  app.route('/', observabilityRoutes(deps.observability));
  if (deps.assets) app.route('/', staticFileRoutes({ assets: deps.assets, demoPages: deps.demoPages }));
  // Pictures are public like the widget's files: ahead of the origin allowlist (routes/thumbnails.ts).
  app.route('/api/presets', thumbnailRoutes(deps.thumbnails));
  // The usage export is for the operator (curl, a billing job), behind its token: ahead of the origin allowlist too.
  app.route('/api/usage', usageRoutes(deps.usage));

  app.use('/api/*', originAllowlist({ origins: deps.allowedOrigins, ownOrigin: deps.publicOrigin, allowLoopback: deps.allowLoopbackOrigins }));
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
        // The rest of the body is never read, so the connection cannot carry another request:
        // say so, or a keep-alive client sends its next request into a closing socket.
        throw new ProblemError('payload-too-large', { detail: `Bodies are limited to ${MAX_BODY_BYTES} bytes.`, headers: { Connection: 'close' } });
      },
    }),
  );
  app.route('/api/presets', presetRoutes(deps.presets, deps.thumbnails.resizes));
  const clientAddress = createClientAddress({ trustedProxy: deps.trustedProxy, connectionAddress: deps.connectionAddress, logger });
  app.route('/api/sessions', sessionRoutes({ ...deps, clientAddress }));
  app.route('/api/sessions', sessionActionRoutes({ ...deps, clientAddress }));

  app.notFound((c) => problemResponse(c, new ProblemError('not-found')));
  const answerProblem = problemHandler(logger);
  app.onError((error, c) => {
    // Every limit's refusal passes here, a create's and a stop's or heartbeat's alike.
    if (error instanceof ProblemError && isLimitCode(error.code)) deps.metrics.limitRefused(error.code);
    return answerProblem(error, c);
  });
  return app;
}
