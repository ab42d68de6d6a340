import { decode } from 'hono/jwt';
import { TokenSource } from 'livekit-client';
import { beforeEach, describe, expect, it } from 'vitest';
import { SESSION_SECRET, SITE_ORIGIN, TEST_API_KEY, startStack, useStack, stopInit, type Stack } from '../../../test/harness.js';
import { readCreatedSession } from '../../../../contract/token-server-api.js';
import { createStopTokens } from '../../sessions/stop-tokens.js';

const stack = useStack();
const sweepRequests = () => stack.logs.filter((line) => line.includes('"event":"orphans.sweep.requested"')).length;
let sweepRequestsBefore = 0;
/** How often a create asked for an early orphan sweep since the test began. */
const possibleOrphans = () => sweepRequests() - sweepRequestsBefore;
beforeEach(() => {
  stack.equos.faults.clear();
  stack.equos.state.calls.length = 0;
  sweepRequestsBefore = sweepRequests();
});

const postJson = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

function expectProblem(response: Awaited<ReturnType<Stack['request']>>, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = response.json();
  expect(body).toMatchObject({ status, code, type: `/problems/${code}` });
  expect(typeof body.title).toBe('string');
  expect(typeof body.request_id).toBe('string');
}

describe('POST /api/sessions', () => {
  it('creates a session from the default preset and answers in LiveKit token-endpoint format', async () => {
    const response = await stack.request('/api/sessions', postJson({ participant_name: 'Ada' }));

    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(
      ['avatar_identity', 'avatar_name', 'heartbeat_interval_s', 'max_duration_s', 'participant_token', 'server_url', 'session_id', 'started_at', 'stop_token'].sort(),
    );
    const session = stack.equos.state.sessions.get(body.session_id as string)!.session;
    expect(body).toMatchObject({
      server_url: session.host.serverUrl,
      avatar_identity: session.avatar.identity,
      avatar_name: 'Jeremy',
      max_duration_s: 300,
      started_at: session.startedAt,
    });
    // What the widget reads (the one wire contract) is what the server sends.
    expect(readCreatedSession(body)).toEqual(body);
    expect(stack.equos.state.callsTo('create')).toHaveLength(1);
  });

  it('sends Equos the preset, a server-made identity and the clean name, tagged with the deployment', async () => {
    const body = await stack.createSession({ participant_name: '  Ada\u0000 \u202eLovelace\n ' });
    const session = stack.equos.state.sessions.get(body.session_id as string)!.session;
    expect(session).toMatchObject({ avatarId: 'avatar-1', agentId: 'agent-1', maxDuration: 300, client: (await stack.server.ready()).clientTag });
    expect(session.client).toMatch(/^test-deployment:/);

    const { payload } = decode(body.participant_token as string);
    expect(payload.sub).toMatch(/^visitor-[\w-]{22}$/);
    expect(payload.name).toBe('Ada Lovelace');
    expect((payload.video as { room: string }).room).toBe(body.session_id);
  });

  it('gives every visitor a different identity, and "Visitor" when no usable name is sent', async () => {
    const first = decode((await stack.createSession({})).participant_token as string).payload;
    const second = decode((await stack.createSession({ participant_name: '\u0007\u200f ' })).participant_token as string).payload;
    expect(first.sub).not.toBe(second.sub);
    expect([first.name, second.name]).toEqual(['Visitor', 'Visitor']);
  });

  it('caps long display names without cutting an emoji in half', async () => {
    const name = `${'a'.repeat(63)}👩‍🚀tail`;
    const body = await stack.createSession({ participant_name: name });
    expect(decode(body.participant_token as string).payload.name).toBe(`${'a'.repeat(63)}👩‍🚀`);
  });

  it('selects a preset by `preset` or by LiveKit room_config.agents[0].agent_name', async () => {
    const byPreset = await stack.createSession({ preset: 'sales' });
    const byAgentName = await stack.createSession({ room_config: { agents: [{ agent_name: 'Sales' }] } });
    for (const body of [byPreset, byAgentName]) {
      expect(body).toMatchObject({ max_duration_s: 120, avatar_thumbnail_url: 'https://cdn.example/sofia.png' });
      expect(stack.equos.state.sessions.get(body.session_id as string)!.session).toMatchObject({ avatarId: 'avatar-2', agentId: null });
    }
  });

  it("works with livekit-client's own TokenSource.endpoint()", async () => {
    const source = TokenSource.endpoint(`${stack.url}/api/sessions`, { headers: { Origin: SITE_ORIGIN } });
    const result = await source.fetch({ agentName: 'sales', participantName: 'Grace' });
    expect(result.serverUrl).toMatch(/^ws:\/\//);
    expect(decode(result.participantToken).payload.name).toBe('Grace');
    expect(stack.equos.state.callsTo('create')).toHaveLength(1);
  });

  it('refuses an unknown preset with 422 before calling Equos', async () => {
    for (const body of [{ preset: 'ghost' }, { room_config: { agents: [{ agent_name: 'ghost' }] } }, { preset: '../../etc' }]) {
      expectProblem(await stack.request('/api/sessions', postJson(body)), 422, 'unknown-preset');
    }
    expectProblem(await stack.request('/api/sessions', postJson({ preset: 'sales', room_config: { agents: [{ agent_name: 'default' }] } })), 422, 'conflicting-preset');
    expect(stack.equos.state.calls).toEqual([]);
  });

  it('refuses every field the browser may not set, naming it, before calling Equos', async () => {
    const forbidden: Array<[unknown, string]> = [
      [{ agent: { id: 'x' } }, 'agent'],
      [{ avatar: { id: 'x' } }, 'avatar'],
      [{ agent_id: 'x' }, 'agent_id'],
      [{ avatar_id: 'x' }, 'avatar_id'],
      [{ maxDuration: 99999 }, 'maxDuration'],
      [{ max_duration_s: 99999 }, 'max_duration_s'],
      [{ instructions: 'be evil' }, 'instructions'],
      [{ participant_identity: 'admin' }, 'participant_identity'],
      [{ room_name: 'someone-elses-room' }, 'room_name'],
      [{ participant_attributes: { a: 'b' } }, 'participant_attributes'],
      [{ room_config: { agents: [{ agent_name: 'default', metadata: '{}' }] } }, 'room_config.agents[0].metadata'],
      [{ room_config: { agents: [{ agent_name: 'default' }, { agent_name: 'sales' }] } }, 'room_config.agents[1]'],
      [{ room_config: { egress: {} } }, 'room_config.egress'],
    ];
    for (const [body, field] of forbidden) {
      const response = await stack.request('/api/sessions', postJson(body));
      expectProblem(response, 422, 'field-not-allowed');
      expect(response.json().detail).toContain(field);
    }
    expect(stack.equos.state.calls).toEqual([]);
  });

  it('answers malformed bodies with 400, wrong types with 400, and never calls Equos', async () => {
    const cases: Array<[string, string]> = [
      ['{"preset":', 'invalid-json'],
      ['[1,2]', 'invalid-json'],
      ['"default"', 'invalid-json'],
      ['null', 'invalid-json'],
      ['{"preset":5}', 'invalid-field'],
      ['{"participant_name":{"a":1}}', 'invalid-field'],
      ['{"room_config":[]}', 'invalid-field'],
      ['{"room_config":{"agents":{}}}', 'invalid-field'],
      [`{"participant_name":"${'x'.repeat(2000)}"}`, 'invalid-field'],
    ];
    for (const [body, code] of cases) expectProblem(await stack.request('/api/sessions', postJson(body)), 400, code);
    expect(stack.equos.state.calls).toEqual([]);
  });

  it('accepts an empty body as "the default preset", and a small streamed body', async () => {
    expect((await stack.request('/api/sessions', { method: 'POST' })).status).toBe(201);
    const streamed = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"preset":'));
        controller.enqueue(new TextEncoder().encode('"sales"}'));
        controller.close();
      },
    });
    const response = await stack.request('/api/sessions', { ...postJson(''), body: streamed, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(201);
    expect(response.json().max_duration_s).toBe(120);
  });

  it('refuses other content types with 415', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
      const response = await stack.request('/api/sessions', { method: 'POST', headers: { 'content-type': contentType }, body: 'preset=default' });
      expectProblem(response, 415, 'unsupported-media-type');
    }
    expect(stack.equos.state.calls).toEqual([]);
  });

  it('refuses bodies over the limit with 413, declared or streamed', async () => {
    const big = JSON.stringify({ participant_name: 'x'.repeat(5000) });
    const declared = await stack.request('/api/sessions', postJson(big));
    expectProblem(declared, 413, 'payload-too-large');
    // The unread rest of the body makes the connection unusable for a next request: it is closed.
    expect(declared.headers.get('connection')).toBe('close');
    const streamed = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(1000)));
        controller.close();
      },
    });
    const response = await stack.request('/api/sessions', { ...postJson(''), body: streamed, duplex: 'half' } as RequestInit);
    expectProblem(response, 413, 'payload-too-large');
    expect(stack.equos.state.calls).toEqual([]);
  });
});

describe('origins', () => {
  it('refuses a disallowed origin with 403 before Equos is called; the refusal is readable, its preflight fails', async () => {
    const create = await stack.request('/api/sessions', { ...postJson({}), origin: 'https://evil.example' });
    expectProblem(create, 403, 'origin-not-allowed');
    // The refused page may read why (so the widget can tell its site owner), never with credentials.
    expect(create.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    expect(create.headers.get('access-control-allow-credentials')).toBeNull();
    // A browser's preflight for the widget's JSON POST gets a non-2xx answer: the POST is never sent.
    const preflight = await stack.request('/api/sessions', {
      method: 'OPTIONS',
      origin: 'https://evil.example',
      headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(403);
    expect(stack.equos.state.calls).toEqual([]);

    const { session_id, stop_token } = await stack.createSession();
    stack.equos.state.calls.length = 0;
    const stop = await stack.request(`/api/sessions/${session_id}/stop`, { ...stopInit(stop_token), origin: 'https://evil.example' });
    expectProblem(stop, 403, 'origin-not-allowed');
    expect(stack.equos.state.calls).toEqual([]);
  });

  it('refuses look-alike origins', async () => {
    for (const origin of ['https://shop.example.evil.example', 'http://shop.example', 'https://shop.example:8443', 'null', 'https://SHOP.example/']) {
      expectProblem(await stack.request('/api/sessions', { ...postJson({}), origin }), 403, 'origin-not-allowed');
    }
    expect(stack.equos.state.calls).toEqual([]);
  });

  it('refuses a POST without Origin, but serves presets to a same-origin GET', async () => {
    expectProblem(await stack.request('/api/sessions', { ...postJson({}), origin: null }), 403, 'origin-required');
    expect((await stack.request('/api/presets', { origin: null })).status).toBe(200);
    expect(stack.equos.state.calls).toEqual([]);
  });

  it('answers an allowed preflight with 204 and the CORS grant, and a disallowed one with 403', async () => {
    const preflight = (origin: string) =>
      stack.request('/api/sessions', {
        method: 'OPTIONS',
        origin,
        headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight(SITE_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    expect(allowed.headers.get('access-control-max-age')).toBe('600');
    expectProblem(await preflight('https://evil.example'), 403, 'origin-not-allowed');
  });

  it('lets an allowed origin read error bodies (CORS headers on problems too)', async () => {
    const response = await stack.request('/api/sessions', postJson({ preset: 'ghost' }));
    expect(response.status).toBe(422);
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN);
    expect(response.headers.get('vary')).toContain('Origin');
  });
});

describe('POST /api/sessions/:id/stop', () => {
  it('stops the session: Equos sees exactly one create and one stop', async () => {
    const { session_id, stop_token } = await stack.createSession();
    const response = await stack.request(`/api/sessions/${session_id}/stop`, stopInit(stop_token));

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const entry = stack.equos.state.sessions.get(session_id as string)!;
    expect(response.json()).toEqual({ session_id, status: 'stopped', ended_at: entry.session.endedAt });
    expect(entry.endedBy).toBe('stop');
    expect(stack.equos.state.callsTo('create')).toHaveLength(1);
    expect(stack.equos.state.callsTo('stop')).toHaveLength(1);
  });

  it('is idempotent: a second stop succeeds and the session ended once', async () => {
    const { session_id, stop_token } = await stack.createSession();
    const first = await stack.request(`/api/sessions/${session_id}/stop`, stopInit(stop_token));
    const second = await stack.request(`/api/sessions/${session_id}/stop`, stopInit(stop_token));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.json().ended_at).toBe(first.json().ended_at);
  });

  it('accepts a beacon: text/plain with the bare token, text/plain JSON, or no content type', async () => {
    const bodies: Array<(token: string) => RequestInit> = [
      (token) => stopInit(token, 'text/plain;charset=UTF-8'),
      (token) => ({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ stop_token: token }) }),
      (token) => ({ method: 'POST', body: new Blob([token]) }),
    ];
    for (const init of bodies) {
      const { session_id, stop_token } = await stack.createSession();
      const response = await stack.request(`/api/sessions/${session_id}/stop`, init(stop_token as string));
      expect(response.status).toBe(200);
      expect(stack.equos.state.sessions.get(session_id as string)!.session.endedAt).toBeTruthy();
    }
  });

  it("refuses a missing, forged or other session's token with 403 and leaves the session running", async () => {
    const victim = await stack.createSession();
    const attacker = await stack.createSession();
    stack.equos.state.calls.length = 0;
    const path = `/api/sessions/${victim.session_id}/stop`;
    const forged = `v1.${'A'.repeat(43)}`;
    const attempts: RequestInit[] = [
      { method: 'POST' },
      stopInit(undefined),
      stopInit(forged),
      stopInit(attacker.stop_token),
      stopInit(`${victim.stop_token}x`),
      stopInit((victim.stop_token as string).slice(0, -1)),
      stopInit(attacker.stop_token, 'text/plain'),
    ];
    for (const init of attempts) expectProblem(await stack.request(path, init), 403, 'invalid-stop-token');
    expect(stack.equos.state.calls).toEqual([]);
    expect(stack.equos.state.sessions.get(victim.session_id as string)!.session.endedAt).toBeNull();
  });

  it('answers malformed stop bodies with 4xx problems', async () => {
    const { session_id } = await stack.createSession();
    const path = `/api/sessions/${session_id}/stop`;
    expectProblem(await stack.request(path, postJson('{"stop_token":')), 400, 'invalid-json');
    expectProblem(await stack.request(path, postJson({ stop_token: 42 })), 400, 'invalid-field');
    expectProblem(await stack.request(path, postJson([1])), 400, 'invalid-json');
    expectProblem(await stack.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'stop_token=x' }), 415, 'unsupported-media-type');
    expectProblem(await stack.request(`/api/sessions/${'x'.repeat(200)}/stop`, stopInit('v1.x')), 404, 'session-not-found');
    expectProblem(await stack.request('/api/sessions/a%20b/stop', stopInit('v1.x')), 404, 'session-not-found');
  });

  it('answers 404 when Equos does not know a correctly signed session id', async () => {
    const token = await createStopTokens(SESSION_SECRET).sign('ses_unknown');
    expectProblem(await stack.request('/api/sessions/ses_unknown/stop', stopInit(token)), 404, 'session-not-found');
  });
});

describe('when Equos fails', () => {
  it('maps a create 5xx to 502 without forwarding what Equos said', async () => {
    stack.equos.faults.inject('create', { kind: 'status', status: 500, message: 'db down at 10.0.0.7' });
    const response = await stack.request('/api/sessions', postJson({}));
    expectProblem(response, 502, 'upstream-error');
    expect(response.text).not.toContain('10.0.0.7');
    expect(stack.logs.some((line) => line.includes('upstream.failed') && line.includes('10.0.0.7'))).toBe(true);
  });

  it('keeps the API key out of logs and bodies even when Equos echoes it back', async () => {
    stack.equos.faults.inject('create', { kind: 'status', status: 401, message: `key ${TEST_API_KEY} is not valid` });
    const response = await stack.request('/api/sessions', postJson({}));
    expectProblem(response, 502, 'upstream-error');
    expect(stack.logs.some((line) => line.includes('upstream.failed') && line.includes('key [redacted] is not valid'))).toBe(true);
  });

  it('never retries a create (a retry could start a second billed session)', async () => {
    stack.equos.faults.inject('create', { kind: 'status', status: 503 });
    expectProblem(await stack.request('/api/sessions', postJson({})), 502, 'upstream-error');
    expect(stack.equos.state.callsTo('create')).toHaveLength(1);
  });

  it('maps a slow create to 504 and a dropped connection to 502', async () => {
    stack.equos.faults.inject('create', { kind: 'delay', ms: 2500 });
    expectProblem(await stack.request('/api/sessions', postJson({})), 504, 'upstream-timeout');
    stack.equos.faults.inject('create', { kind: 'drop' });
    expectProblem(await stack.request('/api/sessions', postJson({})), 502, 'upstream-error');
  });

  it('asks for an early orphan sweep when a failed create may have started a session, and only then', async () => {
    const startedAt = Date.now();
    stack.equos.faults.inject('create', { kind: 'status', status: 400 });
    expect((await stack.request('/api/sessions', postJson({}))).status).toBe(502);
    expect(possibleOrphans(), 'a refusal starts nothing').toBe(0);
    stack.equos.faults.inject('create', { kind: 'status', status: 503 });
    expect((await stack.request('/api/sessions', postJson({}))).status).toBe(502);
    expect(possibleOrphans(), 'a 5xx may come from a gateway in front of a create that went through').toBe(1);
    stack.equos.faults.inject('create', { kind: 'delay', ms: 2500 });
    expect((await stack.request('/api/sessions', postJson({}))).status).toBe(504);
    expect(possibleOrphans(), 'a timeout').toBe(2);
    stack.equos.faults.inject('create', { kind: 'drop' });
    expect((await stack.request('/api/sessions', postJson({}))).status).toBe(502);
    expect(possibleOrphans(), 'a dropped connection').toBe(3);
    // An unusable answer with an id: the route stops that session itself.
    stack.equos.faults.inject('create', { kind: 'incomplete' });
    expect((await stack.request('/api/sessions', postJson({}))).status).toBe(502);
    expect(possibleOrphans()).toBe(3);
    await stack.createSession();
    expect(possibleOrphans()).toBe(3);
    // Each of the three left its admission in the ledger, for the reaper to follow up.
    const traces = (await stack.store.listDue(Date.now() + 10_000_000, ['pending', 'unresolved'], 100)).filter((trace) => trace.createdAt >= startedAt);
    expect(traces.map((trace) => trace.state)).toEqual(['unresolved', 'unresolved', 'unresolved']);
  });

  it('lets a visitor whose create timed out try again at once (an unresolved create is not an open session)', async () => {
    const limited = await startStack({ config: { limits: { ratePerMinute: 100, siteRatePerMinute: 100, perVisitor: 1, concurrent: 100, actionsPerMinute: 100_000 } } });
    try {
      limited.equos.faults.inject('create', { kind: 'delay', ms: 2500 });
      expect((await limited.request('/api/sessions', postJson({}))).status).toBe(504);
      expect((await limited.request('/api/sessions', postJson({}))).status).toBe(201);
    } finally {
      await limited.close();
    }
  });

  it('stops a session whose create answer is unusable, and answers 502', async () => {
    stack.equos.faults.inject('create', { kind: 'incomplete' });
    expectProblem(await stack.request('/api/sessions', postJson({})), 502, 'upstream-error');
    const [created] = stack.equos.state.callsTo('create');
    expect(created).toBeDefined();
    const running = stack.equos.state.running().filter((entry) => entry.session.startedAt >= new Date(created!.at).toISOString());
    expect(running).toEqual([]);
    expect(stack.equos.state.callsTo('stop')).toHaveLength(1);
  });

  it('retries a stop that meets 5xx, timeouts and dropped connections, then succeeds', async () => {
    const { session_id, stop_token } = await stack.createSession();
    stack.equos.faults.inject('stop', { kind: 'status', status: 503 });
    stack.equos.faults.inject('stop', { kind: 'delay', ms: 1200 });
    stack.equos.faults.inject('stop', { kind: 'drop' });
    const response = await stack.request(`/api/sessions/${session_id}/stop`, stopInit(stop_token));
    expect(response.status).toBe(200);
    expect(stack.equos.state.callsTo('stop', session_id as string)).toHaveLength(4);
    expect(stack.equos.state.sessions.get(session_id as string)!.session.endedAt).toBeTruthy();
  });

  it('answers 202 and leaves the session to the reaper once the stop retries are spent', async () => {
    const first = await stack.createSession();
    stack.equos.faults.inject('stop', { kind: 'status', status: 502 }, { times: 4 });
    const response = await stack.request(`/api/sessions/${first.session_id}/stop`, stopInit(first.stop_token));
    expect(response.status).toBe(202);
    expect(response.json()).toEqual({ session_id: first.session_id, status: 'stopping' });
    expect(stack.equos.state.callsTo('stop', first.session_id as string)).toHaveLength(4);
    expect(await stack.store.get(first.session_id as string)).toMatchObject({ state: 'stopping', stopAttempts: 1 });
  });

  it('answers 502/504 for a session the ledger does not know when Equos fails or stalls', async () => {
    const tokens = createStopTokens(SESSION_SECRET);
    stack.equos.faults.inject('stop', { kind: 'status', status: 502 }, { times: 4 });
    expectProblem(await stack.request('/api/sessions/ses_x1/stop', stopInit(await tokens.sign('ses_x1'))), 502, 'upstream-error');
    stack.equos.faults.inject('stop', { kind: 'delay', ms: 1200 }, { times: 4 });
    expectProblem(await stack.request('/api/sessions/ses_x2/stop', stopInit(await tokens.sign('ses_x2'))), 504, 'upstream-timeout');
  });

  it('does not retry a stop Equos refused as a client error (the reaper will)', async () => {
    const { session_id, stop_token } = await stack.createSession();
    stack.equos.faults.inject('stop', { kind: 'status', status: 400 });
    expect((await stack.request(`/api/sessions/${session_id}/stop`, stopInit(stop_token))).status).toBe(202);
    expect(stack.equos.state.callsTo('stop', session_id as string)).toHaveLength(1);
  });

  it('stops a session whose browser hung up while Equos was still creating it', async () => {
    stack.equos.faults.inject('create', { kind: 'delay', ms: 400 });
    const controller = new AbortController();
    const pending = stack.request('/api/sessions', { ...postJson({}), signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toThrow();
    await expect.poll(() => stack.equos.state.callsTo('stop').length, { timeout: 3000 }).toBe(1);
    const [stop] = stack.equos.state.callsTo('stop');
    expect(stack.equos.state.sessions.get(stop!.sessionId!)!.endedBy).toBe('stop');
    expect(stack.logs.some((line) => line.includes('session.create.abandoned'))).toBe(true);
  });
});
