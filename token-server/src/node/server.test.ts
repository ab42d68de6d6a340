/**
 * The Node entry point as users run it (`npm start` → `tsx token-server/src/server.ts`), in a
 * child process, over real HTTP.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../../sandbox/equos-api/server.js';
import { TEST_API_KEY } from '../../test/harness.js';
import { spawnTokenServer, type ServerProcess } from '../../test/server-process.js';

const ORIGIN = 'https://shop.example';

const running: ServerProcess[] = [];

/** Starts the entry point with a fresh ledger file, unless `env` names one. */
function run(env: Record<string, string>): ServerProcess {
  const handle = spawnTokenServer({ LEDGER_PATH: join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger.sqlite'), ...env });
  running.push(handle);
  return handle;
}

const readyUrl = (handle: ServerProcess) => handle.ready();

let equos: RunningEquosApiDouble;
beforeAll(async () => {
  equos = await startEquosApiDouble({ apiKey: TEST_API_KEY });
});
afterAll(() => equos.close());
afterEach(async () => {
  await Promise.all(running.splice(0).map((handle) => handle.kill('SIGKILL')));
  equos.faults.clear();
});

/** A production environment in front of the Equos double. */
const cloud = (env: Record<string, string> = {}) => ({
  EQUOS_API_KEY: TEST_API_KEY,
  EQUOS_ENDPOINT: equos.url,
  EQUOS_AVATAR_ID: 'avatar-1',
  ALLOWED_ORIGINS: ORIGIN,
  SESSION_SECRET: 'server-test-session-secret-0123456789abcd',
  ...env,
});

describe('npm start (token-server/src/node/server.ts)', () => {
  it('serves the contract against Equos when EQUOS_API_KEY is set, and exits cleanly on SIGTERM', async () => {
    const handle = run(cloud());
    const url = await readyUrl(handle);

    const created = await fetch(`${url}/api/sessions`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(created.status).toBe(201);
    const { session_id, stop_token } = (await created.json()) as { session_id: string; stop_token: string };
    expect(equos.state.sessions.get(session_id)).toBeDefined();

    const stopped = await fetch(`${url}/api/sessions/${session_id}/stop`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'text/plain' },
      body: stop_token,
    });
    expect(stopped.status).toBe(200);
    expect(equos.state.sessions.get(session_id)!.endedBy).toBe('stop');

    handle.child.kill('SIGTERM');
    expect(await handle.exited).toBe(0);
    expect(handle.output()).toContain('"event":"server.stopped"');
    expect(handle.output()).not.toContain(TEST_API_KEY);
  });

  it('on SIGTERM finishes in-flight requests, refuses new ones, leaves live sessions to the ledger; the next instance carries on', async () => {
    const ledger = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger.sqlite');
    const env = {
      EQUOS_API_KEY: TEST_API_KEY,
      EQUOS_ENDPOINT: equos.url,
      EQUOS_AVATAR_ID: 'avatar-1',
      ALLOWED_ORIGINS: ORIGIN,
      SESSION_SECRET: 'server-test-second-secret-0123456789abcd',
      LEDGER_PATH: ledger,
      HEARTBEAT_INTERVAL_S: '0.5',
      HEARTBEAT_TIMEOUT_S: '4',
      REAPER_INTERVAL_S: '0.2',
    };
    const post = (url: string, path: string, body: string, type = 'application/json') =>
      fetch(`${url}${path}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': type }, body });
    type Created = { session_id: string; stop_token: string };

    const first = run(env);
    const firstUrl = await first.ready();
    const quiet = (await (await post(firstUrl, '/api/sessions', '{}')).json()) as Created;
    // A create Equos takes 1.5 s to answer is in flight when the redeploy's SIGTERM lands.
    equos.faults.inject('create', { kind: 'delay', ms: 1500 });
    const inFlight = post(firstUrl, '/api/sessions', '{}');
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.child.kill('SIGTERM');
    // Once it says it is stopping it has closed its listener (and its idle keep-alive
    // connections, a moment later): nothing new gets in. Waiting for the line, not a fixed
    // time, keeps this true on a loaded machine.
    await expect.poll(() => first.output(), { timeout: 5000 }).toContain('"event":"server.stopping"');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(post(firstUrl, '/api/sessions', '{}')).rejects.toThrow();
    const finished = await inFlight;
    expect(finished.status).toBe(201);
    const late = (await finished.json()) as Created;
    expect(await first.exited).toBe(0);
    // Nobody was cut off by the redeploy.
    expect(equos.state.sessions.get(quiet.session_id)!.session.endedAt).toBeNull();
    expect(equos.state.sessions.get(late.session_id)!.session.endedAt).toBeNull();

    const second = run(env);
    const secondUrl = await second.ready();
    // The new instance knows both from the ledger: it takes the late one's stop...
    expect((await post(secondUrl, `/api/sessions/${late.session_id}/stop`, late.stop_token, 'text/plain')).status).toBe(200);
    expect(equos.state.sessions.get(late.session_id)!.endedBy).toBe('stop');
    // ...and stops the quiet one, whose browser sends no heartbeats, within the timeout.
    await expect.poll(() => equos.state.sessions.get(quiet.session_id)!.endedBy, { timeout: 8000 }).toBe('stop');
    // (The reaper logs once the ledger has it too, a moment after Equos did.)
    await expect.poll(() => second.output(), { timeout: 2000 }).toContain(`"session_id":"${quiet.session_id}","cause":"heartbeat"`);
  });

  it('runs on the built-in local sandbox when no API key is set', async () => {
    const handle = run({});
    const url = await readyUrl(handle);
    const created = await fetch(`${url}/api/sessions`, {
      method: 'POST',
      headers: { origin: new URL(url).origin, 'content-type': 'application/json' },
      body: JSON.stringify({ participant_name: 'Newcomer' }),
    });
    expect(created.status).toBe(201);
    const session = (await created.json()) as { server_url: string; participant_token: string };
    expect(session).toMatchObject({ avatar_identity: 'sandbox-avatar', avatar_name: 'Ava' });
    // The sandbox's LiveKit server accepts the visitor's token, as a real one would.
    const validate = await fetch(`${session.server_url.replace('ws:', 'http:')}/rtc/validate?access_token=${session.participant_token}`);
    expect([validate.status, await validate.text()]).toEqual([200, 'success']);
    expect(handle.output()).toContain('"event":"sandbox.started"');
  });

  it("serves the sandbox avatar's picture small: WebP under 6 KB at 1× and 2×, listed by GET /api/presets", async () => {
    const handle = run({});
    const url = await readyUrl(handle);
    const [preset] = (await (await fetch(`${url}/api/presets`)).json()) as Array<{ thumbnail_url: string; thumbnails: Array<{ url: string; width: number }> }>;
    expect(preset!.thumbnail_url).toBe('api/presets/default/thumbnail?w=128');
    const sizes: number[] = [];
    for (const { url: path, width } of preset!.thumbnails.filter(({ width }) => width <= 128)) {
      const response = await fetch(new URL(path, `${url}/`));
      const body = new Uint8Array(await response.arrayBuffer());
      expect([response.status, response.headers.get('content-type'), width]).toEqual([200, 'image/webp', width]);
      sizes.push(body.byteLength);
    }
    expect(sizes).toHaveLength(2);
    for (const size of sizes) expect(size).toBeLessThan(6 * 1024);
    expect(handle.output()).not.toContain('thumbnails.resizer.unavailable');
  });

  it("keeps the sandbox's ledger apart: a ledger used on the sandbox is refused with a real key, with one clear line", async () => {
    const ledger = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger.sqlite');
    const sandbox = run({ LEDGER_PATH: ledger });
    await readyUrl(sandbox);
    await sandbox.kill('SIGTERM');
    const real = run(cloud({ LEDGER_PATH: ledger }));
    expect(await real.exited).toBe(1);
    expect(real.output()).toMatch(/cannot use the session ledger \(LEDGER_PATH\): this ledger holds sessions of the local sandbox/);
    expect(real.output()).not.toContain(TEST_API_KEY);
  });

  it('refuses ALLOWED_ORIGINS=* with a real key unless DEVELOPMENT_MODE is on', async () => {
    const refused = run(cloud({ ALLOWED_ORIGINS: '*' }));
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/invalid configuration: ALLOWED_ORIGINS: .*DEVELOPMENT_MODE=on/);
    await readyUrl(run(cloud({ ALLOWED_ORIGINS: '*', DEVELOPMENT_MODE: 'on' })));
  });

  it('keeps a generated SESSION_SECRET in the ledger: a restarted server still honours the stop tokens it gave out', async () => {
    const ledger = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger.sqlite');
    const env = cloud({ LEDGER_PATH: ledger, SESSION_SECRET: '' });
    const first = run(env);
    const url = await readyUrl(first);
    const created = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: '{}' });
    const { session_id, stop_token } = (await created.json()) as { session_id: string; stop_token: string };
    await first.kill('SIGTERM');
    const second = run(env);
    const again = await readyUrl(second);
    const stopped = await fetch(`${again}/api/sessions/${session_id}/stop`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'text/plain' }, body: stop_token });
    expect(stopped.status).toBe(200);
    expect(equos.state.sessions.get(session_id)!.endedBy).toBe('stop');
  });

  it.each([
    ['MAX_SESSION_SECONDS', { MAX_SESSION_SECONDS: 'forever' }],
    ['EQUOS_API_KEY', { EQUOS_API_KEY: `${TEST_API_KEY} trailing` }],
    ['EQUOS_AVATAR_ID', { EQUOS_API_KEY: TEST_API_KEY }],
    ['ALLOWED_ORIGINS', { ALLOWED_ORIGINS: 'shop.example' }],
    ['PRESETS_FILE', { PRESETS_FILE: '/nonexistent/presets.json' }],
  ])('stops at start-up with one clear line naming %s', async (variable, env) => {
    const handle = run(env);
    expect(await handle.exited).toBe(1);
    const lines = handle.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^equos-avatar token server: invalid configuration: ${variable}: `));
    expect(handle.output()).not.toContain(TEST_API_KEY);
  });

  it('waits for Equos as long as EQUOS_CREATE_TIMEOUT_S says, even past 10 s: a slow create is a session, not an orphan', async () => {
    const handle = run(cloud({ EQUOS_CREATE_TIMEOUT_S: '30', EQUOS_STOP_TIMEOUT_S: '30' }));
    const url = await readyUrl(handle);
    equos.faults.inject('create', { kind: 'delay', ms: 12_000 });
    equos.faults.inject('stop', { kind: 'delay', ms: 11_000 });
    const created = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: '{}' });
    expect(created.status).toBe(201);
    const { session_id, stop_token } = (await created.json()) as { session_id: string; stop_token: string };
    const stopped = await fetch(`${url}/api/sessions/${session_id}/stop`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'text/plain' }, body: stop_token });
    expect(stopped.status).toBe(200);
    expect(equos.state.sessions.get(session_id)!.endedBy).toBe('stop');
    expect(equos.state.callsTo('stop', session_id)).toHaveLength(1);
  }, 45_000);

  it('says which port is taken instead of crashing with a stack trace', async () => {
    const first = run({});
    const port = new URL(await readyUrl(first)).port;
    const second = run({ PORT: port });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`port ${port} is already in use`);
    expect(second.output()).not.toMatch(/\n\s+at /);
  });
});
