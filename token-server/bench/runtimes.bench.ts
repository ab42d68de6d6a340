/**
 * `npm run bench` (runtimes): the same create → stop round trips against the token server on
 * each runtime it has an entry for, one after the other, each as a deployment runs it: the
 * production build (scripts/build-server.mjs, dist/server/<runtime>.mjs) in its own process, on
 * the Redis ledger (a real redis-server, a database of its own per runtime, so the comparison is
 * fair: SQLite is Node's only), in front of the zero-latency Equos API double in this process,
 * all on loopback.
 *
 * Per runtime: round trips/s (one create plus its stop), p50/p95 latency of the creates, the
 * stops and the whole round trip, errors, the server's CPU per round trip, and its resident
 * memory after the load. The load generator, the double and Redis share the machine's cores
 * with the server, so the figures are a floor, and only comparable within one run.
 *
 *   BENCH_SECONDS=5 BENCH_CONCURRENCY=16 node --import tsx token-server/bench/runtimes.bench.ts
 *   BENCH_RUNTIMES=deno,bun …     only these rows of RUNTIMES, in this order
 *   BENCH_VARIANT=source …        the entries' sources instead (Node through tsx, Bun and Deno directly)
 *   BENCH_PROFILE_DIR=/tmp/prof … also writes the Node server's CPU profile there (node --cpu-prof)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEquosApiDouble } from '../../sandbox/equos-api/server.js';
import { startRedis } from '../test/redis-server.js';
import { buildEntries, entryCommand, spawnEntry, type Build, type Variant } from '../test/runtimes/runtime-process.js';
import { LIFTED_LIMITS, spawnTokenServer } from '../test/server-process.js';
import { serveWorker } from '../test/workers/serve-worker.js';
import { keptAliveClient } from './http-client.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const variant: Variant = process.env.BENCH_VARIANT === 'source' ? 'source' : 'build';
const profileDir = process.env.BENCH_PROFILE_DIR;
const apiKey = 'sk_bench_0123456789abcdef';
const origin = 'https://bench.example';

/** A token server started for the load. */
interface Running {
  url: string;
  /** Its process, for CPU time and memory (Linux /proc) [none: not measured]. */
  pid?: number;
  stop(): Promise<void>;
}

/** One row of the comparison: a runtime, and how its token server starts with `env`. */
interface BenchRuntime {
  name: string;
  /** What runs, in words, for the table. */
  how(variant: Variant): string;
  start(env: Record<string, string>, variant: Variant, build: Build | undefined): Promise<Running>;
}

/** A child process's token server, stopped with SIGTERM. */
async function running(handle: { ready(): Promise<string>; child: { pid?: number }; kill(signal?: NodeJS.Signals): Promise<void> }): Promise<Running> {
  return { url: await handle.ready(), pid: handle.child.pid, stop: () => handle.kill('SIGTERM') };
}

/** The runtimes compared, in order (Workers last: under Miniflare, on its own ledger, its Durable Object). */
const RUNTIMES: BenchRuntime[] = [
  {
    name: 'node',
    how: (variant) => (variant === 'build' ? `node ${process.versions.node}: dist/server/node.mjs` : `node ${process.versions.node} + tsx: token-server/src/node/server.ts`),
    start: (env, variant, build) => {
      const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
      return running(spawnTokenServer(env, variant === 'build' ? { script: 'dist/server/node.mjs', cwd: build!.dir, nodeArgs } : { nodeArgs }));
    },
  },
  {
    name: 'bun',
    how: (variant) => `bun ${versionOf('bun')}: ${variant === 'build' ? 'dist/server/bun.mjs' : 'token-server/src/bun/server.ts'}`,
    start: (env, variant, build) => running(spawnEntry(entryCommand('bun', variant, build?.dir), env)),
  },
  {
    name: 'deno',
    how: (variant) => `deno ${versionOf('deno')}: ${variant === 'build' ? 'dist/server/deno.mjs' : 'token-server/src/deno/server.ts (--sloppy-imports)'}`,
    start: (env, variant, build) => running(spawnEntry(entryCommand('deno', variant, build?.dir), env)),
  },
  {
    // Miniflare on this machine, not Cloudflare's edge; its ledger is its Durable Object (in memory), not Redis.
    name: 'workers',
    how: (variant) => `workerd ${versionOf('workerd')} (Miniflare ${versionOf('miniflare')}): ${variant === 'build' ? 'dist/server/workers.mjs' : 'token-server/src/workers/worker.ts, bundled'}, ledger in its Durable Object`,
    start: (env, variant, build) => serveWorker(env, variant === 'build' ? join(build!.dir, 'dist/server/workers.mjs') : undefined),
  },
];

/** The version of the npm package that ships a runtime's binary. */
function versionOf(name: string): string {
  return (JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;
}

/** CPU time (user + system) process `pid` has used so far, in ms (Linux; clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Resident memory of process `pid`, in MB (Linux). */
function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return +((Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024) / 2 ** 20).toFixed(1);
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return +(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(2);
};

/** `concurrency` visitors, each creating and stopping sessions back to back until `untilMs`. */
async function load(base: URL, untilMs: number) {
  const latencies = { create: [] as number[], stop: [] as number[], roundTrip: [] as number[] };
  let errors = 0;
  const send = keptAliveClient(base, concurrency);
  const post = (path: string, body: string) => send('POST', path, { origin, 'content-type': 'application/json' }, body);
  const timed = async (kind: 'create' | 'stop', path: string, body: string) => {
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
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < untilMs) {
        const started = performance.now();
        const created = await timed('create', '/api/sessions', '{"participant_name":"Bench"}');
        if (!created) continue;
        const { session_id: id, stop_token: token } = JSON.parse(created) as { session_id: string; stop_token: string };
        if (await timed('stop', `/api/sessions/${id}/stop`, `{"stop_token":"${token}"}`)) latencies.roundTrip.push(performance.now() - started);
      }
    }),
  );
  send.close();
  return { latencies, errors };
}

const only = process.env.BENCH_RUNTIMES?.split(',').map((name) => name.trim());
// In the order asked for: running one first or last on a busy machine matters.
const chosen = only ? only.flatMap((name) => RUNTIMES.filter((runtime) => runtime.name === name)) : RUNTIMES;
const [redis, equos, build] = await Promise.all([startRedis(), startEquosApiDouble({ apiKey }), variant === 'build' ? buildEntries() : undefined]);
const rows: Record<string, Record<string, string | number>> = {};
try {
  for (const [index, runtime] of chosen.entries()) {
    const server = await runtime.start(
      {
        EQUOS_API_KEY: apiKey,
        EQUOS_ENDPOINT: equos.url,
        EQUOS_AVATAR_ID: 'sandbox-avatar',
        ALLOWED_ORIGINS: origin,
        SESSION_SECRET: 'bench-secret-0123456789abcdefghijklmnop',
        REDIS_URL: `${redis.url}/${index + 1}`,
        // One load generator is one address: the limits are not what is measured.
        ...LIFTED_LIMITS,
      },
      variant,
      build,
    );
    try {
      const base = new URL(server.url);
      // Warm up (JIT, connection pools), then measure.
      await load(base, performance.now() + 2000);
      const cpuBefore = server.pid ? cpuMsOf(server.pid) : Number.NaN;
      const started = performance.now();
      const { latencies, errors } = await load(base, started + seconds * 1000);
      const elapsedS = (performance.now() - started) / 1000;
      const cpuMs = server.pid ? cpuMsOf(server.pid) - cpuBefore : Number.NaN;
      rows[runtime.name] = {
        what: runtime.how(variant),
        round_trips_per_s: Math.round(latencies.roundTrip.length / elapsedS),
        create_p50_ms: percentile(latencies.create, 50),
        create_p95_ms: percentile(latencies.create, 95),
        stop_p50_ms: percentile(latencies.stop, 50),
        stop_p95_ms: percentile(latencies.stop, 95),
        round_trip_p50_ms: percentile(latencies.roundTrip, 50),
        round_trip_p95_ms: percentile(latencies.roundTrip, 95),
        errors,
        // CPU per round trip does not depend on what else runs on the machine, as round trips/s does.
        server_cpu_per_round_trip_us: Number.isNaN(cpuMs) ? '–' : Math.round((cpuMs * 1000) / Math.max(1, latencies.roundTrip.length)),
        server_rss_mb: server.pid ? rssMbOf(server.pid) : '–',
      };
    } finally {
      await server.stop();
    }
  }
} finally {
  await equos.close();
  await redis.close();
  build?.remove();
}
console.log(`\n  create → stop round trips on the Redis ledger, ${concurrency} concurrent visitors, ${seconds} s per runtime after a 2 s warm-up (${variant === 'build' ? 'production builds' : 'sources'})\n`);
console.table(Object.fromEntries(Object.entries(rows).map(([name, { what: _what, ...figures }]) => [name, figures])));
for (const [name, { what }] of Object.entries(rows)) console.log(`  ${name}: ${what}`);
console.log(`\nruntimes: ${JSON.stringify({ seconds, concurrency, variant, rows })}`);
