/**
 * The operator's routes, mounted at `/` ahead of the Origin allowlist (they are for probes and
 * scrapers, not pages, and count as no visitor's action):
 *
 * - `GET /readyz`: `200 {"status":"ready","ledger":<kind>}`, or `503 not-ready` (./readiness.ts).
 * - `GET /metrics`: the Prometheus text format, behind `Authorization: Bearer <METRICS_TOKEN>`;
 *   without METRICS_TOKEN there is no such route (`404 not-found`).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { methodNotAllowed } from '../http/method-not-allowed.js';
import { operatorToken } from '../http/middleware/operator-token/index.js';
import { ProblemError } from '../problems.js';
import type { ProbeReadiness } from './readiness.js';

/** The metrics endpoint: its token, and what it answers. */
export interface MetricsEndpoint {
  /** METRICS_TOKEN. */
  token: string;
  /** The media type of `scrape()`'s text. */
  contentType: string;
  /** The metrics, the ledger's gauges read now. */
  scrape(): Promise<string>;
}

/** What the routes call. */
export interface ObservabilityRoutesDeps {
  readiness: ProbeReadiness;
  /** null: metrics are off (METRICS_TOKEN unset), and `/metrics` is not found. */
  metrics: MetricsEndpoint | null;
}

const NO_STORE = { 'Cache-Control': 'no-store' } as const;
/**
 * Mounts at `/`.
 *
 * @example
 * app.route('/', observabilityRoutes({ readiness, metrics: null }));
 */
export function observabilityRoutes(deps: ObservabilityRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/readyz', async (c) => {
    const readiness = await deps.readiness();
    if (!readiness.ready) throw new ProblemError('not-ready', { detail: readiness.detail });
    return c.json({ status: 'ready', ledger: readiness.ledger }, 200, NO_STORE);
  });
  app.all('/readyz', methodNotAllowed('GET'));

  const { metrics } = deps;
  if (metrics) {
    app.get('/metrics', operatorToken({ token: metrics.token, realm: 'metrics', variable: 'METRICS_TOKEN' }), async (c) => {
      return c.body(await metrics.scrape(), 200, { 'Content-Type': metrics.contentType, ...NO_STORE });
    });
    app.all('/metrics', methodNotAllowed('GET'));
  }
  return app;
}
