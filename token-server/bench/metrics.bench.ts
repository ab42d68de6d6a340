/**
 * `npm run bench` (observability): what the metrics and the spans cost.
 *
 * 1. A scrape: ms per `GET /metrics` over loopback with N sessions open in the ledger (5 % of
 *    them stopping), on each ledger store: the ledger's gauges are read at every scrape.
 * 2. The instrumentation on the hot path: create + stop round trips against an in-process
 *    token server (SQLite ledger) and Equos double, with metrics off or on, and tracing a
 *    no-op (no provider registered) or a real SDK provider (batching spans to an exporter that
 *    drops them). Variants run in interleaved rounds; CPU per request is this whole process's
 *    (server, double and load generator), so the differences are the instrumentation's.
 * 3. The no-op spans alone: ns per Equos call span and per request span with no provider.
 *
 *   BENCH_SECONDS=3 BENCH_ROUNDS=3 BENCH_CONCURRENCY=16 node --import tsx token-server/bench/metrics.bench.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { Hono } from 'hono';
import { startEquosApiDouble } from '../../sandbox/equos-api/server.js';
import { readSettings, type Settings } from '../src/config/settings.js';
import { createMemoryStore } from '../src/ledger/memory-store.js';
import { createRedisStore } from '../src/ledger/redis-store.js';
import { createSqliteStore } from '../src/ledger/sqlite-store.js';
import type { LedgerStore } from '../src/ledger/store.js';
import { silentLogger } from '../src/logger.js';
import { listen } from '../src/node/listen.js';
import { createPrometheusMetrics } from '../src/observability/prometheus.js';
import { equosSpan, requestSpans, tokenServerTracer } from '../src/observability/tracing.js';
import { createSessionLedger, ledgerPolicyOf } from '../src/sessions/session-ledger.js';
import { keptAliveClient, type BenchSend } from './http-client.js';
import { createTokenServer } from '../src/token-server.js';
import { startRedis } from '../test/redis-server.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const apiKey = 'sk_bench_0123456789abcdef';
const origin = 'https://bench.example';
const token = 'bench-metrics-token-0123456789abcdefghijkl';

const equos = await startEquosApiDouble({ apiKey });

function settingsWith(metrics: boolean): Settings {
  const { settings } = readSettings({
    EQUOS_API_KEY: apiKey,
    EQUOS_ENDPOINT: equos.url,
    EQUOS_AVATAR_ID: 'sandbox-avatar',
    ALLOWED_ORIGINS: origin,
    SESSION_SECRET: 'bench-secret-0123456789abcdefghijklmnop',
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_SITE_PER_MINUTE: '1000000',
    MAX_SESSIONS_PER_VISITOR: '1000',
    MAX_CONCURRENT_SESSIONS: '100000',
    RATE_LIMIT_ACTIONS_PER_MINUTE: '1000000',
    ...(metrics ? { METRICS_TOKEN: token } : {}),
  });
  return settings;
}

/** Kept-alive clients, one per server. */
const clients = new Map<string, BenchSend>();
/** One request to the server at `base`. */
function send(base: URL, method: string, path: string, headers: Record<string, string>, body?: string) {
  const key = base.origin;
  if (!clients.has(key)) clients.set(key, keptAliveClient(base, concurrency));
  return clients.get(key)!(method, path, headers, body);
}

// 1. A scrape with N sessions open.

/** Opens `count` running sessions (and `count / 20` stopping ones) in `store`, as the use cases record them. */
async function fill(store: LedgerStore, count: number): Promise<void> {
  const ledger = createSessionLedger(store, ledgerPolicyOf(settingsWith(false)));
  const now = Date.now();
  for (let done = 0; done < count; done += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, count - done) }, async (_, index) => {
        const number = done + index;
        const admitted = await ledger.admit({ id: `pending-fill${number}`, preset: 'default', origin, visitorKey: `visitor-${number}`, createdAt: now, deadline: now + 600_000, reservedMinutes: 10 }, { perVisitor: 1e9, global: 1e9 });
        if (!admitted.admitted) throw new Error('not admitted');
        const id = `ses_fill${number}`;
        await ledger.activate(admitted.pending, { id, createdAt: now, deadline: now + 600_000, lastHeartbeat: now });
        if (number % 20 === 0) await ledger.recordStopFailure((await ledger.get(id))!, now + 60_000);
      }),
    );
  }
}

/** ms per scrape; `bytes` of one; `incomplete`: scrapes whose slowest gauge missed its 2 s deadline (and was left out). */
async function scrapeCost(store: LedgerStore, sessions: number): Promise<{ ms_per_scrape: number; bytes: number; incomplete: number }> {
  await fill(store, sessions);
  const server = createTokenServer(settingsWith(true), { store, logger: silentLogger, metrics: createPrometheusMetrics() });
  await server.ready();
  const listening = await listen(server.app, { host: '127.0.0.1', port: 0 });
  const base = new URL(listening.url);
  try {
    const scrape = () => send(base, 'GET', '/metrics', { authorization: `Bearer ${token}` });
    let bytes = 0;
    for (let index = 0; index < 20; index += 1) bytes = (await scrape()).text.length;
    const times = sessions >= 10_000 ? 30 : 200;
    let incomplete = 0;
    const started = performance.now();
    for (let index = 0; index < times; index += 1) {
      const { status, text } = await scrape();
      if (status !== 200 || !text.includes(`\nequos_avatar_sessions_open ${sessions}\n`)) throw new Error(`unexpected scrape: ${status} ${text.slice(-300)}`);
      if (!text.includes(`\nequos_avatar_sessions_stopping ${Math.ceil(sessions / 20)}\n`)) incomplete += 1;
    }
    return { ms_per_scrape: +((performance.now() - started) / times).toFixed(2), bytes, incomplete };
  } finally {
    await listening.close(1000);
  }
}

const redis = await startRedis();
const scrapes: Record<string, Awaited<ReturnType<typeof scrapeCost>>> = {};
try {
  let fresh = 0;
  const stores: Array<[string, () => LedgerStore | Promise<LedgerStore>]> = [
    ['memory', () => createMemoryStore()],
    ['sqlite', () => createSqliteStore(join(mkdtempSync(join(tmpdir(), 'metrics-bench-')), 'ledger.sqlite'))],
    ['redis', () => createRedisStore({ url: redis.url, prefix: `metrics-bench${(fresh += 1)}:` })],
  ];
  for (const [name, open] of stores) {
    for (const sessions of [0, 100, 1000, 10_000]) {
      const store = await open();
      try {
        scrapes[`${name}, ${sessions.toLocaleString('en')} open`] = await scrapeCost(store, sessions);
      } finally {
        await store.close();
      }
    }
  }
} finally {
  await redis.close();
}
console.log('\nGET /metrics, sequential scrapes over loopback:');
console.table(scrapes);

// 2. Create + stop with the instrumentation off and on.

/** Drops every span (an exporter that costs nothing of its own). */
const dropping: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };

interface Variant {
  metrics: boolean;
  tracing: 'no-op' | 'sdk';
}
const variants: Record<string, Variant> = {
  'metrics off, tracing no-op': { metrics: false, tracing: 'no-op' },
  'metrics on, tracing no-op': { metrics: true, tracing: 'no-op' },
  'metrics off, tracing SDK': { metrics: false, tracing: 'sdk' },
  'metrics on, tracing SDK': { metrics: true, tracing: 'sdk' },
};

async function load(variant: Variant): Promise<{ requestsPerS: number; cpuUsPerRequest: number; errors: number }> {
  let provider: BasicTracerProvider | undefined;
  if (variant.tracing === 'sdk') {
    provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropping)] });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
  }
  const store = createSqliteStore(join(mkdtempSync(join(tmpdir(), 'metrics-load-')), 'ledger.sqlite'));
  const server = createTokenServer(settingsWith(variant.metrics), { store, logger: silentLogger, ...(variant.metrics ? { metrics: createPrometheusMetrics() } : {}) });
  const listening = await listen(server.app, { host: '127.0.0.1', port: 0 });
  const base = new URL(listening.url);
  const headers = { origin, 'content-type': 'application/json' };
  let requests = 0;
  let errors = 0;
  const run = async (untilMs: number) => {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < untilMs) {
          const created = await send(base, 'POST', '/api/sessions', headers, '{"participant_name":"Bench"}');
          requests += 1;
          if (created.status !== 201) {
            errors += 1;
            continue;
          }
          const { session_id: id, stop_token: stopToken } = JSON.parse(created.text) as { session_id: string; stop_token: string };
          const stopped = await send(base, 'POST', `/api/sessions/${id}/stop`, headers, `{"stop_token":"${stopToken}"}`);
          requests += 1;
          if (stopped.status !== 200) errors += 1;
        }
      }),
    );
  };
  try {
    await run(performance.now() + 1000); // warm up
    requests = errors = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await run(started + seconds * 1000);
    const elapsedS = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    return { requestsPerS: requests / elapsedS, cpuUsPerRequest: (cpu.user + cpu.system) / requests, errors };
  } finally {
    await listening.close(1000);
    await store.close();
    if (provider) {
      await provider.shutdown();
      trace.disable();
      context.disable();
    }
  }
}

const results: Record<string, Array<Awaited<ReturnType<typeof load>>>> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
// A first run warms the JIT, SQLite and the connections for all; it is not counted.
for (const variant of Object.values(variants)) await load(variant);
for (let round = 0; round < rounds; round += 1) {
  for (const [name, variant] of Object.entries(variants)) results[name]!.push(await load(variant));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const baseline = results['metrics off, tracing no-op']!;
const baselineCpu = median(baseline.map((run) => run.cpuUsPerRequest));
const throughput = Object.fromEntries(
  Object.entries(results).map(([name, runs]) => {
    const cpu = median(runs.map((run) => run.cpuUsPerRequest));
    return [name, { requests_per_s: Math.round(median(runs.map((run) => run.requestsPerS))), cpu_us_per_request: Math.round(cpu), vs_baseline_us: Math.round(cpu - baselineCpu), errors: runs.reduce((sum, run) => sum + run.errors, 0) }];
  }),
);
console.log(`\nCreate + stop, ${concurrency} concurrent, ${rounds} rounds of ${seconds} s, medians (CPU: this whole process, per request):`);
console.table(throughput);

// 3. The no-op spans alone (no provider registered): each pair timed in turns, five times, the
// fastest of each kept (the machine's other work only ever adds time).

const tracer = tokenServerTracer();
const work = async () => 1;
const timeLoop = async (times: number, step: () => unknown) => {
  const begin = performance.now();
  for (let index = 0; index < times; index += 1) await step();
  return performance.now() - begin;
};
const plain = new Hono().get('/', (c) => c.text('ok'));
const traced = new Hono().use(requestSpans() as unknown as Parameters<Hono['use']>[0]).get('/', (c) => c.text('ok'));
const calls = 200_000;
const requestsCount = 50_000;
const fastest = { bare: Infinity, spanned: Infinity, plain: Infinity, traced: Infinity };
for (let turn = 0; turn < 5; turn += 1) {
  fastest.bare = Math.min(fastest.bare, await timeLoop(calls, work));
  fastest.spanned = Math.min(fastest.spanned, await timeLoop(calls, () => equosSpan(tracer, 'get', work)));
  fastest.plain = Math.min(fastest.plain, await timeLoop(requestsCount, () => plain.request('/')));
  fastest.traced = Math.min(fastest.traced, await timeLoop(requestsCount, () => traced.request('/')));
}
const noop = {
  equos_call_span_ns: Math.round(((fastest.spanned - fastest.bare) * 1e6) / calls),
  request_span_ns: Math.round(((fastest.traced - fastest.plain) * 1e6) / requestsCount),
  request_without_span_us: +((fastest.plain * 1000) / requestsCount).toFixed(1),
};
console.log('\nNo-op spans (no tracer provider), added per call:');
console.table(noop);

console.log(`metrics: ${JSON.stringify({ scrapes, throughput, noop })}`);
for (const client of clients.values()) client.close();
await equos.close();
