import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyLimit } from './index.js';

let server: Server;
let base: string;
beforeAll(async () => {
  const app = new Hono();
  app.use(bodyLimit({ maxSize: 16, onError: (c) => c.text('too large', 413) }));
  app.all('/', async (c) => c.text(`${c.req.method} ${await c.req.text()}`));
  server = await new Promise<Server>((resolve) => {
    const listening = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
    listening.once('listening', () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** A body sent in chunks, without a Content-Length. */
const streamed = (text: string) =>
  new ReadableStream({
    start(controller) {
      for (const part of text.match(/.{1,4}/g) ?? []) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });

describe('bodyLimit over HTTP', () => {
  it('passes bodies within the limit, declared or streamed, and requests without one', async () => {
    const declared = await fetch(base, { method: 'POST', body: '{"ok":true}' });
    expect([declared.status, await declared.text()]).toEqual([200, 'POST {"ok":true}']);
    const chunked = await fetch(base, { method: 'POST', body: streamed('0123456789abcdef'), duplex: 'half' } as RequestInit);
    expect([chunked.status, await chunked.text()]).toEqual([200, 'POST 0123456789abcdef']);
    expect(await (await fetch(base)).text()).toBe('GET ');
  });

  it('refuses bodies over it, declared (without reading them) or streamed', async () => {
    const declared = await fetch(base, { method: 'POST', body: 'x'.repeat(17) });
    expect([declared.status, await declared.text()]).toEqual([413, 'too large']);
    const chunked = await fetch(base, { method: 'POST', body: streamed('x'.repeat(40)), duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('refuses a maxSize that is not a size at boot', () => {
    expect(() => bodyLimit({ maxSize: Number.NaN, onError: (c) => c.text('', 413) })).toThrow(TypeError);
  });
});
