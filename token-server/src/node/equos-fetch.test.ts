import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../../sandbox/equos-api/server.js';
import { createEquosClient } from '../equos/client.js';
import { EquosApiError } from '../equos/errors.js';
import { createEquosFetch } from './equos-fetch.js';

const apiKey = 'sk_test_equos_fetch_0123456789';

/** A plain server with a few canned answers, counting the connections it sees. */
let server: Server;
let base: string;
const sockets = new Set<unknown>();
const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      sockets.add(request.socket);
      seen.push({ method: request.method!, url: request.url!, headers: request.headers, body });
      if (request.url === '/redirect') return response.writeHead(307, { location: 'https://elsewhere.example/' }).end();
      if (request.url === '/gzip') return response.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' }).end(gzipSync('{"zipped":true}'));
      if (request.url === '/slow') return void setTimeout(() => response.end('{}'), 5000);
      if (request.url === '/cut') {
        response.writeHead(200, { 'content-length': '100' });
        response.write('{"partial":');
        return void setTimeout(() => response.destroy(), 20);
      }
      if (request.url === '/missing') return response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"no such session"}');
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ echo: body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (body?: string) => ({ method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body }), redirect: 'error' as const });

describe('createEquosFetch', () => {
  it('sends the method, headers and body, and reads the answer, over one kept-alive connection', async () => {
    const equosFetch = createEquosFetch();
    sockets.clear();
    try {
      for (let index = 0; index < 5; index += 1) {
        const response = await equosFetch(`${base}/echo`, post(`{"n":${index}}`));
        expect(response.ok).toBe(true);
        expect(response.status).toBe(200);
        expect(JSON.parse(await response.text())).toEqual({ echo: `{"n":${index}}` });
      }
      const last = seen.at(-1)!;
      expect(last).toMatchObject({ method: 'POST', url: '/echo', body: '{"n":4}' });
      expect(last.headers).toMatchObject({ 'x-api-key': apiKey, 'content-type': 'application/json', 'content-length': '7', connection: 'keep-alive' });
      expect(sockets.size).toBe(1);
    } finally {
      equosFetch.close();
    }
  });

  it('answers an HTTP error as such, decodes a compressed answer, and never follows a redirect', async () => {
    const equosFetch = createEquosFetch();
    try {
      const missing = await equosFetch(`${base}/missing`, { ...post(), method: 'GET' });
      expect([missing.ok, missing.status, await missing.text()]).toEqual([false, 404, '{"message":"no such session"}']);
      expect(JSON.parse(await (await equosFetch(`${base}/gzip`, post())).text())).toEqual({ zipped: true });
      const redirected = await equosFetch(`${base}/redirect`, post('{}')).catch((error: unknown) => error);
      expect(redirected).toBeInstanceOf(TypeError);
      expect(seen.filter((request) => request.url === '/redirect')).toHaveLength(1);
    } finally {
      equosFetch.close();
    }
  });

  it('rejects with the reason when the signal aborts, and with a TypeError when the answer is cut off or nobody listens', async () => {
    const equosFetch = createEquosFetch();
    try {
      const deadline = new AbortController();
      const pending = equosFetch(`${base}/slow`, { ...post('{}'), signal: deadline.signal });
      setTimeout(() => deadline.abort(new Error('deadline')), 50);
      await expect(pending).rejects.toThrow('deadline');
      await expect(equosFetch(`${base}/echo`, { ...post('{}'), signal: AbortSignal.abort(new Error('already')) })).rejects.toThrow('already');
      await expect(equosFetch(`${base}/cut`, post('{}'))).rejects.toBeInstanceOf(TypeError);
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      await expect(equosFetch(`http://127.0.0.1:${port}/`, post('{}'))).rejects.toBeInstanceOf(TypeError);
    } finally {
      equosFetch.close();
    }
  });
});

describe('our Equos client on createEquosFetch', () => {
  let equos: RunningEquosApiDouble;
  beforeAll(async () => {
    equos = await startEquosApiDouble({ apiKey });
  });
  afterAll(() => equos.close());

  it('creates, reads and stops a session at the Equos double, and maps failures to EquosApiError', async () => {
    const equosFetch = createEquosFetch();
    try {
      const client = createEquosClient({ apiKey, endpoint: equos.url, fetch: equosFetch });
      const created = await client.sessions.create({ name: 'Test', client: 'test', avatar: { id: 'sandbox-avatar' }, consumerIdentity: { identity: 'visitor-1', name: 'Ada' } } as never);
      expect(created.session.id).toMatch(/^ses_/);
      expect((await client.sessions.get(created.session.id)).id).toBe(created.session.id);
      expect((await client.sessions.stop(created.session.id)).endedAt).not.toBeNull();
      const unknown = await client.sessions.get('ses_nope').catch((error: unknown) => error);
      expect(unknown).toBeInstanceOf(EquosApiError);
      expect(unknown).toMatchObject({ kind: 'http', status: 404 });
      const wrongKey = createEquosClient({ apiKey: 'sk_wrong_0123456789abcdef', endpoint: equos.url, fetch: equosFetch });
      await expect(wrongKey.sessions.get(created.session.id)).rejects.toMatchObject({ kind: 'http', status: 401 });
    } finally {
      equosFetch.close();
    }
  });
});
