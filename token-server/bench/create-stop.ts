/**
 * `npm run bench` (load): sustained concurrent create → stop round trips against the token
 * server as users run it (its own process, SQLite ledger, reaper, info-level access logs),
 * in front of the zero-latency Equos API double in this process, all on loopback.
 *
 * Prints requests/s (creates and stops together: every HTTP request the server answered),
 * round trips/s (one create plus its stop), p50/p99 latency per route, the error count,
 * sessions left running, and the server's resident memory before, right after, and 5 s after
 * the load. The load generator and the double share the machine's cores with the server, so
 * the figures are a floor; the generator is kept lean for that reason (plain `node:http` on
 * keep-alive connections, one per concurrent visitor, and only the parsing a browser must do).
 *
 *   BENCH_SECONDS=10 BENCH_CONCURRENCY=32 npm run bench
 *   BENCH_PROFILE_DIR=/tmp/prof …   also writes the server's CPU profile there (node --cpu-prof)
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEquosApiDouble } from '../../sandbox/equos-api/server.js';
import { LIFTED_LIMITS, spawnTokenServer } from '../test/server-process.js';
import { keptAliveClient } from './http-client.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const profileDir = process.env.BENCH_PROFILE_DIR;
const apiKey = 'sk_bench_0123456789abcdef';
const origin = 'https://bench.example';

const equos = await startEquosApiDouble({ apiKey });
const server = spawnTokenServer(
  {
    EQUOS_API_KEY: apiKey,
    EQUOS_ENDPOINT: equos.url,
    EQUOS_AVATAR_ID: 'sandbox-avatar',
    ALLOWED_ORIGINS: origin,
    SESSION_SECRET: 'bench-secret-0123456789abcdefghijklmnop',
    LEDGER_PATH: join(mkdtempSync(join(tmpdir(), 'bench-')), 'ledger.sqlite'),
    // One load generator is one address: the limits are not what is measured.
    ...LIFTED_LIMITS,
  },
  { nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] },
);
const base = new URL(await server.ready());

const latencies = { create: [] as number[], stop: [] as number[] };
let errors = 0;

const send = keptAliveClient(base, concurrency);
/** One POST of JSON. */
const post = (path: string, body: string) => send('POST', path, { origin, 'content-type': 'application/json' }, body);

async function timed(kind: keyof typeof latencies, path: string, body: string): Promise<string | undefined> {
  const started = performance.now();
  try {
    const { status, text } = await post(path, body);
    latencies[kind].push(performance.now() - started);
    if (status >= 200 && status < 300) return text;
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
        if (!created) continue;
        const { session_id: id, stop_token: token } = JSON.parse(created) as { session_id: string; stop_token: string };
        await timed('stop', `/api/sessions/${id}/stop`, `{"stop_token":"${token}"}`);
      }
    }),
  );
}

const mb = (bytes: number) => +(bytes / 2 ** 20).toFixed(1);
/** CPU time (user + system) the server process has used so far, in ms (Linux; clock ticks of 10 ms). */
const serverCpuMs = () => {
  const fields = readFileSync(`/proc/${server.child.pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
/** CPU time this process (the load generator and the Equos double) has used so far, in ms. */
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
// Warm up (JIT, SQLite pages, connection pools), then measure.
await load(performance.now() + 2000);
latencies.create.length = latencies.stop.length = 0;
errors = 0;
const rssBefore = server.rssBytes();
const cpuBefore = { server: serverCpuMs(), own: ownCpuMs() };
const started = performance.now();
await load(started + seconds * 1000);
const elapsedS = (performance.now() - started) / 1000;
const cpu = { server: serverCpuMs() - cpuBefore.server, own: ownCpuMs() - cpuBefore.own };
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
const requestsPerS = Math.round((latencies.create.length + latencies.stop.length) / elapsedS);
const roundTripsPerS = Math.round(latencies.stop.length / elapsedS);
const requests = latencies.create.length + latencies.stop.length;
// CPU per request does not depend on what else runs on the machine, as requests/s does.
const cpuPerRequest = { server_us: Math.round((cpu.server * 1000) / requests), load_and_double_us: Math.round((cpu.own * 1000) / requests) };
console.log(`\n  ${requestsPerS} requests/s (creates and stops), ${roundTripsPerS} round trips/s (create + stop), ${errors} errors, ${concurrency} concurrent, ${elapsedS.toFixed(1)} s`);
console.log(`  CPU per request: token server ${cpuPerRequest.server_us} µs (${Math.round(cpu.server / 10 / elapsedS)}% of a core), load generator + Equos double ${cpuPerRequest.load_and_double_us} µs (${Math.round(cpu.own / 10 / elapsedS)}%)\n`);
console.log(
  `load: ${JSON.stringify({
    seconds: +elapsedS.toFixed(1),
    concurrency,
    requests_per_s: requestsPerS,
    round_trips_per_s: roundTripsPerS,
    errors,
    cpu_per_request: cpuPerRequest,
    sessions_left_running: equos.state.running().length,
    server_rss_mb: { before: mb(rssBefore), after: mb(rssAfter), settled_5s: mb(rssSettled) },
  })}`,
);
send.close();
await server.kill('SIGTERM');
await equos.close();
