/**
 * `createTokenServer` accepts an `@equos/node-sdk` instance in place of our client. The SDK
 * is not installable here, so this is a stand-in with its documented shape and habits:
 * `client.sessions.create/stop/get`, no abort signal, `EquosError(message, code)` on failure.
 */
import { describe, expect, it } from 'vitest';
import { TEST_API_KEY, stopInit, useStack } from '../../test/harness.js';
import type { EquosClientLike } from './sdk.js';

class EquosError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

function sdkLikeClient(apiKey: string, endpoint: () => string): EquosClientLike & { calls: string[] } {
  const calls: string[] = [];
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    calls.push(`${method} ${path}`);
    const response = await fetch(`${endpoint()}/v1${path}`, {
      method,
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const json = (await response.json()) as T & { message?: string; code?: string };
    if (!response.ok) throw new EquosError(json.message ?? 'error', json.code);
    return json;
  }
  return {
    calls,
    sessions: {
      create: (request) => call('POST', '/sessions', request),
      stop: (id) => call('PATCH', `/sessions/${id}/stop`, {}),
      get: (id) => call('GET', `/sessions/${id}`),
    },
  };
}

const sdk = sdkLikeClient(TEST_API_KEY, () => stack.equos.url);
const stack = useStack({ config: { equos: null }, deps: { equos: sdk } });

describe('an injected SDK client', () => {
  it('is used for create and stop', async () => {
    const { session_id, stop_token } = await stack.createSession({ preset: 'sales' });
    const stop = await stack.request(`/api/sessions/${session_id}/stop`, stopInit(stop_token));
    expect(stop.status).toBe(200);
    expect(sdk.calls).toEqual(['POST /sessions', `PATCH /sessions/${session_id}/stop`]);
    expect(stack.equos.state.sessions.get(session_id as string)!.endedBy).toBe('stop');
  });

  it("has its errors mapped to problems, and its stop retried like ours", async () => {
    stack.equos.faults.inject('create', { kind: 'status', status: 500, message: 'boom' });
    const failed = await stack.request('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(failed.status).toBe(502);
    expect(failed.json()).toMatchObject({ code: 'upstream-error' });

    const { session_id, stop_token } = await stack.createSession();
    stack.equos.faults.inject('stop', { kind: 'delay', ms: 1200 });
    const stop = await stack.request(`/api/sessions/${session_id}/stop`, stopInit(stop_token));
    expect(stop.status).toBe(200);
    expect(stack.equos.state.callsTo('stop', session_id as string)).toHaveLength(2);
  });
});
