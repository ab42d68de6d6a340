/**
 * Two token server processes behind one (imaginary) load balancer, sharing a real
 * `redis-server`, then a real PostgreSQL: sessions, rate limits, caps and the reaper's work are
 * one deployment's, whichever shared store keeps them.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../../sandbox/equos-api/server.js';
import { TEST_API_KEY } from '../../test/harness.js';
import { startPostgres } from '../../test/postgres-server.js';
import { startRedis } from '../../test/redis-server.js';
import { spawnTokenServer, type ServerProcess } from '../../test/server-process.js';

const ORIGIN = 'https://shop.example';
type Created = { session_id: string; stop_token: string };

/** A ledger several instances share: the variables that name it, and how to stop it. */
interface SharedLedger {
  env: Record<string, string>;
  close(): Promise<void>;
}

const SHARED_LEDGERS: Array<[name: string, start: () => Promise<SharedLedger>]> = [
  ['Redis', async () => {
    const redis = await startRedis();
    return { env: { REDIS_URL: redis.url }, close: () => redis.close() };
  }],
  ['Postgres', async () => {
    const postgres = await startPostgres();
    return { env: { DATABASE_URL: postgres.url }, close: () => postgres.close() };
  }],
];

let ledger: SharedLedger | undefined;
let equos: RunningEquosApiDouble;
let a: ServerProcess;
let b: ServerProcess;
const url: Record<'a' | 'b', string> = { a: '', b: '' };
/** One instance's environment (all share the ledger, Equos and the deployment's secret). */
let env: (instance: string) => Record<string, string>;

/** Before the tests of one describe: its shared ledger, the Equos double, and two instances on them; after them, gone. */
function deployment(start: () => Promise<SharedLedger>): void {
  beforeAll(async () => {
    const shared = (ledger = await start());
    // Equos never ends a session by itself here: every end is the token servers' doing.
    equos = await startEquosApiDouble({ apiKey: TEST_API_KEY, autoEnd: false });
    const presets = join(mkdtempSync(join(tmpdir(), 'two-')), 'presets.json');
    writeFileSync(presets, JSON.stringify({ presets: [{ name: 'default', avatar_id: 'avatar-1', max_duration_s: 600 }, { name: 'short', avatar_id: 'avatar-1', max_duration_s: 5 }] }));
    env = (instance: string) => ({
      INSTANCE_ID: instance,
      ...shared.env,
      EQUOS_API_KEY: TEST_API_KEY,
      EQUOS_ENDPOINT: equos.url,
      PRESETS_FILE: presets,
      ALLOWED_ORIGINS: ORIGIN,
      SESSION_SECRET: 'shared-secret-of-the-deployment-0123456789',
      TRUSTED_PROXY_HEADER: 'x-forwarded-for',
      RATE_LIMIT_PER_MINUTE: '3',
      MAX_SESSIONS_PER_VISITOR: '2',
      MAX_CONCURRENT_SESSIONS: '6',
      HEARTBEAT_INTERVAL_S: '0.5',
      HEARTBEAT_TIMEOUT_S: '2',
      REAPER_INTERVAL_S: '0.2',
      STOP_GRACE_S: '0.5',
      // Orphans are then 6 s old (create deadline + 5 s), so a dead create's trace is followed after 12 s.
      EQUOS_CREATE_TIMEOUT_S: '1',
    });
    [a, b] = [spawnTokenServer(env('instance-a')), spawnTokenServer(env('instance-b'))];
    [url.a, url.b] = await Promise.all([a.ready(), b.ready()]);
  }, 30_000);

  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await equos?.close();
    await ledger?.close();
  });
}

const post = (on: 'a' | 'b', path: string, visitor: string, body: string, type = 'application/json') =>
  fetch(`${url[on]}${path}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': type, 'x-forwarded-for': visitor }, body });
const create = (on: 'a' | 'b', visitor: string, preset = 'default') => post(on, '/api/sessions', visitor, JSON.stringify({ preset }));
const stop = (on: 'a' | 'b', visitor: string, session: Created) => post(on, `/api/sessions/${session.session_id}/stop`, visitor, session.stop_token, 'text/plain');
const heartbeat = (on: 'a' | 'b', visitor: string, session: Created) => post(on, `/api/sessions/${session.session_id}/heartbeat`, visitor, session.stop_token, 'text/plain');

describe.each(SHARED_LEDGERS)('two instances sharing %s', (_name, start) => {
  deployment(start);

  it('a session created on one is kept alive and stopped through the other', async () => {
    const created = await create('a', '198.51.100.1');
    expect(created.status).toBe(201);
    const session = (await created.json()) as Created;
    expect((await heartbeat('b', '198.51.100.1', session)).status).toBe(204);
    expect((await stop('b', '198.51.100.1', session)).status).toBe(200);
    expect(equos.state.sessions.get(session.session_id)).toMatchObject({ endedBy: 'stop', stopCalls: 1 });
    // Both instances now know it ended.
    expect((await heartbeat('a', '198.51.100.1', session)).status).toBe(410);
    expect((await stop('a', '198.51.100.1', session)).status).toBe(200);
  });

  it('shares the per-visitor rate limit', async () => {
    const visitor = '198.51.100.2';
    // The limit counts in fixed one-minute windows: do not straddle two.
    const untilNextMinute = 60_000 - (Date.now() % 60_000);
    if (untilNextMinute < 3000) await new Promise((resolve) => setTimeout(resolve, untilNextMinute + 50));
    const statuses = [];
    for (const on of ['a', 'b', 'a', 'b'] as const) {
      const response = await create(on, visitor);
      statuses.push(response.status);
      if (response.status === 201) await stop(on, visitor, (await response.json()) as Created);
      else {
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(await response.json()).toMatchObject({ code: 'rate-limited' });
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it('shares the per-visitor cap on open sessions and the global cap', async () => {
    const open: Array<[on: 'a' | 'b', visitor: string, session: Created]> = [];
    const first = await create('a', '198.51.100.3');
    const second = await create('b', '198.51.100.3');
    expect([first.status, second.status]).toEqual([201, 201]);
    open.push(['a', '198.51.100.3', (await first.json()) as Created], ['b', '198.51.100.3', (await second.json()) as Created]);
    const third = await create('a', '198.51.100.3');
    expect([third.status, ((await third.json()) as { code: string }).code]).toEqual([429, 'too-many-sessions']);

    // Six at most across the deployment: four more visitors fill it, the next is turned away.
    for (const [index, on] of (['b', 'a', 'b', 'a'] as const).entries()) {
      const response = await create(on, `198.51.100.${10 + index}`);
      expect(response.status).toBe(201);
      open.push([on, `198.51.100.${10 + index}`, (await response.json()) as Created]);
    }
    const full = await create('b', '198.51.100.20');
    expect([full.status, ((await full.json()) as { code: string }).code]).toEqual([503, 'capacity-reached']);
    expect(Number(full.headers.get('retry-after'))).toBeGreaterThan(0);

    await Promise.all(open.map(([on, visitor, session]) => stop(on === 'a' ? 'b' : 'a', visitor, session)));
    const room = await create('b', '198.51.100.20');
    expect(room.status).toBe(201);
    expect((await stop('a', '198.51.100.20', (await room.json()) as Created)).status).toBe(200);
  });

  it('reaps each silent session exactly once between them, and a killed instance\'s sessions through the survivor', async () => {
    // Sessions whose browsers never send a heartbeat, half created on each instance.
    const silent: Created[] = [];
    for (let index = 0; index < 4; index += 1) {
      const response = await create(index % 2 ? 'a' : 'b', `203.0.113.${index}`);
      expect(response.status).toBe(201);
      silent.push((await response.json()) as Created);
    }
    // Sessions on A that outlive A: one heartbeating (until its tab closes), one reaching its deadline.
    const live = (await (await create('a', '203.0.113.100')).json()) as Created;
    const short = (await (await create('a', '203.0.113.101', 'short')).json()) as Created;
    const beating = setInterval(() => {
      void heartbeat('b', '203.0.113.100', live).catch(() => {});
      void heartbeat('b', '203.0.113.101', short).catch(() => {});
    }, 400);
    try {
      await expect.poll(() => silent.every((session) => equos.state.sessions.get(session.session_id)!.session.endedAt), { timeout: 8000 }).toBe(true);
      for (const session of silent) expect(equos.state.sessions.get(session.session_id)).toMatchObject({ endedBy: 'stop', stopCalls: 1 });

      await a.kill('SIGKILL');
      expect(equos.state.sessions.get(live.session_id)!.session.endedAt).toBeNull();
      clearInterval(beating);
      const shortBeat = setInterval(() => void heartbeat('b', '203.0.113.101', short).catch(() => {}), 400);
      try {
        // The tab of `live` closed with A gone: B stops it after the heartbeat timeout. `short`
        // keeps beating but reaches its deadline (5 s + 0.5 s grace): B stops it then.
        await expect.poll(() => equos.state.sessions.get(live.session_id)!.endedBy, { timeout: 8000 }).toBe('stop');
        await expect.poll(() => equos.state.sessions.get(short.session_id)!.endedBy, { timeout: 8000 }).toBe('stop');
      } finally {
        clearInterval(shortBeat);
      }
      // (The reaper logs once the ledger has it too, a moment after Equos did.)
      await expect.poll(() => b.output(), { timeout: 2000 }).toContain(`"session_id":"${live.session_id}","cause":"heartbeat"`);
      await expect.poll(() => b.output(), { timeout: 2000 }).toContain(`"session_id":"${short.session_id}","cause":"deadline"`);
    } finally {
      clearInterval(beating);
    }
  }, 30_000);

  it('stops the orphan of a create that was in flight on an instance killed mid-way, through the survivor', async () => {
    // A third instance takes a visitor; Equos is slow to start the session, and the instance
    // is SIGKILLed before it hears back. Only its pending admission in the ledger remembers.
    const doomed = spawnTokenServer(env('instance-c'));
    const doomedUrl = await doomed.ready();
    const before = Date.now();
    equos.faults.inject('create', { kind: 'delay', ms: 800 });
    const lost = fetch(`${doomedUrl}/api/sessions`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.200' }, body: '{}' }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await doomed.kill('SIGKILL');
    await lost;
    const started = () => [...equos.state.sessions.values()].filter((entry) => Date.parse(entry.session.startedAt) >= before);
    await expect.poll(() => started().length, { timeout: 3000 }).toBe(1);
    const orphan = started()[0]!.session.id;
    expect(equos.state.sessions.get(orphan)!.session.endedAt).toBeNull();

    // The survivor finds the trace once that create is surely over, and sweeps.
    await expect.poll(() => equos.state.sessions.get(orphan)!.endedBy, { timeout: 20_000, interval: 200 }).toBe('stop');
    expect(equos.state.sessions.get(orphan)!.stopCalls).toBe(1);
    await expect.poll(() => b.output(), { timeout: 2000 }).toContain(`"event":"session.stopped","session_id":"${orphan}","cause":"orphan"`);
    // The trace is forgotten once the sweep that stopped its orphan is over.
    await expect.poll(() => b.output(), { timeout: 2000 }).toContain('"event":"reaper.dead-creates.swept"');
  }, 30_000);
});
