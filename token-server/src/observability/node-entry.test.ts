/**
 * Observability of the Node entry as users run it (its own process, SQLite ledger): METRICS_TOKEN
 * turns `GET /metrics` on (with Node's process metrics), a weak one stops start-up, `/readyz`
 * answers, and a tracer provider preloaded with `node --import` receives its spans.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../../sandbox/equos-api/server.js';
import { TEST_API_KEY } from '../../test/harness.js';
import { spawnTokenServer, type ServerProcess, type SpawnOptions } from '../../test/server-process.js';
import { parsePrometheusText } from './testing/prometheus-text.js';

const ORIGIN = 'https://shop.example';
const TOKEN = 'node-entry-metrics-token-5e8b1d4a7c0f3b6e9a2d';
const OTEL_SETUP = fileURLToPath(new URL('./testing/otel-setup.mjs', import.meta.url));

let equos: RunningEquosApiDouble;
const running: ServerProcess[] = [];
beforeAll(async () => {
  equos = await startEquosApiDouble({ apiKey: TEST_API_KEY });
});
afterAll(() => equos.close());
afterEach(async () => {
  await Promise.all(running.splice(0).map((handle) => handle.kill('SIGKILL')));
});

function run(env: Record<string, string>, options: SpawnOptions = {}): ServerProcess {
  const handle = spawnTokenServer(
    {
      EQUOS_API_KEY: TEST_API_KEY,
      EQUOS_ENDPOINT: equos.url,
      EQUOS_AVATAR_ID: 'avatar-1',
      ALLOWED_ORIGINS: ORIGIN,
      SESSION_SECRET: 'node-entry-session-secret-0123456789abcdef',
      LEDGER_PATH: join(mkdtempSync(join(tmpdir(), 'observability-')), 'ledger.sqlite'),
      ...env,
    },
    options,
  );
  running.push(handle);
  return handle;
}

const create = (url: string) => fetch(`${url}/api/sessions`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: '{}' });

describe('the Node entry', () => {
  it('serves /metrics with METRICS_TOKEN, with the process metrics, and never prints the token', async () => {
    const handle = run({ METRICS_TOKEN: TOKEN });
    const url = await handle.ready();
    const scrape = async () => {
      const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect([response.status, response.headers.get('content-type')]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
      return parsePrometheusText(await response.text());
    };
    const before = await scrape();
    expect([before.value('equos_avatar_ledger_up'), before.value('equos_avatar_sessions_open')]).toEqual([1, 0]);
    expect(before.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(before.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    expect(before.value('process_resident_memory_bytes')).toBeGreaterThan(0);

    expect((await create(url)).status).toBe(201);
    const after = await scrape();
    expect([after.value('equos_avatar_sessions_created_total', { preset: 'default' }), after.value('equos_avatar_sessions_open')]).toEqual([1, 1]);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN.toUpperCase()}` } })).status).toBe(401);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    await handle.kill('SIGTERM');
    expect(handle.output()).not.toContain(TOKEN);
    expect(handle.output()).not.toContain(TOKEN.toUpperCase());
  });

  it('has no /metrics without METRICS_TOKEN, and /readyz names its ledger', async () => {
    const url = await run({}).ready();
    const metrics = await fetch(`${url}/metrics`);
    expect([metrics.status, ((await metrics.json()) as { code: string }).code]).toEqual([404, 'not-found']);
    const ready = await fetch(`${url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', ledger: 'sqlite' }]);
  });

  it('refuses to start with a weak METRICS_TOKEN, naming the variable but not the token', async () => {
    const handle = run({ METRICS_TOKEN: 'guessable-token-42' });
    expect(await handle.exited).toBe(1);
    expect(handle.output()).toContain('invalid configuration: METRICS_TOKEN: must be at least 32 characters');
    expect(handle.output()).not.toContain('guessable-token-42');
  });

  it('sends its spans to a tracer provider preloaded with node --import', async () => {
    const spansFile = join(mkdtempSync(join(tmpdir(), 'spans-')), 'spans.jsonl');
    const url = await run({ OTEL_TEST_SPANS_FILE: spansFile }, { nodeArgs: ['--import', OTEL_SETUP] }).ready();
    expect((await create(url)).status).toBe(201);
    type Exported = { name: string; kind: number; traceId: string; spanId: string; parentSpanId?: string; attributes: Record<string, unknown> };
    const spans = (): Exported[] => (existsSync(spansFile) ? readFileSync(spansFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Exported) : []);
    await expect.poll(() => spans().some((span) => span.name === 'POST /api/sessions'), { timeout: 5000, interval: 50 }).toBe(true);
    const server = spans().find((span) => span.name === 'POST /api/sessions')!;
    expect(server.attributes).toMatchObject({ 'http.route': '/api/sessions', 'http.response.status_code': 201 });
    const equosCreate = spans().find((span) => span.name === 'equos create')!;
    expect([equosCreate.parentSpanId, equosCreate.traceId]).toEqual([server.spanId, server.traceId]);
    expect(readFileSync(spansFile, 'utf8')).not.toContain(TEST_API_KEY);
  });
});
