import { serve } from '@hono/node-server';
import { Hono, type MiddlewareHandler } from 'hono';
import { cors as honoCors } from 'hono/cors';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cors } from './index.js';

const ALLOWED = 'https://shop.example';
const OPTIONS = { allowMethods: ['GET', 'HEAD', 'POST'], allowHeaders: ['Content-Type'], exposeHeaders: ['X-Request-Id', 'Retry-After'], maxAge: 600 };
const pick = (origin: string) => (origin === ALLOWED ? origin : null);

/** The same routes behind one CORS middleware or the other, served over real HTTP. */
function appWith(middleware: MiddlewareHandler): Hono {
  const app = new Hono();
  app.use('/api/*', middleware);
  app.post('/api/json', (c) => c.json({ ok: true }, 201, { 'Cache-Control': 'no-store' }));
  app.get('/api/vary', (c) => c.text('varies', 200, { Vary: 'Accept-Encoding' }));
  app.post('/api/boom', () => {
    throw new Error('boom');
  });
  app.get('/api/fetched', async () => {
    // A Response with immutable headers, as fetch() returns.
    return Response.redirect('https://elsewhere.example/', 302);
  });
  app.onError((_, c) => c.json({ code: 'internal-error' }, 500));
  return app;
}

async function listen(app: Hono): Promise<{ url: string; server: Server }> {
  const server = await new Promise<Server>((resolve) => {
    const listening = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
    listening.once('listening', () => resolve(listening));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let ours: { url: string; server: Server };
let hono: { url: string; server: Server };
beforeAll(async () => {
  ours = await listen(appWith(cors({ ...OPTIONS, origin: pick })));
  hono = await listen(appWith(honoCors({ ...OPTIONS, origin: pick })));
});
afterAll(() => {
  ours.server.close();
  hono.server.close();
});

/** What a browser sees of an answer (the date aside). */
async function seen(base: string, path: string, init: RequestInit) {
  const response = await fetch(`${base}${path}`, { ...init, redirect: 'manual' });
  const headers = Object.fromEntries([...response.headers].filter(([name]) => !['date', 'keep-alive', 'connection'].includes(name)));
  return { status: response.status, headers, body: await response.text() };
}

describe('cors', () => {
  const cases: Array<[string, string, RequestInit]> = [
    ['an allowed POST', '/api/json', { method: 'POST', headers: { origin: ALLOWED } }],
    ['a POST from another origin', '/api/json', { method: 'POST', headers: { origin: 'https://evil.example' } }],
    ['a POST without an origin', '/api/json', { method: 'POST' }],
    ['an answer with its own Vary', '/api/vary', { headers: { origin: ALLOWED } }],
    ['a route that fails', '/api/boom', { method: 'POST', headers: { origin: ALLOWED } }],
    ['an answer with immutable headers', '/api/fetched', { headers: { origin: ALLOWED } }],
    ['an unknown route', '/api/nothing', { headers: { origin: ALLOWED } }],
    ['a preflight', '/api/json', { method: 'OPTIONS', headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } }],
    ['a refused preflight', '/api/json', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } }],
  ];
  it.each(cases)('answers %s over HTTP with the headers of Hono’s cors()', async (_, path, init) => {
    const mine = await seen(ours.url, path, init);
    expect(mine).toEqual(await seen(hono.url, path, init));
    if (init.headers && (init.headers as Record<string, string>).origin === ALLOWED) expect(mine.headers['access-control-allow-origin']).toBe(ALLOWED);
  });
});
