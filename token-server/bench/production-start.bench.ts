/**
 * `npm run bench` (production build): the token server built for production
 * (scripts/build-server.mjs, `node dist/server/node.mjs`) against its sources run through tsx
 * (`npm start`'s way), each in its own process with a fresh SQLite ledger, in front of the
 * Equos API double in this process, on loopback.
 *
 * Prints, for each way of running it: start-up time (spawn to listening, the median and the
 * spread of BENCH_RUNS starts, taken in turns so that a busy moment of the machine hits every
 * way alike), resident memory once listening (median), and resident memory after
 * BENCH_ROUND_TRIPS create → stop round trips (one process each, 8 at a time).
 *
 *   BENCH_RUNS=9 BENCH_ROUND_TRIPS=200 node --import tsx token-server/bench/production-start.bench.ts
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEquosApiDouble } from '../../sandbox/equos-api/server.js';
// @ts-expect-error: a JavaScript build script, without declarations.
import { buildServer } from '../../scripts/build-server.mjs';
import { LIFTED_LIMITS, spawnTokenServer, type SpawnOptions } from '../test/server-process.js';

const runs = Number(process.env.BENCH_RUNS ?? 9);
const roundTrips = Number(process.env.BENCH_ROUND_TRIPS ?? 200);
const apiKey = 'sk_bench_0123456789abcdef';
const origin = 'https://bench.example';
const root = fileURLToPath(new URL('../../', import.meta.url));

// The build in a scratch directory (dist/ is others' to read), its packages the repository's.
const scratch = mkdtempSync(join(tmpdir(), 'bench-production-'));
symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));
await buildServer({ out: join(scratch, 'dist/server'), log: () => {} });

const ways: Array<{ name: string; options: SpawnOptions }> = [
  { name: 'node dist/server/node.mjs', options: { script: join(scratch, 'dist/server/node.mjs'), cwd: scratch } },
  { name: 'node --enable-source-maps dist/server/node.mjs', options: { nodeArgs: ['--enable-source-maps'], script: join(scratch, 'dist/server/node.mjs'), cwd: scratch } },
  { name: 'tsx token-server/src/node/server.ts', options: {} },
];

const equos = await startEquosApiDouble({ apiKey });
let ledgers = 0;
const start = (options: SpawnOptions) =>
  spawnTokenServer(
    {
      EQUOS_API_KEY: apiKey,
      EQUOS_ENDPOINT: equos.url,
      EQUOS_AVATAR_ID: 'sandbox-avatar',
      ALLOWED_ORIGINS: origin,
      SESSION_SECRET: 'bench-secret-0123456789abcdefghijklmnop',
      LEDGER_PATH: join(scratch, 'ledgers', `${(ledgers += 1)}.sqlite`),
      ...LIFTED_LIMITS,
    },
    options,
  );
mkdirSync(join(scratch, 'ledgers'));

const results = ways.map(() => ({ startMs: [] as number[], rssBytes: [] as number[], rssAfterBytes: 0 }));
for (let run = 0; run < runs; run += 1) {
  for (const [index, way] of ways.entries()) {
    const spawned = performance.now();
    const server = start(way.options);
    await server.ready();
    results[index]!.startMs.push(performance.now() - spawned);
    results[index]!.rssBytes.push(server.rssBytes());
    await server.kill('SIGTERM');
  }
}

/** `count` create → stop round trips, 8 at a time. */
async function roundTripsAgainst(url: string, count: number): Promise<void> {
  let left = count;
  const post = async (path: string, body: string) => {
    const response = await fetch(`${url}${path}`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body });
    const text = await response.text();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
    return text;
  };
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (left > 0) {
        left -= 1;
        const { session_id: id, stop_token: token } = JSON.parse(await post('/api/sessions', '{}')) as { session_id: string; stop_token: string };
        await post(`/api/sessions/${id}/stop`, JSON.stringify({ stop_token: token }));
      }
    }),
  );
}

for (const [index, way] of ways.entries()) {
  const server = start(way.options);
  await roundTripsAgainst(await server.ready(), roundTrips);
  results[index]!.rssAfterBytes = server.rssBytes();
  await server.kill('SIGTERM');
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const mb = (bytes: number) => +(bytes / 2 ** 20).toFixed(1);
const rows = Object.fromEntries(
  ways.map((way, index) => {
    const { startMs, rssBytes, rssAfterBytes } = results[index]!;
    return [
      way.name,
      {
        start_ms_median: Math.round(median(startMs)),
        start_ms_min: Math.round(Math.min(...startMs)),
        start_ms_max: Math.round(Math.max(...startMs)),
        rss_mb_listening: mb(median(rssBytes)),
        [`rss_mb_after_${roundTrips}_round_trips`]: mb(rssAfterBytes),
      },
    ];
  }),
);
console.table(rows);
console.log(`production-start: ${JSON.stringify({ runs, round_trips: roundTrips, ways: rows })}`);
await equos.close();
rmSync(scratch, { recursive: true, force: true });
