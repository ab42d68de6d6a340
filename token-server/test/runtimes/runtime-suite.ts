/**
 * What the Bun and the Deno entries must do, proven the same way for each (bun.test.ts,
 * deno.test.ts): the real runtime runs the entry from this checkout, on a real redis-server,
 * in front of the Equos API double, over real HTTP.
 */
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../../sandbox/equos-api/server.js';
import { TEST_API_KEY } from '../harness.js';
import { startRedis, type RunningRedis } from '../redis-server.js';
import { buildEntries, entryCommand, postFrom, spawnEntry, type Build, type EntryCommand, type Runtime, type RuntimeProcess, type Variant } from './runtime-process.js';

const ORIGIN = 'https://shop.example';
const JSON_BODY = { origin: ORIGIN, 'content-type': 'application/json' };

type Created = { session_id: string; stop_token: string };

/**
 * The suite for one runtime.
 *
 * @param variant the entry's source, or its production build [source]
 */
export function describeRuntime(runtime: Runtime, variant: Variant = 'source'): void {
  describe(`the ${runtime} entry, ${variant === 'source' ? `from its source (${entryCommand(runtime).command.slice(1).join(' ')})` : `built (${runtime} … dist/server/${runtime}.mjs)`}`, () => {
    let redis: RunningRedis;
    let equos: RunningEquosApiDouble;
    let build: Build | undefined;
    let command: EntryCommand;
    const running: RuntimeProcess[] = [];
    // Each server its own Redis database: no test sees another's sessions or limits.
    let database = 0;

    beforeAll(async () => {
      // autoEnd off: only the token server's stops end sessions, so a stop seen at the double is its.
      // The sandbox's avatar picture, served by the double as Equos serves thumbnails.
      const picture = readFileSync(new URL('../../../sandbox/avatar/media/thumbnail.png', import.meta.url));
      [redis, equos, build] = await Promise.all([
        startRedis(),
        startEquosApiDouble({ apiKey: TEST_API_KEY, autoEnd: false, thumbnails: { 'avatar-1': picture } }),
        variant === 'build' ? buildEntries() : undefined,
      ]);
      command = entryCommand(runtime, variant, build?.dir);
    }, 60_000);
    afterEach(async () => {
      await Promise.all(running.splice(0).map((handle) => handle.kill('SIGKILL')));
      equos.faults.clear();
    });
    afterAll(async () => {
      await equos?.close();
      await redis?.close();
      build?.remove();
    });

    /** A production environment on Redis in front of the double, with `env` on top. */
    function start(env: Record<string, string> = {}, flags: readonly string[] = []): { handle: RuntimeProcess; redisUrl: string } {
      database += 1;
      const redisUrl = `${redis.url}/${database}`;
      // Extra flags go before the entry's file, the command's last word.
      const handle = spawnEntry({ ...command, command: [...command.command.slice(0, -1), ...flags, command.command.at(-1)!] }, {
        EQUOS_API_KEY: TEST_API_KEY,
        EQUOS_ENDPOINT: equos.url,
        EQUOS_AVATAR_ID: 'avatar-1',
        ALLOWED_ORIGINS: ORIGIN,
        SESSION_SECRET: `${runtime}-entry-test-session-secret-0123456789`,
        REDIS_URL: redisUrl,
        ...env,
      });
      running.push(handle);
      return { handle, redisUrl };
    }

    const create = async (url: string): Promise<Created> => {
      const response = await fetch(`${url}/api/sessions`, { method: 'POST', headers: JSON_BODY, body: '{}' });
      expect(response.status, await response.clone().text()).toBe(201);
      return (await response.json()) as Created;
    };

    it('creates and stops a session (the double sees both), serves the widget and its metrics, and never shows the key', async () => {
      const metricsToken = `${runtime}-metrics-token-0123456789abcdefghij`;
      const { handle } = start({ METRICS_TOKEN: metricsToken });
      const url = await handle.ready();
      const { session_id, stop_token } = await create(url);
      expect(equos.state.sessions.get(session_id)!.session.endedAt).toBeNull();

      const stopped = await fetch(`${url}/api/sessions/${session_id}/stop`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'text/plain' }, body: stop_token });
      expect([stopped.status, ((await stopped.json()) as { status: string }).status]).toEqual([200, 'stopped']);
      expect(equos.state.sessions.get(session_id)!.endedBy).toBe('stop');
      expect(equos.state.callsTo('stop', session_id)).toHaveLength(1);

      const widget = await fetch(`${url}/equos-avatar.js`);
      expect([widget.status, widget.headers.get('content-type')]).toEqual([200, expect.stringMatching(/javascript/)]);
      expect((await widget.text()).length).toBeGreaterThan(1000);
      const metrics = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^equos_avatar_sessions_created_total\{[^}]*\} 1$/m);
      expect(handle.output()).toContain('"event":"ledger.opened","store":"redis"');
      // sharp loads on Bun; on Deno only with --allow-ffi (below).
      expect(handle.output().includes('"event":"thumbnails.resizer.unavailable"')).toBe(runtime === 'deno');
      expect(handle.output()).not.toContain(TEST_API_KEY);
    });

    if (runtime === 'deno') {
      it('resizes the presets\' pictures with --allow-ffi (sharp is a native library)', async () => {
        const { handle } = start({ EQUOS_AVATAR_THUMBNAIL_URL: `${equos.url}/avatars/avatar-1.png` }, ['--allow-ffi']);
        const url = await handle.ready();
        const [preset] = (await (await fetch(`${url}/api/presets`, { headers: { origin: ORIGIN } })).json()) as Array<{ thumbnail_url: string }>;
        expect(preset!.thumbnail_url).toBe('api/presets/default/thumbnail?w=128');
        const picture = await fetch(new URL(preset!.thumbnail_url, `${url}/`));
        expect([picture.status, picture.headers.get('content-type')]).toEqual([200, 'image/webp']);
        expect((await picture.arrayBuffer()).byteLength).toBeGreaterThan(0);
        expect(handle.output()).not.toContain('thumbnails.resizer.unavailable');
      });
    }

    it("stops a session past its maximum duration by the runtime's own scheduler, without any request", async () => {
      const { handle } = start({ MAX_SESSION_SECONDS: '5', STOP_GRACE_S: '0', REAPER_INTERVAL_S: '0.2' });
      const url = await handle.ready();
      const { session_id } = await create(url);
      expect(equos.state.sessions.get(session_id)!.session.endedAt).toBeNull();
      // Nothing is sent to the server from here on: only its reaper can end the session.
      await expect.poll(() => equos.state.sessions.get(session_id)!.endedBy, { timeout: 10_000, interval: 100 }).toBe('stop');
      await expect.poll(() => handle.output(), { timeout: 2000 }).toContain(`"session_id":"${session_id}","cause":"deadline"`);
    }, 20_000);

    it('tells visitors apart by their connection address: a cap of 1 refuses 127.0.0.1 a second session, not 127.0.0.2', async () => {
      const { handle } = start({ MAX_SESSIONS_PER_VISITOR: '1' });
      const url = await handle.ready();
      const creates = equos.state.callsTo('create').length;
      const first = await postFrom('127.0.0.1', `${url}/api/sessions`, '{}', JSON_BODY);
      expect(first.status).toBe(201);
      const again = await postFrom('127.0.0.1', `${url}/api/sessions`, '{}', JSON_BODY);
      expect([again.status, (JSON.parse(again.body) as { code: string }).code]).toEqual([429, 'too-many-sessions']);
      const other = await postFrom('127.0.0.2', `${url}/api/sessions`, '{}', JSON_BODY);
      expect(other.status, other.body).toBe(201);
      expect(equos.state.callsTo('create').length - creates).toBe(2);
      expect(handle.output()).not.toContain('visitors.address.unknown');
    });

    it('on SIGTERM finishes the request in flight, exits 0, and leaves the running sessions in Redis', async () => {
      const { handle, redisUrl } = start();
      const url = await handle.ready();
      const quiet = await create(url);
      const creates = equos.state.callsTo('create').length;
      // A create Equos takes a second to answer is in flight when SIGTERM lands.
      equos.faults.inject('create', { kind: 'delay', ms: 1000 });
      const inFlight = fetch(`${url}/api/sessions`, { method: 'POST', headers: JSON_BODY, body: '{}' });
      await expect.poll(() => equos.state.callsTo('create').length, { timeout: 5000 }).toBe(creates + 1);
      handle.child.kill('SIGTERM');
      const finished = await inFlight;
      expect(finished.status).toBe(201);
      const late = (await finished.json()) as Created;
      expect(await handle.exited).toBe(0);
      expect(handle.output()).toContain('"event":"server.stopped"');

      const ledger = new Redis(redisUrl);
      try {
        for (const { session_id } of [quiet, late]) {
          expect(equos.state.sessions.get(session_id)!.session.endedAt).toBeNull();
          expect(await ledger.hget(`eqa:e:${session_id}`, 'state')).toBe('running');
        }
      } finally {
        ledger.disconnect();
      }
    });

    // Past Bun's idle timeout (10 s): a runtime that cut the connection would turn a slow create
    // into a session stopped because its caller left. Once per runtime (the build serves alike).
    if (variant === 'source') {
      it('waits for Equos as long as EQUOS_CREATE_TIMEOUT_S says, even past 10 s', async () => {
        const { handle } = start({ EQUOS_CREATE_TIMEOUT_S: '30' });
        const url = await handle.ready();
        equos.faults.inject('create', { kind: 'delay', ms: 12_000 });
        const { session_id } = await create(url);
        expect(equos.state.sessions.get(session_id)!.session.endedAt).toBeNull();
      }, 30_000);
    }

    it.each([
      ['EQUOS_API_KEY', { EQUOS_API_KEY: '' }, /EQUOS_API_KEY: is required on (Bun|Deno): the local sandbox runs on Node only/],
      ['REDIS_URL', { REDIS_URL: '' }, /REDIS_URL: is required on (Bun|Deno): the SQLite ledger \(LEDGER_PATH\) needs better-sqlite3/],
    ])('stops at start-up with one line naming %s when it is missing', async (_variable, env, message) => {
      const { handle } = start(env);
      expect(await handle.exited).toBe(1);
      const lines = handle.output().trim().split('\n');
      expect(lines).toEqual([expect.stringMatching(new RegExp(`^equos-avatar token server: invalid configuration: ${message.source}`))]);
    });
  });
}
