/**
 * `npm run bench` (webhooks): how fast the session events a SIGKILLed server left in its
 * ledger reach the receiver once a replacement starts, and how many events per second one
 * instance delivers.
 *
 * Recovery: the real server (a child process, as users run it) creates and stops N/2
 * sessions (N events) while its receiver is down, so every event is tried once and waits in
 * the ledger for its retry; the server is SIGKILLed. Once the retries are due, the receiver
 * comes back (answering 204) and a replacement starts on the same ledger: timed from its
 * spawn (tsx on the sources, as `npm start`) and from its readiness to the last of the N
 * events delivered, each once. On the SQLite file and on Redis.
 *
 * Throughput: N events written straight to a ledger, then one delivery pass (8 requests in
 * flight, each signed, each claimed in the ledger) to a receiver that answers 204 at once.
 *
 *   BENCH_WEBHOOK_EVENTS=100,1000 npm run bench
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startEquosApiDouble } from '../../sandbox/equos-api/server.js';
import { createRedisStore } from '../src/ledger/redis-store.js';
import { createSqliteStore } from '../src/ledger/sqlite-store.js';
import type { LedgerEntry, LedgerStore } from '../src/ledger/store.js';
import { silentLogger } from '../src/logger.js';
import { createWebhookDelivery } from '../src/webhooks/delivery.js';
import { sessionEnded, sessionStarted } from '../src/webhooks/events.js';
import { startWebhookReceiver, TEST_WEBHOOK_SECRET } from '../src/webhooks/testing/receiver.js';
import { TEST_API_KEY } from '../test/harness.js';
import { startRedis } from '../test/redis-server.js';
import { freePort, LIFTED_LIMITS, spawnTokenServer, type ServerProcess } from '../test/server-process.js';

const counts = (process.env.BENCH_WEBHOOK_EVENTS ?? '100,1000').split(',').map(Number);
const ORIGIN = 'https://bench.example';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Creates and stops `sessions` sessions through `base`, 20 at a time. */
async function createAndStop(base: string, sessions: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < sessions) {
      next += 1;
      const created = (await (await post(`${base}/api/sessions`, {})).json()) as { session_id: string; stop_token: string };
      const stopped = await post(`${base}/api/sessions/${created.session_id}/stop`, { stop_token: created.stop_token });
      if (stopped.status !== 200) throw new Error(`stop answered ${stopped.status}`);
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
}

/** Waits until `server` has logged `count` failed attempts (every event tried once). */
async function failures(server: ServerProcess, count: number): Promise<void> {
  while (server.output().split('"event":"webhook.failed"').length - 1 < count) await sleep(50);
}

/** When the last retry the ledger holds is due, in ms since the epoch. */
type LatestRetry = () => Promise<number>;

async function recovery(kind: 'sqlite' | 'redis', events: number, equosUrl: string, redisUrl: string): Promise<Record<string, number>> {
  const port = await freePort();
  const ledgerPath = join(mkdtempSync(join(tmpdir(), 'webhooks-bench-')), 'ledger.sqlite');
  const ledger: Record<string, string> = kind === 'sqlite' ? { LEDGER_PATH: ledgerPath } : { REDIS_URL: redisUrl };
  const env = {
    EQUOS_API_KEY: TEST_API_KEY,
    EQUOS_ENDPOINT: equosUrl,
    EQUOS_AVATAR_ID: 'avatar-1',
    ALLOWED_ORIGINS: ORIGIN,
    WEBHOOK_URL: `http://127.0.0.1:${port}/hooks/equos`,
    WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    // Info lines of thousands of deliveries would be timed too.
    LOG_LEVEL: 'warn',
    ...ledger,
    ...LIFTED_LIMITS,
  };
  const latestRetry: LatestRetry =
    kind === 'sqlite'
      ? async () => {
          const db = new Database(ledgerPath, { readonly: true });
          try {
            return (db.prepare('SELECT MAX(next_attempt_at) AS at FROM outbox').get() as { at: number }).at;
          } finally {
            db.close();
          }
        }
      : async () => {
          const redis = new Redis(redisUrl);
          try {
            const [, score] = await redis.zrange('eqa:outbox', -1, -1, 'WITHSCORES');
            return Number(score);
          } finally {
            redis.disconnect();
          }
        };
  const first = spawnTokenServer(env);
  let second: ServerProcess | undefined;
  const receiver = await (async () => {
    try {
      await createAndStop(await first.ready(), events / 2);
      await failures(first, events);
      await first.kill('SIGKILL');
      // The replacement finds every event due (the first pass would otherwise wait for the backoff).
      await sleep(Math.max(0, (await latestRetry()) - Date.now() + 100));
      return await startWebhookReceiver({ port });
    } catch (error) {
      await first.kill('SIGKILL');
      throw error;
    }
  })();
  try {
    const spawned = performance.now();
    second = spawnTokenServer(env);
    await second.ready();
    const ready = performance.now();
    await receiver.waitFor(events, 120_000);
    const done = performance.now();
    const ids = new Set(receiver.received.map((delivery) => delivery.id));
    if (ids.size !== events || receiver.received.length !== events) throw new Error(`${receiver.received.length} deliveries of ${ids.size} events, not ${events} once each`);
    return { events, spawn_to_ready_ms: Math.round(ready - spawned), ready_to_all_delivered_ms: Math.round(done - ready), spawn_to_all_delivered_ms: Math.round(done - spawned) };
  } finally {
    await second?.kill('SIGKILL');
    await receiver.close();
  }
}

/** `events` events (started and ended of events/2 sessions) written to `store` as the ledger writes them. */
async function fill(store: LedgerStore, events: number, now: number): Promise<void> {
  for (let index = 0; index < events / 2; index += 1) {
    const entry: LedgerEntry = {
      id: `ses_bench${index}`,
      preset: 'default',
      origin: ORIGIN,
      visitorKey: `visitor-${index}`,
      createdAt: now - 60_000,
      deadline: now + 540_000,
      lastHeartbeat: now,
      stopAttempts: 0,
      state: 'running',
      nextAttemptAt: 0,
      stoppedAt: null,
      reservedMinutes: 0,
      consent: null,
      dueAt: now + 600_000,
      openUntil: 9e15,
      visitorOpenUntil: 9e15,
      forgetAt: null,
    };
    await store.insertWithinCaps(entry, { perVisitor: 1e9, global: 1e9 }, now);
    await store.update(entry, ['running'], { event: sessionStarted(entry, now) });
    const stopped = { ...entry, state: 'stopped' as const, stoppedAt: now, dueAt: null, openUntil: 0, visitorOpenUntil: 0 };
    await store.update(stopped, ['running'], { event: sessionEnded(stopped, { cause: 'visitor', unknownAtEquos: false }, now) });
  }
}

async function throughput(name: string, store: LedgerStore, events: number): Promise<Record<string, number | string>> {
  const receiver = await startWebhookReceiver();
  try {
    await fill(store, events, Date.now());
    const delivery = createWebhookDelivery({ store, url: receiver.url, secret: TEST_WEBHOOK_SECRET, logger: silentLogger, instanceId: 'bench', now: Date.now });
    const started = performance.now();
    const delivered = await delivery.deliverOnce();
    const ms = performance.now() - started;
    if (delivered !== events || (await store.outboxSize()) !== 0) throw new Error(`${name}: delivered ${delivered} of ${events}`);
    return { store: name, events, ms: Math.round(ms), events_per_second: Math.round((events * 1000) / ms) };
  } finally {
    await store.close();
    await receiver.close();
  }
}

const [equos, redis] = await Promise.all([startEquosApiDouble({ apiKey: TEST_API_KEY }), startRedis()]);
const recoveries: Record<string, Record<string, number>> = {};
const rates: Array<Record<string, number | string>> = [];
try {
  for (const kind of ['sqlite', 'redis'] as const) {
    for (const events of counts) {
      if (kind === 'redis') {
        // Each run on a Redis of its own: the last one's keys gone.
        const client = new Redis(redis.url);
        await client.flushall();
        client.disconnect();
      }
      recoveries[`${kind}, ${events} events`] = await recovery(kind, events, equos.url, redis.url);
    }
  }
  let fresh = 0;
  for (const events of [...counts, 5000]) {
    rates.push(await throughput('sqlite', createSqliteStore(join(mkdtempSync(join(tmpdir(), 'webhooks-rate-')), 'ledger.sqlite')), events));
    rates.push(await throughput('redis', await createRedisStore({ url: redis.url, prefix: `rate${(fresh += 1)}:` }), events));
  }
} finally {
  await Promise.all([equos.close(), redis.close()]);
}
console.log('Webhook delivery after a SIGKILL: the replacement started, every pending event delivered once:');
console.table(recoveries);
console.log(`webhooks after SIGKILL: ${JSON.stringify(recoveries)}`);
console.log('Webhook delivery throughput, one instance, one pass:');
console.table(rates);
console.log(`webhooks throughput: ${JSON.stringify(rates)}`);
