/**
 * The Equos API key never leaves the token server: not in any response body or header, not
 * in any log line (at debug level, through every failure Equos can produce, including an
 * Equos error that quotes the key back), and not in any built file, even when the build runs
 * with the key in its environment.
 *
 * The key is random per run, so finding it anywhere means it leaked from here.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../sandbox/equos-api/server.js';
import { spawnTokenServer, type ServerProcess } from '../test/server-process.js';

const KEY = `sk_live_${randomBytes(18).toString('hex')}`;
/** The key as it could leak: whole, encoded, or its secret part alone. */
const FORMS = [KEY, Buffer.from(KEY).toString('base64'), Buffer.from(KEY).toString('base64url'), KEY.slice(-20), encodeURIComponent(`"${KEY}"`)];
const ORIGIN = 'https://shop.example';
const root = new URL('../../', import.meta.url).pathname;

let equos: RunningEquosApiDouble;
let server: ServerProcess;
let base: string;
const seen: string[] = [];

beforeAll(async () => {
  equos = await startEquosApiDouble({ apiKey: KEY, autoEnd: false });
  server = spawnTokenServer({
    EQUOS_API_KEY: KEY,
    EQUOS_ENDPOINT: equos.url,
    EQUOS_AVATAR_ID: 'avatar-1',
    ALLOWED_ORIGINS: ORIGIN,
    SESSION_SECRET: 'secrets-test-session-secret-0123456789ab',
    LEDGER_PATH: join(mkdtempSync(join(tmpdir(), 'secrets-')), 'ledger.sqlite'),
    LOG_LEVEL: 'debug',
    EQUOS_CREATE_TIMEOUT_S: '0.5',
    EQUOS_STOP_TIMEOUT_S: '0.5',
    HEARTBEAT_INTERVAL_S: '0.5',
    HEARTBEAT_TIMEOUT_S: '1',
    REAPER_INTERVAL_S: '0.2',
    REAPER_RETRY_BASE_S: '0.1',
    ORPHAN_SWEEP_S: '0.3',
  });
  base = await server.ready();
}, 30_000);

afterAll(async () => {
  await server?.kill('SIGTERM');
  await equos?.close();
});

/** Sends a request and keeps everything that came back. */
async function call(path: string, init: RequestInit & { origin?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('origin', init.origin ?? ORIGIN);
  const response = await fetch(`${base}${path}`, { ...init, headers });
  seen.push(`${response.status} ${path}\n${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n${await response.clone().text()}`);
  return response;
}
const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const leaksIn = (text: string) => FORMS.filter((form) => text.includes(form));

describe('the Equos API key', () => {
  it('is in no response or header, on any route, through every Equos failure', { timeout: 30_000 }, async () => {
    await call('/healthz');
    await call('/api/presets');
    await call('/api/sessions', { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } });
    await call('/');
    await call('/equos-avatar.js');
    await call('/problems/upstream-error');
    await call('/api/sessions', { ...json({}), origin: 'https://evil.example' });
    await call('/api/sessions', json({ avatar_id: 'mine' }));
    await call('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });

    const created = await call('/api/sessions', json({ participant_name: 'Ada' }));
    expect(created.status).toBe(201);
    const session = (await created.json()) as { session_id: string; stop_token: string };
    await call(`/api/sessions/${session.session_id}/heartbeat`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: session.stop_token });
    await call(`/api/sessions/${session.session_id}/stop`, json({ stop_token: 'forged' }));

    // Equos failing in every way, its error messages quoting the key back.
    const quoting = { message: `Invalid API key ${KEY}`, code: `KEY_${KEY}` };
    for (const fault of [{ kind: 'status', status: 401, ...quoting }, { kind: 'status', status: 500, ...quoting }, { kind: 'status', status: 429, ...quoting }, { kind: 'drop' }, { kind: 'delay', ms: 800 }, { kind: 'incomplete' }] as const) {
      equos.faults.inject('create', fault);
      expect((await call('/api/sessions', json({}))).status).toBeGreaterThanOrEqual(500);
    }
    // The first one's silent browser has it reaped (its stops must not take the faults below).
    await expect.poll(() => equos.state.sessions.get(session.session_id)!.session.endedAt, { timeout: 5000 }).toBeTruthy();
    // A fresh session, whose stop Equos refuses more often than the route retries: 202, and
    // the reaper carries on.
    const second = (await (await call('/api/sessions', json({}))).json()) as { session_id: string; stop_token: string };
    equos.faults.inject('stop', { kind: 'status', status: 503, ...quoting }, { times: 8 });
    expect((await call(`/api/sessions/${second.session_id}/stop`, json({ stop_token: second.stop_token }))).status).toBe(202);
    equos.faults.inject('stop', { kind: 'status', status: 400, ...quoting }, { times: 2 });
    equos.faults.inject('get', { kind: 'status', status: 500, ...quoting });
    equos.faults.inject('list', { kind: 'status', status: 500, ...quoting }, { times: 3 });
    // The reaper and the orphan sweep meet those failures too, then stop everything.
    await expect.poll(() => equos.state.running().length, { timeout: 10_000 }).toBe(0);
    expect(server.output()).toMatch(/"event":"session\.stop\.failed","session_id":"[^"]+","cause":"(retry|heartbeat)"/);

    const leaks = seen.flatMap((text) => leaksIn(text).map((form) => `${form.slice(0, 8)}… in ${text.slice(0, 120)}`));
    expect(leaks).toEqual([]);
    expect(seen.length).toBeGreaterThan(15);
  });

  it('is in no log line, at debug level', () => {
    const lines = server.output().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(30);
    expect(lines.filter((line) => leaksIn(line).length > 0)).toEqual([]);
    // The failures were logged (sanitised), not swallowed.
    expect(lines.some((line) => line.includes('"event":"session.create.failed"') || line.includes('"status":502'))).toBe(true);
  });

  it('is in no built file, even when the build runs with the key in its environment', { timeout: 60_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'build-'));
    await promisify(execFile)(process.execPath, [join(root, 'scripts/build.mjs')], { env: { ...process.env, EQUOS_API_KEY: KEY, BUILD_OUT_DIR: out }, cwd: root });
    // Every file, the npm package's (dist/npm/: the element module, the token server, types) included.
    const filesIn = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
    const files = filesIn(out);
    expect(files).toContain('equos-avatar.js');
    expect(files).toContain(join('npm', 'equos-avatar.mjs'));
    expect(files).toContain(join('server', 'node.mjs'));
    for (const file of files) expect(leaksIn(readFileSync(join(out, file), 'utf8')), file).toEqual([]);
    // Nor does any file a browser runs read the environment, or carry anything shaped like a key
    // (the package's token server, dist/npm/token-server/, and the production build, dist/server/,
    // are the server: they read EQUOS_API_KEY).
    for (const dir of [out, join(root, 'dist')]) {
      for (const file of filesIn(dir).filter((name) => /\.m?js$/.test(name) && !name.startsWith(join('npm', 'token-server')) && !name.startsWith(`server${sep}`))) {
        const text = readFileSync(join(dir, file), 'utf8');
        expect(text, file).not.toMatch(/EQUOS_API_KEY|sk_(live|test)_[A-Za-z0-9]{8,}/);
      }
    }
  });
});
