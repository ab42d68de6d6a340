import { verify } from 'hono/jwt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from './server.js';

const apiKey = 'sk_double_test_key';
const livekit = { url: 'ws://127.0.0.1:7999', apiKey: 'lk', apiSecret: 'lk-secret-0123456789abcdef0123456789' };
let equos: RunningEquosApiDouble;
beforeAll(async () => {
  equos = await startEquosApiDouble({ apiKey, livekit });
});
afterAll(() => equos.close());
beforeEach(() => equos.faults.clear());

const call = (method: string, path: string, body?: unknown, key = apiKey) =>
  fetch(`${equos.url}${path}`, {
    method,
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** Response shapes are asserted, not typed, in these tests. */
type Json = any;
const json = async (response: Response | Promise<Response>): Promise<Json> => (await response).json();

const createBody = { name: 'n', client: 'c1', avatar: { id: 'sandbox-avatar' }, consumerIdentity: { identity: 'visitor-1', name: 'Ada' } };

describe('Equos API double', () => {
  it('refuses a wrong API key like Equos', async () => {
    const response = await call('POST', '/v1/sessions', createBody, 'wrong');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: 'Invalid API key' });
  });

  it('creates a session with a LiveKit token the LiveKit server can verify', async () => {
    const response = await call('POST', '/v1/sessions', createBody);
    expect(response.status).toBe(201);
    const { session, consumerAccessToken } = await json(response);
    expect(session).toMatchObject({ status: 'starting', host: { serverUrl: livekit.url }, avatar: { identity: 'sandbox-avatar', name: 'Ava' }, endedAt: null });
    const claims = await verify(consumerAccessToken, livekit.apiSecret, 'HS256');
    expect(claims).toMatchObject({ iss: 'lk', sub: 'visitor-1', name: 'Ada', video: { room: session.id, roomJoin: true, canPublish: true } });
  });

  it('validates the create body', async () => {
    for (const body of [{}, { name: 'n' }, { ...createBody, maxDuration: -1 }, { ...createBody, consumerIdentity: { identity: 1 } }]) {
      expect((await call('POST', '/v1/sessions', body)).status).toBe(400);
    }
  });

  it('stops idempotently, counting every stop call, and ends a session after maxDuration', async () => {
    const { session } = await json(call('POST', '/v1/sessions', { ...createBody, maxDuration: 1 }));
    const stopped = await json(call('PATCH', `/v1/sessions/${session.id}/stop`, {}));
    const again = await json(call('PATCH', `/v1/sessions/${session.id}/stop`, {}));
    expect(again.endedAt).toBe(stopped.endedAt);
    expect(equos.state.sessions.get(session.id)).toMatchObject({ stopCalls: 2, endedBy: 'stop' });

    const timed = (await json(call('POST', '/v1/sessions', { ...createBody, maxDuration: 1 }))).session;
    await expect.poll(() => equos.state.sessions.get(timed.id)!.endedBy, { timeout: 2500 }).toBe('max-duration');
    expect((await call('PATCH', '/v1/sessions/ses_nope/stop', {})).status).toBe(404);
  });

  it("tells its listeners each session's start and maximum duration, whichever API generation started it", async () => {
    // The sandbox gives these to the demo avatar, which warns (expire_soon) before the end.
    const started: Array<{ id: string; startedAt: string; maxDuration: number | null | undefined }> = [];
    const unsubscribe = equos.state.subscribe({ started: ({ id, startedAt, maxDuration }) => started.push({ id, startedAt, maxDuration }) });
    try {
      const v1 = (await json(call('POST', '/v1/sessions', { ...createBody, maxDuration: 600 }))).session;
      const v3 = (await json(call('POST', '/v3/conversations', { name: 'n', characterId: 'sandbox-character', maxSeconds: 120 }))).conversation;
      equos.faults.inject('create', { kind: 'duration', seconds: 5 });
      const shortened = (await json(call('POST', '/v3/conversations', { name: 'n', characterId: 'sandbox-character', maxSeconds: 120 }))).conversation;
      const open = (await json(call('POST', '/v3/conversations', { name: 'n', characterId: 'sandbox-character' }))).conversation;
      expect(started).toEqual([
        { id: v1.id, startedAt: v1.startedAt, maxDuration: 600 },
        { id: v3.id, startedAt: v3.startedAt, maxDuration: 120 },
        { id: shortened.id, startedAt: shortened.startedAt, maxDuration: 5 },
        { id: open.id, startedAt: open.startedAt, maxDuration: null },
      ]);
      expect([v3.maxSeconds, shortened.maxSeconds]).toEqual([120, 5]);
    } finally {
      unsubscribe();
      for (const id of started.map((entry) => entry.id)) equos.state.end(id, 'stop');
    }
  });

  it('lists sessions by client, newest first', async () => {
    const { session } = await json(call('POST', '/v1/sessions', { ...createBody, client: 'only-me' }));
    const listed = await json(call('GET', '/v1/sessions?client=only-me&take=5'));
    expect(listed).toMatchObject({ skip: 0, take: 5, total: 1 });
    expect(listed.sessions[0].id).toBe(session.id);
  });

  it('applies injected faults in order, also through its HTTP control route', async () => {
    const control = await fetch(`${equos.url}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ route: 'get', fault: { kind: 'status', status: 503 }, times: 2 }),
    });
    expect(control.status).toBe(201);
    expect((await call('GET', '/v1/sessions/x')).status).toBe(503);
    expect((await call('GET', '/v1/sessions/x')).status).toBe(503);
    expect((await call('GET', '/v1/sessions/x')).status).toBe(404);

    equos.faults.inject('get', { kind: 'drop' });
    await expect(call('GET', '/v1/sessions/x')).rejects.toThrow();
    const bad = await fetch(`${equos.url}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ route: 'get', fault: { kind: 'explode' } }) });
    expect(bad.status).toBe(400);
  });
});
