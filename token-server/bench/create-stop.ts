/**
 * `npm run bench`: sustained create → stop round trips through the real token server (Node
 * HTTP, every middleware) against the zero-latency Equos API double, both on loopback.
 *
 * Prints throughput, p50/p99 latency per route, error count and memory before and after.
 * The load generator shares the process (and the machine's 2 cores) with both servers, so
 * the figures are a floor, not a ceiling.
 *
 *   BENCH_SECONDS=10 BENCH_CONCURRENCY=32 npm run bench
 */
import { createTokenServer } from '../src/app.js';
import { listen } from '../src/listen.js';
import { silentLogger } from '../src/logger.js';
import { startEquosApiDouble } from '../../sandbox/equos-api/server.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const apiKey = 'sk_bench_0123456789abcdef';
const origin = 'https://bench.example';

const equos = await startEquosApiDouble({ apiKey });
const app = createTokenServer(
  {
    equos: { apiKey, endpoint: equos.url },
    presets: [{ name: 'default', displayName: 'Bench', avatarId: 'sandbox-avatar', maxDurationS: 600 }],
    defaultPreset: 'default',
    allowedOrigins: [origin],
    sessionSecret: 'bench-secret-0123456789abcdefghijklmnop',
    maxSessionSeconds: 600,
    clientTag: 'bench',
  },
  { logger: silentLogger },
);
const server = await listen(app, { host: '127.0.0.1', port: 0 });

const latencies = { create: [] as number[], stop: [] as number[] };
let errors = 0;

async function timed(kind: keyof typeof latencies, path: string, body: string): Promise<Record<string, string> | undefined> {
  const started = performance.now();
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body,
  });
  const json = (await response.json()) as Record<string, string>;
  latencies[kind].push(performance.now() - started);
  if (!response.ok) {
    errors += 1;
    return undefined;
  }
  return json;
}

const memory = () => {
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss_mb: +(rss / 2 ** 20).toFixed(1), heap_mb: +(heapUsed / 2 ** 20).toFixed(1) };
};

const before = memory();
const deadline = performance.now() + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      const created = await timed('create', '/api/sessions', '{"participant_name":"Bench"}');
      if (created) await timed('stop', `/api/sessions/${created.session_id}/stop`, JSON.stringify({ stop_token: created.stop_token }));
    }
  }),
);
equos.state.dispose(); // the double's own bookkeeping is not the token server's memory
const after = memory();

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return +(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(2);
};
const total = latencies.create.length + latencies.stop.length;
const stillRunning = equos.state.running().length;
console.table({
  create: { requests: latencies.create.length, p50_ms: percentile(latencies.create, 50), p99_ms: percentile(latencies.create, 99) },
  stop: { requests: latencies.stop.length, p50_ms: percentile(latencies.stop, 50), p99_ms: percentile(latencies.stop, 99) },
});
console.log(
  JSON.stringify({
    seconds,
    concurrency,
    requests_per_s: Math.round(total / seconds),
    round_trips_per_s: Math.round(latencies.stop.length / seconds),
    errors,
    sessions_left_running: stillRunning,
    memory_before: before,
    memory_after: after,
  }),
);
await server.close(1000);
await equos.close();
