/**
 * The Node entry point as users run it (`npm start` → `tsx token-server/src/server.ts`), in a
 * child process, over real HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../sandbox/equos-api/server.js';
import { TEST_API_KEY } from '../test/harness.js';

const entry = fileURLToPath(new URL('./server.ts', import.meta.url));
const ORIGIN = 'https://shop.example';

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const running: Run[] = [];

function run(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const handle = { child, output: () => output, exited };
  running.push(handle);
  return handle;
}

async function readyUrl(handle: Run): Promise<string> {
  await expect.poll(() => /ready at (http:\/\/\S+)/.test(handle.output()), { timeout: 10_000 }).toBe(true);
  return /ready at (http:\/\/\S+)/.exec(handle.output())![1]!;
}

let equos: RunningEquosApiDouble;
beforeAll(async () => {
  equos = await startEquosApiDouble({ apiKey: TEST_API_KEY });
});
afterAll(() => equos.close());
afterEach(() => {
  for (const handle of running.splice(0)) if (handle.child.exitCode === null) handle.child.kill('SIGKILL');
});

describe('npm start (token-server/src/server.ts)', () => {
  it('serves the contract against Equos when EQUOS_API_KEY is set, and exits cleanly on SIGTERM', async () => {
    const handle = run({
      EQUOS_API_KEY: TEST_API_KEY,
      EQUOS_ENDPOINT: equos.url,
      EQUOS_AVATAR_ID: 'avatar-1',
      ALLOWED_ORIGINS: ORIGIN,
      SESSION_SECRET: 'x'.repeat(40),
    });
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

  it('says which port is taken instead of crashing with a stack trace', async () => {
    const first = run({});
    const port = new URL(await readyUrl(first)).port;
    const second = run({ PORT: port });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`port ${port} is already in use`);
    expect(second.output()).not.toMatch(/\n\s+at /);
  });
});
