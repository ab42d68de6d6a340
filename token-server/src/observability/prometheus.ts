/**
 * The metrics of ./metrics.ts on prom-client, in the Prometheus text format. Each call makes
 * its own `Registry` (never prom-client's global one), so two token servers in one process, as
 * in tests, keep their numbers apart.
 *
 * Not imported by the composition root: prom-client loads Node built-ins (`node:perf_hooks`,
 * `node:http`, `node:cluster`…), which Cloudflare Workers only offer with `nodejs_compat` and a
 * recent compatibility date. A Node, Bun or Deno entry makes the metrics here and passes them
 * in `TokenServerDeps.metrics`.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LIMIT_CODES, METRICS, STOP_CAUSES, WEBHOOK_OUTCOMES, type LedgerGauges, type Metrics, type MetricSpec } from './metrics.js';

/** Options of `createPrometheusMetrics`. */
export interface PrometheusMetricsOptions {
  /**
   * Also export prom-client's process and runtime metrics (`process_*`, `nodejs_*`: CPU, memory,
   * event-loop lag, garbage collection) [false]. On Node; they cost a few file reads per scrape.
   */
  processMetrics?: boolean;
}

/** The token server's metrics on a registry of their own. */
export interface PrometheusMetrics extends Metrics {
  /**
   * The registry of this instance's counters and histograms, e.g. to merge into a host's own
   * `/metrics` (`Registry.merge`); the ledger's gauges are read by `scrape()` only.
   */
  readonly registry: Registry;
}

/**
 * Creates the metrics.
 *
 * @example
 * const server = createTokenServer(settings, { store, metrics: createPrometheusMetrics({ processMetrics: true }) });
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions = {}): PrometheusMetrics {
  const registry = new Registry();
  // The ledger's gauges on their own: each is left out of a scrape whose read of it failed (a
  // gauge cannot be unset, and a 0 would read as "no session open").
  const ledgerRegistry = new Registry();
  const config = <T extends string>(spec: MetricSpec & { labelNames: readonly T[] }, on = registry) => ({ name: spec.name, help: spec.help, labelNames: spec.labelNames, registers: [on] });
  const counter = <T extends string>(spec: MetricSpec & { labelNames: readonly T[] }) => new Counter<T>(config(spec));
  const gauge = (spec: MetricSpec, on = registry) => new Gauge(config(spec, on));
  const histogram = <T extends string>(spec: MetricSpec & { labelNames: readonly T[] }) => new Histogram<T>({ ...config(spec), buckets: [...(spec.buckets ?? [])] });

  const created = counter(METRICS.sessionsCreated);
  const stopped = counter(METRICS.sessionsStopped);
  const unconfirmed = counter(METRICS.sessionsUnconfirmed);
  const stopFailures = counter(METRICS.stopFailures);
  const overrun = histogram(METRICS.overrun);
  const refusals = counter(METRICS.limitRefusals);
  const reaperLag = histogram(METRICS.reaperLag);
  const reaperFailures = counter(METRICS.reaperFailures);
  const sweeps = counter(METRICS.orphanSweeps);
  const equosRequests = histogram(METRICS.equosRequests);
  const equosRetries = counter(METRICS.equosRetries);
  const webhookDeliveries = counter(METRICS.webhookDeliveries);
  const ledgerUp = gauge(METRICS.ledgerUp);
  const ledger = {
    open: METRICS.sessionsOpen,
    stopping: METRICS.sessionsStopping,
    overdue: METRICS.sessionsOverdue,
    unresolved: METRICS.createsUnresolved,
    budgetMinutesUsed: METRICS.budgetMinutesUsed,
    outbox: METRICS.webhookOutbox,
  } satisfies Record<keyof LedgerGauges, MetricSpec>;
  const ledgerGauges = (Object.entries(ledger) as Array<[keyof LedgerGauges, MetricSpec]>).map(([key, spec]) => ({ key, name: spec.name, gauge: gauge(spec, ledgerRegistry) }));

  // Series of known label values start at 0, so a rate() or an alert sees them before the first event.
  for (const cause of STOP_CAUSES) {
    stopped.inc({ cause }, 0);
    for (const retrying of ['true', 'false']) stopFailures.inc({ cause, retrying }, 0);
  }
  for (const code of LIMIT_CODES) refusals.inc({ code }, 0);
  for (const outcome of ['ok', 'failed']) sweeps.inc({ outcome }, 0);
  for (const outcome of WEBHOOK_OUTCOMES) webhookDeliveries.inc({ outcome }, 0);
  reaperFailures.inc(0);
  if (options.processMetrics) collectDefaultMetrics({ register: registry });

  return {
    registry,
    contentType: registry.contentType,
    sessionCreated: (preset) => created.inc({ preset }),
    sessionStopped(cause, overrunMs) {
      stopped.inc({ cause });
      if (overrunMs !== undefined) overrun.observe(Math.max(0, overrunMs) / 1000);
    },
    sessionUnconfirmed: (cause) => unconfirmed.inc({ cause }),
    stopFailed: (cause, retrying) => stopFailures.inc({ cause, retrying: String(retrying) }),
    limitRefused: (code) => refusals.inc({ code }),
    reaperPass: (lagMs) => reaperLag.observe(Math.max(0, lagMs) / 1000),
    reaperFailed: () => reaperFailures.inc(),
    orphanSweep: (outcome) => sweeps.inc({ outcome }),
    equosCall: (call, outcome, seconds) => equosRequests.observe({ call, outcome }, seconds),
    equosRetried: (call) => equosRetries.inc({ call }),
    webhookDelivery: (outcome) => webhookDeliveries.inc({ outcome }),
    async scrape(gauges) {
      ledgerUp.set(gauges ? 1 : 0);
      const own = await registry.metrics();
      // Only the gauges just read; one whose read failed is absent, not stale.
      const read: string[] = [];
      for (const { key, name, gauge: metric } of ledgerGauges) {
        const value = gauges?.[key];
        if (value === undefined) continue;
        metric.set(value);
        read.push(await ledgerRegistry.getSingleMetricAsString(name));
      }
      return read.length > 0 ? `${own}\n${read.join('\n\n')}\n` : own;
    },
  };
}
