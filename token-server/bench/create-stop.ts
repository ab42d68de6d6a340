/**
 * `npm run bench` (load): sustained concurrent create → stop round trips against the token
 * server as users run it (its own process, SQLite ledger, reaper, info-level access logs),
 * in front of the zero-latency Equos API double in this process, all on loopback.
 *
 * Prints throughput, p50/p99 latency per route, the error count, sessions left running, and
 * the server's resident memory before, right after, and 5 s after the load. The load
 * generator shares the machine's 2 cores with the server, so the figures are a floor.
 *
 *   BENCH_SECONDS=10 BENCH_CONCURRENCY=32 npm run bench
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEquosApiDouble } from '../../sandbox/equos-api/server.js';
import { LIFTED_LIMITS, spawnTokenServer } from '../test/server-process.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const apiKey = 'sk_bench_0123456789abcdef';
const origin = 'https://bench.example';

const equos = await startEquosApiDouble({ apiKey });
const server = spawnTokenServer({
  EQUOS_API_KEY: apiKey,
  EQUOS_ENDPOINT: equos.url,
  EQUOS_AVATAR_ID: 'sandbox-avatar',
  ALLOWED_ORIGINS: origin,
  SESSION_SECRET: 'bench-secret-0123456789abcdefghijklmnop',
  LEDGER_PATH: join(mkdtempSync(join(tmpdir(), 'bench-')), 'ledger.sqlite'),
  // One load generator is one address: the limits are not what is measured.
  ...LIFTED_LIMITS,
});
const base = await server.ready();

const latencies = { create: [] as number[], stop: [] as number[] };
let errors = 0;

async function timed(kind: keyof typeof latencies, path: string, body: string): Promise<Record<string, string> | undefined> {
  const started = performance.now();
  try {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body });
    const json = (await response.json()) as Record<string, string>;
    latencies[kind].push(performance.now() - started);
    if (response.ok) return json;
  } catch {
    // counted below
  }
  errors += 1;
  return undefined;
}

async function load(untilMs: number): Promise<void> {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < untilMs) {
        const created = await timed('create', '/api/sessions', '{"participant_name":"Bench"}');
        if (created) await timed('stop', `/api/sessions/${created.session_id}/stop`, JSON.stringify({ stop_token: created.stop_token }));
      }
    }),
  );
}

const mb = (bytes: number) => +(bytes / 2 ** 20).toFixed(1);
// Warm up (JIT, SQLite pages, connection pools), then measure.
await load(performance.now() + 2000);
latencies.create.length = latencies.stop.length = 0;
errors = 0;
const rssBefore = server.rssBytes();
const started = performance.now();
await load(started + seconds * 1000);
const elapsedS = (performance.now() - started) / 1000;
const rssAfter = server.rssBytes();
await new Promise((resolve) => setTimeout(resolve, 5000));
const rssSettled = server.rssBytes();

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return +(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(2);
};
console.table({
  create: { requests: latencies.create.length, p50_ms: percentile(latencies.create, 50), p99_ms: percentile(latencies.create, 99) },
  stop: { requests: latencies.stop.length, p50_ms: percentile(latencies.stop, 50), p99_ms: percentile(latencies.stop, 99) },
});
console.log(
  `load: ${JSON.stringify({
    seconds: +elapsedS.toFixed(1),
    concurrency,
    requests_per_s: Math.round((latencies.create.length + latencies.stop.length) / elapsedS),
    round_trips_per_s: Math.round(latencies.stop.length / elapsedS),
    errors,
    sessions_left_running: equos.state.running().length,
    server_rss_mb: { before: mb(rssBefore), after: mb(rssAfter), settled_5s: mb(rssSettled) },
  })}`,
);
await server.kill('SIGTERM');
await equos.close();
