import { describe, expect, it } from 'vitest';
import { SITE_ORIGIN, useStack } from '../../test/harness.js';
import { readPublicPresets } from '../../../contract/token-server-api.js';
import { PROBLEMS } from '../problems.js';

const stack = useStack();

describe('GET /healthz', () => {
  it('answers ok without calling Equos', async () => {
    const response = await stack.request('/healthz', { origin: null });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(stack.equos.state.calls).toEqual([]);
  });
});

describe('GET /api/presets', () => {
  it('lists the public face of each preset and nothing that costs money', async () => {
    const response = await stack.request('/api/presets');
    expect(response.status).toBe(200);
    expect(response.json()).toEqual([
      { name: 'default', display_name: 'Jeremy' },
      { name: 'sales', display_name: 'Sofia', thumbnail_url: 'https://cdn.example/sofia.png' },
    ]);
    expect(response.text).not.toMatch(/avatar-|agent-|max_duration/);
    expect(readPublicPresets(response.json())).toEqual(response.json());
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN);
  });

  it('refuses other methods with 405 and Allow', async () => {
    const response = await stack.request('/api/presets', { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.json()).toMatchObject({ code: 'method-not-allowed' });
  });
});

describe('every response', () => {
  it('carries security headers that still let other sites load our script', async () => {
    const response = await stack.request('/healthz');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('carries a request id, keeping a well-formed inbound one and replacing a hostile one', async () => {
    const kept = await stack.request('/healthz', { headers: { 'x-request-id': 'trace-abc_123' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-abc_123');
    const replaced = await stack.request('/nope', { headers: { 'x-request-id': 'a b<script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.json().request_id).toBe(replaced.headers.get('x-request-id'));
  });

  it('is a 404 problem for unknown paths, and 405 with Allow for wrong methods', async () => {
    const missing = await stack.request('/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(missing.json()).toMatchObject({ code: 'not-found', status: 404, type: '/problems/not-found' });

    for (const [method, path] of [['GET', '/api/sessions'], ['DELETE', '/api/sessions'], ['GET', '/api/sessions/ses_1/stop']] as const) {
      const response = await stack.request(path, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });
});

describe('GET /problems/:code', () => {
  it('documents every problem type the API can answer with', async () => {
    for (const [code, problem] of Object.entries(PROBLEMS)) {
      const response = await stack.request(`/problems/${code}`);
      expect(response.status).toBe(200);
      expect(response.text).toContain(problem.title);
    }
    expect((await stack.request('/problems/toString')).status).toBe(404);
  });
});

describe('a DNS-rebinding page', () => {
  it("cannot start sessions: the server's own origin comes from PUBLIC_URL, never from Host", async () => {
    const { request } = await import('node:http');
    const port = new URL(stack.url).port;
    // evil.example resolves to this server: the browser sends a Host and an Origin that agree.
    const status = await new Promise<number>((resolve, reject) => {
      const call = request(`${stack.url}/api/sessions`, {
        method: 'POST',
        headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, 'content-type': 'application/json' },
      });
      call.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      call.on('error', reject);
      call.end('{}');
    });
    expect(status).toBe(403);
    expect(stack.equos.state.callsTo('create')).toHaveLength(0);
  });
});
