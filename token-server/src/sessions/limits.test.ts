/**
 * The limits that protect a site's credits, over real HTTP: creation rate per visitor and per
 * site, open sessions per visitor, concurrent sessions, daily budget. Visitors are told apart
 * by X-Forwarded-For, which the server trusts here because it is configured to.
 */
import { describe, expect, it } from 'vitest';
import { startStack, stopInit, type Stack } from '../../test/harness.js';

const proxy = { header: 'x-forwarded-for', hops: 1 };

async function withStack(limits: Record<string, number>, run: (stack: Stack) => Promise<void>) {
  const stack = await startStack({ config: { limits: { ratePerMinute: 1000, siteRatePerMinute: 1000, perVisitor: 1000, concurrent: 1000, actionsPerMinute: 100_000, ...limits }, trustedProxy: proxy } });
  try {
    await run(stack);
  } finally {
    await stack.close();
    expect(stack.secretLeaks()).toEqual([]);
  }
}

const create = (stack: Stack, address: string, body: object = {}) =>
  stack.request('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify(body) });

describe('session limits', () => {
  it('limits how fast one visitor starts sessions, with Retry-After, without slowing others', async () => {
    await withStack({ ratePerMinute: 3 }, async (stack) => {
      const statuses = [];
      for (let index = 0; index < 4; index += 1) statuses.push((await create(stack, '198.51.100.7')).status);
      expect(statuses).toEqual([201, 201, 201, 429]);
      const refused = await create(stack, '198.51.100.7');
      expect(refused.json()).toMatchObject({ code: 'rate-limited', status: 429 });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect((await create(stack, '203.0.113.9')).status).toBe(201);
      expect(stack.equos.state.callsTo('create')).toHaveLength(4);
    });
  });

  it('counts one IPv6 /64 as one visitor, so hopping between its addresses dodges nothing', async () => {
    await withStack({ ratePerMinute: 2 }, async (stack) => {
      const statuses = [];
      for (const address of ['2001:db8:7:1::1', '2001:db8:7:1::2', '2001:db8:7:1:dead:beef:0:3']) statuses.push((await create(stack, address)).status);
      expect(statuses).toEqual([201, 201, 429]);
      // The neighbouring /64 is another household.
      expect((await create(stack, '2001:db8:7:2::1')).status).toBe(201);
    });
  });

  it('caps the open sessions of one visitor, and frees a place when one stops', async () => {
    await withStack({ perVisitor: 2 }, async (stack) => {
      const first = (await create(stack, '198.51.100.7')).json();
      expect((await create(stack, '198.51.100.7')).status).toBe(201);
      const third = await create(stack, '198.51.100.7');
      expect(third.json()).toMatchObject({ code: 'too-many-sessions', status: 429 });
      expect((await create(stack, '192.0.2.44')).status).toBe(201);
      await stack.request(`/api/sessions/${first.session_id}/stop`, stopInit(first.stop_token));
      expect((await create(stack, '198.51.100.7')).status).toBe(201);
    });
  });

  it('caps concurrent sessions for the whole site with a 503', async () => {
    await withStack({ concurrent: 3 }, async (stack) => {
      const statuses = [];
      for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']) statuses.push((await create(stack, address)).status);
      expect(statuses).toEqual([201, 201, 201, 503]);
      const refused = await create(stack, '10.0.0.5');
      expect(refused.json()).toMatchObject({ code: 'capacity-reached' });
      expect(refused.headers.get('retry-after')).toBeTruthy();
      expect(stack.equos.state.callsTo('create')).toHaveLength(3);
    });
  });

  it('admits no more than the caps allow when visitors arrive at once', async () => {
    await withStack({ concurrent: 5 }, async (stack) => {
      const responses = await Promise.all(Array.from({ length: 12 }, (_, index) => create(stack, `10.1.0.${index}`)));
      expect(responses.filter((response) => response.status === 201)).toHaveLength(5);
      expect(stack.equos.state.callsTo('create')).toHaveLength(5);
    });
  });

  it('stops starting sessions when the daily budget of minutes is used up, until midnight UTC', async () => {
    // The default preset lasts 300 s: 5 minutes reserved per session.
    await withStack({ dailyBudgetMinutes: 12 }, async (stack) => {
      const first = (await create(stack, '10.2.0.1')).json();
      expect((await create(stack, '10.2.0.2')).status).toBe(201);
      const refused = await create(stack, '10.2.0.3');
      expect(refused.json()).toMatchObject({ code: 'budget-exhausted', status: 503 });
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(86_400);
      // Stopping at once refunds what was not used.
      await stack.request(`/api/sessions/${first.session_id}/stop`, stopInit(first.stop_token));
      expect((await create(stack, '10.2.0.3')).status).toBe(201);
    });
  });

  it('believes the proxy header only when configured to', async () => {
    const stack = await startStack({ config: { limits: { ratePerMinute: 1, siteRatePerMinute: 1000, perVisitor: 1000, concurrent: 1000, actionsPerMinute: 100_000 } } });
    try {
      expect((await create(stack, '198.51.100.1')).status).toBe(201);
      // Another claimed address, same socket: still the same visitor.
      expect((await create(stack, '198.51.100.2')).status).toBe(429);
    } finally {
      await stack.close();
    }
  });
});

describe('the ledger and heartbeats', () => {
  it('records every session before the browser gets its token, and marks it stopped', async () => {
    await withStack({}, async (stack) => {
      const session = (await create(stack, '10.3.0.1', { preset: 'sales' })).json<{ session_id: string; stop_token: string }>();
      const record = await stack.store.get(session.session_id);
      expect(record).toMatchObject({ id: session.session_id, preset: 'sales', origin: 'https://shop.example', state: 'running', stopAttempts: 0 });
      expect(record!.deadline - record!.createdAt).toBe(120_000);
      expect(record!.visitorKey).not.toContain('10.3.0.1');
      await stack.request(`/api/sessions/${session.session_id}/stop`, stopInit(session.stop_token));
      expect(await stack.store.get(session.session_id)).toMatchObject({ state: 'stopped' });
    });
  });

  it('takes heartbeats with the stop token, and says 410 once the session has ended', async () => {
    await withStack({}, async (stack) => {
      const session = (await create(stack, '10.4.0.1')).json<{ session_id: string; stop_token: string }>();
      const beat = () => stack.request(`/api/sessions/${session.session_id}/heartbeat`, stopInit(session.stop_token, 'text/plain'));
      const before = (await stack.store.get(session.session_id))!.lastHeartbeat;
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await beat()).status).toBe(204);
      expect((await stack.store.get(session.session_id))!.lastHeartbeat).toBeGreaterThan(before);
      expect((await stack.request(`/api/sessions/${session.session_id}/heartbeat`, stopInit('v1.forged'))).status).toBe(403);
      await stack.request(`/api/sessions/${session.session_id}/stop`, stopInit(session.stop_token));
      const ended = await beat();
      expect(ended.status).toBe(410);
      expect(ended.json()).toMatchObject({ code: 'session-ended' });
    });
  });
});

describe('stops and heartbeats', () => {
  type Created = { session_id: string; stop_token: string };
  const beat = (stack: Stack, session: Created, address: string, token = session.stop_token) =>
    stack.request(`/api/sessions/${session.session_id}/heartbeat`, { ...stopInit(token, 'text/plain'), headers: { 'content-type': 'text/plain', 'x-forwarded-for': address } });

  it('are limited per session (four times what a widget sends, at least 30 a minute), with Retry-After', async () => {
    await withStack({}, async (stack) => {
      const flooded = (await create(stack, '10.5.0.1')).json<Created>();
      const quiet = (await create(stack, '10.5.0.1')).json<Created>();
      const statuses = [];
      for (let index = 0; index < 32; index += 1) statuses.push((await beat(stack, flooded, '10.5.0.1')).status);
      // 30 a minute, the harness's heartbeat being every 20 s.
      expect(statuses.filter((status) => status === 204)).toHaveLength(30);
      const refused = await beat(stack, flooded, '10.5.0.1');
      expect(refused.status).toBe(429);
      expect(refused.json()).toMatchObject({ code: 'rate-limited' });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await beat(stack, quiet, '10.5.0.1')).status).toBe(204);
    });
  });

  it('are limited per address, and forged tokens do not use up a session’s own allowance', async () => {
    await withStack({ actionsPerMinute: 40 }, async (stack) => {
      const session = (await create(stack, '10.6.0.1')).json<Created>();
      const forged = [];
      for (let index = 0; index < 35; index += 1) forged.push((await beat(stack, session, '198.51.100.66', 'v1.forged')).status);
      expect(new Set(forged)).toEqual(new Set([403]));
      // The session's own 30 are intact; the forger's address is cut off after 40.
      for (let index = 0; index < 5; index += 1) expect((await beat(stack, session, '198.51.100.66', 'v1.forged')).status).toBe(403);
      expect((await beat(stack, session, '198.51.100.66', 'v1.forged')).status).toBe(429);
      expect((await beat(stack, session, '10.6.0.1')).status).toBe(204);
    });
  });

  it('stop a flood of repeated stops before Equos: one stop call however many replays', async () => {
    await withStack({}, async (stack) => {
      const session = (await create(stack, '10.7.0.1')).json<Created>();
      const stops = [];
      for (let index = 0; index < 50; index += 1) {
        stops.push((await stack.request(`/api/sessions/${session.session_id}/stop`, { ...stopInit(session.stop_token), headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.7.0.1' } })).status);
      }
      expect(stops.slice(0, 30)).toEqual(Array(30).fill(200));
      expect(new Set(stops.slice(30))).toEqual(new Set([429]));
      expect(stack.equos.state.callsTo('stop', session.session_id)).toHaveLength(1);
    });
  });
});

describe('a session past its deadline and grace', () => {
  it("no longer counts against its visitor's open sessions, even while its stop is not confirmed", async () => {
    let offsetMs = 0;
    const stack = await startStack({
      config: { limits: { ratePerMinute: 1000, siteRatePerMinute: 1000, perVisitor: 1, concurrent: 1000, actionsPerMinute: 100_000 }, trustedProxy: proxy },
      deps: { now: () => Date.now() + offsetMs },
    });
    try {
      const first = (await create(stack, '10.8.0.1', { preset: 'sales' })).json<{ session_id: string }>();
      expect((await create(stack, '10.8.0.1')).status).toBe(429);
      // Equos fails every stop: the reaper keeps it as stopping, but the visitor may call again.
      stack.equos.faults.inject('stop', { kind: 'status', status: 503 }, { times: 100 });
      offsetMs = 120_000 + 30_000 + 1000;
      await stack.server.reapOnce();
      expect(await stack.store.get(first.session_id)).toMatchObject({ state: 'stopping' });
      expect((await create(stack, '10.8.0.1')).status).toBe(201);
    } finally {
      stack.equos.faults.clear();
      await stack.close();
    }
  });
});
