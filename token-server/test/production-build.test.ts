/**
 * The production build as a deployment runs it (README, "Deploying", "On Node"): dist/ with
 * dist/server/ (scripts/build-server.mjs) beside package.json and package-lock.json, a real
 * production install there (`npm ci --omit=dev`, offline), then `node dist/server/node.mjs` in
 * front of the Equos double, over real HTTP: no tsx, no development dependency, no sandbox.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../sandbox/equos-api/server.js';
import { SESSION_SECRET, SITE_ORIGIN, TEST_API_KEY } from './harness.js';
import { installProduction, type ProductionInstall } from './production-install.js';
import { startRedis, type RunningRedis } from './redis-server.js';
import { spawnTokenServer, type ServerProcess } from './server-process.js';

const NO_SANDBOX =
  'equos-avatar token server: EQUOS_API_KEY is not set: the production build has no local sandbox; set EQUOS_API_KEY (the sandbox runs with `npm start` from a development install)';

let install: ProductionInstall;
let equos: RunningEquosApiDouble;
const running: ServerProcess[] = [];

beforeAll(async () => {
  // The install compiles better-sqlite3 (about a minute on an idle machine).
  install = await installProduction({ examples: true });
  equos = await startEquosApiDouble({ apiKey: TEST_API_KEY });
}, 600_000);

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.kill('SIGKILL')));
});

afterAll(async () => {
  await equos?.close();
  install?.remove();
});

/** The built server from the production install, with only `env` (and PATH, HOST, PORT=0). */
function start(env: Record<string, string>): ServerProcess {
  const server = spawnTokenServer(env, { script: install.entry, cwd: install.dir });
  running.push(server);
  return server;
}

/** A deployment's variables in front of the Equos double. */
const cloud = (env: Record<string, string> = {}) => ({
  EQUOS_API_KEY: TEST_API_KEY,
  EQUOS_ENDPOINT: equos.url,
  EQUOS_AVATAR_ID: 'avatar-1',
  ALLOWED_ORIGINS: SITE_ORIGIN,
  SESSION_SECRET,
  LEDGER_PATH: join(install.dir, 'data', `ledger-${running.length}.sqlite`),
  ...env,
});

/** Every form of the key a leak could take. */
const keyIn = (text: string) => [TEST_API_KEY, encodeURIComponent(TEST_API_KEY), Buffer.from(TEST_API_KEY).toString('base64')].some((form) => text.includes(form));

/** Whether the process has better-sqlite3's native module mapped (Linux). */
const loadsSqlite = (server: ServerProcess) => readFileSync(`/proc/${server.child.pid}/maps`, 'utf8').includes('better_sqlite3.node');

describe('the production install (npm ci --omit=dev)', () => {
  it('has the dependencies, better-sqlite3 compiled, and no development package', () => {
    const modules = join(install.dir, 'node_modules');
    for (const name of ['hono', '@hono/node-server', 'better-sqlite3', 'ioredis', 'sharp']) expect(existsSync(join(modules, name, 'package.json')), name).toBe(true);
    expect(existsSync(join(modules, 'better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    for (const name of ['tsx', 'vitest', 'esbuild', 'typescript', 'werift', 'ws', 'livekit-client', 'miniflare', '.bin/tsx']) expect(existsSync(join(modules, name)), name).toBe(false);
  });

  it('runs files that import only Node built-ins and `dependencies`, and has none of the sandbox', () => {
    const { dependencies } = JSON.parse(readFileSync(join(install.dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const server = join(install.dir, 'dist/server');
    // workers.mjs is the one self-contained file, its packages bundled in (a Worker has no
    // node_modules): token-server/test/workers/ runs it. The rest run from this install.
    const files = readdirSync(server).filter((name) => name.endsWith('.mjs') && !/^workers[.-]/.test(name));
    expect(files).toContain('node.mjs');
    // The ledger stores are files of their own, loaded by the one the settings name.
    expect(files.filter((name) => /^node-(?:sqlite|redis|memory)-store-\w+\.mjs$/.test(name))).toHaveLength(3);
    const imported = new Set<string>();
    for (const file of files) {
      const text = readFileSync(join(server, file), 'utf8');
      for (const [, from, dynamic] of text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/gm)) imported.add((from ?? dynamic)!);
      // esbuild heads each module with its path: none is the sandbox's, a test's or a package's.
      expect(text.match(/^\/\/ (?:sandbox|testing|node_modules|token-server\/test)\/.*$/gm), file).toBeNull();
      expect(text, file).not.toMatch(/werift|startLocalSandbox\(\) *\{/);
    }
    expect(imported).toContain('hono');
    expect(imported).toContain('better-sqlite3');
    const packageOf = (path: string) => path.split('/').slice(0, path.startsWith('@') ? 2 : 1).join('/');
    const foreign = [...imported].filter((path) => !path.startsWith('./') && !path.startsWith('node:') && !(packageOf(path) in dependencies));
    expect(foreign).toEqual([]);
  });
});

describe('node dist/server/node.mjs', () => {
  it('creates and stops a session against Equos, serves the widget, and exits 0 on SIGTERM', async () => {
    const server = start(cloud());
    const url = await server.ready();

    const created = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { origin: SITE_ORIGIN, 'content-type': 'application/json' }, body: '{}' });
    const createdText = await created.text();
    expect(created.status, createdText).toBe(201);
    const { session_id, stop_token } = JSON.parse(createdText) as { session_id: string; stop_token: string };
    expect(equos.state.sessions.get(session_id)?.session.endedAt).toBeNull();

    const stopped = await fetch(`${url}/api/sessions/${session_id}/stop`, { method: 'POST', headers: { origin: SITE_ORIGIN, 'content-type': 'text/plain' }, body: stop_token });
    const stoppedText = await stopped.text();
    expect(stopped.status, stoppedText).toBe(200);
    expect(equos.state.sessions.get(session_id)?.endedBy).toBe('stop');
    expect(equos.state.callsTo('stop', session_id).length).toBeGreaterThan(0);

    // The widget's files, from the install's dist/ (fetch takes the compressed copy and decodes it).
    const script = await fetch(`${url}/equos-avatar.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(Buffer.from(await script.arrayBuffer()).equals(readFileSync(join(install.dir, 'dist/equos-avatar.js')))).toBe(true);
    // No demo pages unless DEMO_PAGES says so.
    expect((await fetch(`${url}/`)).status).toBe(404);

    // The ledger is SQLite, through the native module the install compiled; sharp loaded too.
    expect(server.output()).toContain('"event":"ledger.opened","store":"sqlite"');
    expect(loadsSqlite(server)).toBe(true);
    expect(server.output()).not.toContain('thumbnails.resizer.unavailable');

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"event":"server.stopped"');
    expect(keyIn(server.output())).toBe(false);
    expect(keyIn(createdText + stoppedText)).toBe(false);
  });

  it('serves the demo pages with DEMO_PAGES=on when examples/ is there', async () => {
    const server = start(cloud({ DEMO_PAGES: 'on' }));
    const url = await server.ready();
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toBe(readFileSync(join(install.dir, 'examples/index.html'), 'utf8'));
    expect((await fetch(`${url}/examples/examples.css`)).status).toBe(200);
    expect(keyIn(server.output())).toBe(false);
  });

  it('on Redis, never loads better-sqlite3', async () => {
    let redis: RunningRedis | undefined;
    try {
      redis = await startRedis();
      const server = start(cloud({ REDIS_URL: redis.url }));
      const url = await server.ready();
      expect(server.output()).toContain('"event":"ledger.opened","store":"redis"');
      const created = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { origin: SITE_ORIGIN, 'content-type': 'application/json' }, body: '{}' });
      expect(created.status).toBe(201);
      expect(loadsSqlite(server)).toBe(false);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(keyIn(server.output())).toBe(false);
    } finally {
      await redis?.close();
    }
  });

  it('without EQUOS_API_KEY exits 1 with one line saying the sandbox is development-only', async () => {
    const server = start({ LEDGER_PATH: join(install.dir, 'data', 'no-key.sqlite') });
    expect(await server.exited).toBe(1);
    expect(server.output().trim().split('\n')).toEqual([NO_SANDBOX]);
  });
});
