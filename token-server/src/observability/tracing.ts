/**
 * Spans through OpenTelemetry's API only: one SERVER span per request (`requestSpans`, after
 * the HTTP semantic conventions) and one CLIENT span per Equos call (`equosSpan`, in
 * ../equos/gateway.ts). Which SDK records them, and where they go, is the host's choice: it
 * registers a tracer provider (and, on Node, a context manager) in its process. Without one,
 * the API is a no-op and these cost a few allocations per request (token-server/bench/metrics.bench.ts).
 *
 * A span carries names, routes, statuses and counts: never a header, a body, a token or an
 * upstream message (the API key cannot reach one).
 *
 * @see https://opentelemetry.io/docs/specs/semconv/http/http-spans/
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span, type TextMapGetter, type Tracer } from '@opentelemetry/api';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { toEquosApiError } from '../equos/errors.js';
import type { AppEnv } from '../http/app-env.js';
import { equosOutcome, type EquosCallName } from './metrics.js';

/** The instrumentation scope of every span. */
export const TRACER_NAME = 'equos-avatar-token-server';
/** The package's version (./tracing.test.ts holds it to package.json's). */
export const TRACER_VERSION = '0.1.0';

/**
 * The token server's tracer: the registered provider's, or a no-op. Get it once per server:
 * it finds a provider registered later by itself.
 */
export function tokenServerTracer(): Tracer {
  return trace.getTracer(TRACER_NAME, TRACER_VERSION);
}

/** The methods the conventions name; any other is `_OTHER`. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE']);

/** Reads a W3C `traceparent` (or whatever propagator the host registered) from the request. */
const HEADERS: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

/**
 * The route pattern the request matched (`/api/sessions/:id/stop`), or undefined: the last
 * route registered for its method, else a catch-all of the resource (a 405); never a
 * middleware's wildcard, which says nothing of what was asked for.
 */
function routeOf(c: Context<AppEnv>): string | undefined {
  const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
  const routes = matchedRoutes(c);
  return (routes.findLast((route) => route.method === method) ?? routes.findLast((route) => route.method === 'ALL' && !route.path.endsWith('*')))?.path;
}

/** Options of `requestSpans`. */
export interface RequestSpansOptions {
  /** [tokenServerTracer()] */
  tracer?: Tracer;
}

/**
 * Creates the middleware making one SERVER span per request, `<METHOD> <route>` (e.g.
 * `POST /api/sessions`), the current span while the request is handled (so Equos calls are
 * its children). Mount it after `requestId()`: the request id is one of its attributes.
 *
 * @example
 * app.use(requestId(), requestSpans(), accessLog({ logger }));
 */
export function requestSpans(options: RequestSpansOptions = {}): MiddlewareHandler<AppEnv> {
  const tracer = options.tracer ?? tokenServerTracer();
  return async function requestSpan(c, next) {
    const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : '_OTHER';
    const parent = propagation.extract(context.active(), c.req.raw.headers, HEADERS);
    const span = tracer.startSpan(method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': c.req.path } }, parent);
    try {
      await context.with(trace.setSpan(parent, span), next);
    } finally {
      if (span.isRecording()) endRequestSpan(span, c, method);
      span.end();
    }
  };
}

function endRequestSpan(span: Span, c: Context<AppEnv>, method: string): void {
  const route = routeOf(c);
  const status = c.res.status;
  if (route) span.updateName(`${method} ${route}`);
  span.setAttributes({
    'http.response.status_code': status,
    'equos_avatar.request_id': c.get('requestId'),
    ...(route ? { 'http.route': route } : {}),
    ...(method === '_OTHER' ? { 'http.request.method_original': c.req.method.slice(0, 32) } : {}),
  });
  // A server span fails on a 5xx only: a 4xx is the client's (the conventions).
  if (status >= 500) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

/** What a call tells its span while it runs. */
export interface EquosSpanProgress {
  /** The attempt about to be made, from 1. */
  attempt(number: number): void;
}

/**
 * Runs one Equos call, its retries included, in a CLIENT span `equos <call>` with the call's
 * name, its attempts and its outcome (`ok`, or how it failed, as the metrics label it).
 *
 * @example
 * stop: (id) => equosSpan(tracer, 'stop', (progress) => retry((n) => (progress.attempt(n), upstream.stop(id)), …));
 */
export async function equosSpan<T>(tracer: Tracer, call: EquosCallName, run: (progress: EquosSpanProgress) => Promise<T>): Promise<T> {
  const span = tracer.startSpan(`equos ${call}`, { kind: SpanKind.CLIENT, attributes: { 'equos.call': call } });
  let attempts = 0;
  try {
    const result = await run({ attempt: (number) => (attempts = number) });
    if (span.isRecording()) span.setAttributes({ 'equos.attempts': attempts, 'equos.outcome': 'ok' });
    return result;
  } catch (error) {
    if (span.isRecording()) {
      const failure = toEquosApiError(error);
      const outcome = equosOutcome(failure);
      span.setAttributes({ 'equos.attempts': attempts, 'equos.outcome': outcome, 'error.type': outcome, ...(failure.status !== undefined ? { 'http.response.status_code': failure.status } : {}) });
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    throw error;
  } finally {
    span.end();
  }
}
