/**
 * The token server as a Cloudflare Worker, in workerd (Miniflare): the bundle `wrangler deploy`
 * would upload, its ledger in the SQLite-backed Durable Object, its passes on the cron
 * trigger, in front of the Equos API double (which ends sessions only when stopped, so every
 * end below is the token server's doing).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_API_KEY } from '../harness.js';
import { COMPATIBILITY_DATE } from './bundle.js';
import { CRON, startWorkerStack, type WorkerStack } from './worker-stack.js';

const MINUTE_MS = 60_000;
/** A minute on which no periodic orphan sweep and no housekeeping fall (ORPHAN_SWEEP_S 300). */
const quietMinute = () => {
  const minute = Math.floor(Date.now() / MINUTE_MS);
  return (minute % 5 === 0 ? minute + 1 : minute) * MINUTE_MS;
};
/** The next minute of a periodic orphan sweep. */
const sweepMinute = () => (Math.floor(Date.now() / MINUTE_MS / 5) + 1) * 5 * MINUTE_MS;
const WIDGET = 'customElements.define("equos-avatar", class extends HTMLElement {});\n'.repeat(20);

const WEBHOOK_SECRET = `whsec_${Buffer.from('0123456789abcdefghijklmnopqrstuv').toString('base64')}`;

let stack: WorkerStack;
let assets: string;
/** The operator's webhook receiver, and what it received. */
let receiver: Server;
const deliveries: Array<{ headers: Record<string, string>; body: string }> = [];
let visitors = 0;
/** A new visitor's address each time: the per-visitor cap is 1 here. */
const newVisitor = () => `198.51.100.${(visitors += 1)}`;

beforeAll(async () => {
  assets = mkdtempSync(join(tmpdir(), 'worker-assets-'));
  writeFileSync(join(assets, 'equos-avatar.js'), WIDGET);
  writeFileSync(join(assets, 'equos-avatar.js.br'), brotliCompressSync(WIDGET));
  writeFileSync(join(assets, 'not-the-widget.txt'), 'only what the routes serve is served');
  receiver = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      deliveries.push({ headers: request.headers as Record<string, string>, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  stack = await startWorkerStack({
    assetsDirectory: assets,
    variables: {
      MAX_SESSIONS_PER_VISITOR: '1',
      MAX_SESSION_SECONDS: '5',
      STOP_GRACE_S: '0',
      // The early orphan sweep a new isolate asks for comes 65 s after its first request, long
      // after these tests: only the cron minutes below sweep.
      EQUOS_CREATE_TIMEOUT_S: '60',
      WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/equos`,
      WEBHOOK_SECRET,
    },
  });
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  rmSync(assets, { recursive: true, force: true });
  // Not a response, not a log line: the key stays in the Worker's secrets.
  expect(stack?.secretLeaks()).toEqual([]);
});

describe('the token server on Workers', () => {
  it('is one module that imports nothing but the runtime\'s own, and bundles no Node-only package', () => {
    const imports = [...stack.bundle.matchAll(/^import .* from "([^"]+)";$/gm)].map((match) => match[1]);
    expect(imports).toEqual(['cloudflare:workers']);
    expect(stack.bundle).not.toMatch(/node_modules\/(?:better-sqlite3|ioredis|pg|sharp|prom-client|@hono\/node-server)\//);
    // The graph is the real one: the app, the ledger object, the webhooks' signer.
    expect(stack.bundle).toMatch(/LedgerDurableObject = class extends DurableObject/);
    expect(stack.bundle).toContain('node_modules/standardwebhooks/');
  });

  it('creates a session and stops it with its stop token, at Equos', async () => {
    const created = await stack.createSession(newVisitor());
    expect(created).toMatchObject({ session_id: expect.stringMatching(/^ses_/), stop_token: expect.any(String) });
    const id = created.session_id;
    expect(stack.equos.state.callsTo('create')).toHaveLength(1);
    expect(stack.equos.state.sessions.get(id)?.session.endedAt).toBeNull();

    const stop = await stack.request(`/api/sessions/${id}/stop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stop_token: created.stop_token }) });
    expect(stop.status).toBe(200);
    expect(stop.json()).toMatchObject({ session_id: id, status: 'stopped' });
    expect(stack.equos.state.callsTo('stop', id)).toHaveLength(1);
    expect(stack.equos.state.sessions.get(id)?.endedBy).toBe('stop');

    // The events the two requests wrote reach the webhook within those requests' events (no cron
    // has fired), signed.
    const events = await vi.waitFor(
      () => {
        const of = deliveries.filter((delivery) => delivery.body.includes(id));
        expect(of).toHaveLength(2);
        return of;
      },
      { timeout: 10_000, interval: 50 },
    );
    const verifier = new Webhook(WEBHOOK_SECRET.slice('whsec_'.length));
    expect(events.map(({ headers, body }) => (verifier.verify(body, headers) as { type: string }).type).sort()).toEqual(['session.ended', 'session.started']);
  });

  it('counts visitors by CF-Connecting-IP: two addresses are two visitors, a second session of one is refused', async () => {
    const [first, second] = [newVisitor(), newVisitor()];
    const a = await stack.createSession(first);
    const b = await stack.createSession(second);
    const again = await stack.request('/api/sessions', { method: 'POST', ip: first, headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(again.status).toBe(429);
    expect(again.json()).toMatchObject({ code: 'too-many-sessions' });
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // Neither visitor is 'unknown': the Worker never warned that it could not tell them apart.
    expect(stack.logs.filter((line) => line.includes('visitors.address.unknown'))).toEqual([]);
    for (const { session_id: id, stop_token: token } of [a, b]) {
      expect((await stack.request(`/api/sessions/${id}/stop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stop_token: token }) })).status).toBe(200);
    }
  });

  it('refuses a malformed create with a problem, not a 500', async () => {
    const response = await stack.request('/api/sessions', { method: 'POST', ip: newVisitor(), headers: { 'content-type': 'application/json' }, body: '{"preset":' });
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ code: 'invalid-json' });
  });

  it('stops, from its cron trigger, a session Equos runs for this deployment that the ledger never recorded', async () => {
    // The deployment's client tag, as its creates send it.
    const known = await stack.createSession(newVisitor());
    const clientTag = stack.equos.state.sessions.get(known.session_id)!.session.client!;
    expect(clientTag).toMatch(/^test-deployment:/);
    const plant = async (client: string) => {
      const response = await fetch(`${stack.equos.url}/v1/sessions`, {
        method: 'POST',
        headers: { 'x-api-key': TEST_API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'left behind', client, avatar: { id: 'avatar-1' } }),
      });
      const { session } = (await response.json()) as { session: { id: string } };
      // Started an hour ago: no create still in flight can be about to record it.
      const entry = stack.equos.state.sessions.get(session.id)!;
      entry.session = { ...entry.session, startedAt: new Date(Date.now() - 3600_000).toISOString() };
      return session.id;
    };
    const orphan = await plant(clientTag);
    const foreign = await plant('another-deployment:x');

    // A minute without a periodic sweep leaves it (the passes run by the minute, not by the isolate).
    await stack.scheduled(quietMinute());
    expect(stack.equos.state.callsTo('stop', orphan)).toHaveLength(0);

    await stack.scheduled(sweepMinute());
    expect(stack.equos.state.callsTo('stop', orphan)).toHaveLength(1);
    expect(stack.equos.state.sessions.get(orphan)?.endedBy).toBe('stop');
    // Not ours, and ours that the ledger holds as running: left alone.
    expect(stack.equos.state.callsTo('stop', foreign)).toHaveLength(0);
    expect(stack.equos.state.callsTo('stop', known.session_id)).toHaveLength(0);
    await stack.request(`/api/sessions/${known.session_id}/stop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stop_token: known.stop_token }) });
  });

  it('keeps the ledger across a restart: the restarted Worker’s cron stops a session once past its maximum duration', async () => {
    const { session_id: id } = await stack.createSession(newVisitor());
    const deadline = Date.now() + 5000;
    // Not due yet: the reaper leaves it running.
    await stack.scheduled(quietMinute());
    expect(stack.equos.state.callsTo('stop', id)).toHaveLength(0);

    await stack.restart();
    // Nothing stops it meanwhile: the double does not end sessions by itself, and no cron fires.
    while (Date.now() <= deadline) await new Promise((resolve) => setTimeout(resolve, deadline + 50 - Date.now()));
    expect(stack.equos.state.sessions.get(id)?.session.endedAt).toBeNull();
    await stack.scheduled(quietMinute());
    expect(stack.equos.state.callsTo('stop', id)).toHaveLength(1);
    expect(stack.equos.state.sessions.get(id)?.endedBy).toBe('stop');
    // Nothing this deployment started is left running at Equos.
    expect(stack.equos.state.running().filter((session) => session.session.client?.startsWith('test-deployment:'))).toEqual([]);
  }, 30_000);

  it("serves the widget's files through the static assets binding, with their own headers, and nothing else of the folder", async () => {
    // As a browser gets it: the build's Brotli copy, sent as it is (workerd must not compress it again).
    const script = await stack.rawGet('/equos-avatar.js', { 'accept-encoding': 'br' });
    expect(script.status).toBe(200);
    expect(script.headers['content-encoding']).toBe('br');
    expect(script.headers['access-control-allow-origin']).toBe('*');
    expect(brotliDecompressSync(script.body).toString('utf8')).toBe(WIDGET);
    const plain = await stack.rawGet('/equos-avatar.js', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(WIDGET);
    const other = await stack.request('/not-the-widget.txt', { origin: null });
    expect(other.status).toBe(404);
    expect(other.json()).toMatchObject({ code: 'not-found' });
  });
});

describe('wrangler.example.toml', () => {
  const toml = readFileSync(new URL('../../src/workers/wrangler.example.toml', import.meta.url), 'utf8');
  /** The value of `key = …` in the table `[table]` (or at the top), as written. */
  const value = (table: string | null, key: string) => {
    const section = table === null ? toml.split(/^\[/m)[0]! : (toml.split(new RegExp(`^\\[+${table.replace('.', '\\.')}\\]+$`, 'm'))[1] ?? '').split(/^\[/m)[0]!;
    return new RegExp(`^${key} = (.+)$`, 'm').exec(section)?.[1];
  };

  it('deploys what these suites run: the production build, its ledger object, the cron trigger and the assets binding', () => {
    expect(value(null, 'main')).toBe('"dist/server/workers.mjs"');
    expect(value(null, 'no_bundle')).toBe('true');
    expect(value(null, 'compatibility_date')).toBe(`"${COMPATIBILITY_DATE}"`);
    expect(value(null, 'compatibility_flags')).toBe('["nodejs_compat"]');
    expect(value('durable_objects.bindings', 'name')).toBe('"LEDGER"');
    expect(value('durable_objects.bindings', 'class_name')).toBe('"LedgerDurableObject"');
    expect(value('migrations', 'new_sqlite_classes')).toBe('["LedgerDurableObject"]');
    expect(value('triggers', 'crons')).toBe(`["${CRON}"]`);
    expect(value('assets', 'binding')).toBe('"ASSETS"');
    expect(value('assets', 'run_worker_first')).toBe('true');
    // The build writes the file main names, and the module exports the class the migration names.
    expect(stack.bundle).toMatch(/export \{[^}]*\bLedgerDurableObject\b[^}]*\}/);
  });
});

describe('a misconfigured Worker', () => {
  let broken: WorkerStack;
  beforeAll(async () => {
    broken = await startWorkerStack({ variables: { REDIS_URL: 'redis://127.0.0.1:6379' } });
  }, 60_000);
  afterAll(async () => {
    await broken?.close();
    expect(broken?.secretLeaks()).toEqual([]);
  });

  it('answers a problem and logs the variable at fault; its cron event fails', async () => {
    const response = await broken.request('/api/presets');
    expect(response.status).toBe(503);
    expect(response.json()).toMatchObject({ code: 'not-ready', detail: expect.stringContaining('config.invalid') });
    await expect(broken.scheduled()).rejects.toThrow(/exception/);
    expect(broken.logs.some((line) => line.includes('config.invalid') && line.includes('REDIS_URL'))).toBe(true);
  });
});

describe('a Worker whose Equos endpoint redirects', () => {
  let redirecting: WorkerStack;
  let redirector: Server;
  const followed: string[] = [];
  beforeAll(async () => {
    // Answers every call with a redirect to itself, elsewhere; counts what follows one.
    redirector = createServer((request, response) => {
      if (request.url?.startsWith('/elsewhere')) followed.push(request.url);
      response.writeHead(307, { location: `/elsewhere${request.url ?? ''}` }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    redirecting = await startWorkerStack({ variables: { EQUOS_ENDPOINT: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}` } });
  }, 60_000);
  afterAll(async () => {
    await redirecting?.close();
    await new Promise((resolve) => redirector?.close(resolve));
  });

  it('does not follow it (the API key goes nowhere else): the create fails as Equos failing', async () => {
    const response = await redirecting.request('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(502);
    expect(response.json()).toMatchObject({ code: 'upstream-error' });
    expect(followed).toEqual([]);
    expect(redirecting.logs.some((line) => line.includes('upstream.failed') && line.includes('redirect'))).toBe(true);
  });
});
