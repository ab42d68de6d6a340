/**
 * What Equos answers is checked, not trusted: over real HTTP, against the Equos double taught
 * to answer a stop with a 404 or with a session still running, a create with a longer
 * duration than asked, and a listing with every session of the organisation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEquosClient } from '../equos/client.js';
import { TEST_API_KEY, stopInit, useStack } from '../../test/harness.js';
import { ledgerPolicyOf, indexed } from './session-ledger.js';
import { testSettings } from '../../test/harness.js';

/** The token server's clock runs this far ahead of the double's (to reach deadlines without waiting). */
let offsetMs = 0;
const stack = useStack({
  // Retries come quickly, and Equos' sessions are old enough for the sweep after 1.5 s.
  config: { reaper: { ...testSettings('http://x').reaper, retryBaseMs: 20, retryMaxMs: 40, createSettleMs: 0 } },
  deps: { now: () => Date.now() + offsetMs },
});
afterEach(() => {
  offsetMs = 0;
  stack.equos.faults.clear();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const runningAtEquos = (id: string) => stack.equos.state.sessions.get(id)?.session.endedAt === null;
const logged = (event: string) => stack.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === event);

async function created() {
  const body = await stack.createSession({});
  return { id: body.session_id as string, token: body.stop_token as string, body };
}

describe('a stop Equos does not confirm', () => {
  it('is not settled by a 404: the session stays billing-safe in the ledger, is checked with a GET, and retried until Equos ends it', async () => {
    const { id, token } = await created();
    stack.equos.faults.inject('stop', { kind: 'status', status: 404, message: 'Session not found', code: 'NOT_FOUND' });

    const stop = await stack.request(`/api/sessions/${id}/stop`, stopInit(token));
    expect(stop.status).toBe(202);
    expect(stop.json()).toMatchObject({ status: 'stopping' });
    expect(stack.equos.state.callsTo('get', id).length).toBeGreaterThan(0);
    expect(runningAtEquos(id)).toBe(true);
    expect((await stack.store.get(id))?.state).toBe('stopping');
    // The browser is not told the session is over while Equos still runs it.
    expect((await stack.request(`/api/sessions/${id}/heartbeat`, stopInit(token, 'text/plain'))).status).toBe(204);

    await sleep(60);
    await stack.server.reapOnce();
    expect(runningAtEquos(id)).toBe(false);
    expect((await stack.store.get(id))?.state).toBe('stopped');
    expect((await stack.request(`/api/sessions/${id}/heartbeat`, stopInit(token, 'text/plain'))).status).toBe(410);
  });

  it('is not settled by a 200 that still shows the session running', async () => {
    const { id, token } = await created();
    stack.equos.faults.inject('stop', { kind: 'unconfirmed' });
    const stop = await stack.request(`/api/sessions/${id}/stop`, stopInit(token));
    expect(stop.status).toBe(202);
    expect(runningAtEquos(id)).toBe(true);
    await sleep(60);
    await stack.server.reapOnce();
    expect(runningAtEquos(id)).toBe(false);
    expect((await stack.store.get(id))?.state).toBe('stopped');
  });

  it('is settled when the GET that checks a 404 shows the session ended', async () => {
    const { id, token } = await created();
    stack.equos.state.end(id, 'max-duration');
    stack.equos.faults.inject('stop', { kind: 'status', status: 404 });
    const stop = await stack.request(`/api/sessions/${id}/stop`, stopInit(token));
    expect(stop.status).toBe(200);
    expect(stop.json()).toMatchObject({ status: 'stopped', ended_at: stack.equos.state.sessions.get(id)!.session.endedAt });
    expect((await stack.store.get(id))?.state).toBe('stopped');
  });

  it('answers repeats of a confirmed stop from the ledger, without calling Equos again', async () => {
    const { id, token } = await created();
    expect((await stack.request(`/api/sessions/${id}/stop`, stopInit(token))).status).toBe(200);
    // 20 replays: within the per-session limit (limits.test.ts floods past it).
    const statuses = await Promise.all(Array.from({ length: 20 }, () => stack.request(`/api/sessions/${id}/stop`, stopInit(token, 'text/plain'))));
    expect(new Set(statuses.map((response) => response.status))).toEqual(new Set([200]));
    expect(stack.equos.state.callsTo('stop', id)).toHaveLength(1);
  });
});

describe("Equos' maximum duration", () => {
  it('does not stretch the deadline: a longer answer is logged, and the preset deadline is reaped', async () => {
    stack.equos.faults.inject('create', { kind: 'duration', seconds: 3600 });
    const { id, token, body } = await created();
    expect(stack.equos.state.sessions.get(id)!.session.maxDuration).toBe(3600);
    expect(body.max_duration_s).toBe(300);
    const entry = await stack.store.get(id);
    expect(entry!.deadline - entry!.createdAt).toBe(300_000);
    expect(logged('session.duration.longer').at(-1)).toMatchObject({ session_id: id, preset_max_duration_s: 300, equos_max_duration_s: 3600 });

    // Heartbeats go on, but the preset's deadline (plus grace) has passed: the reaper stops it.
    offsetMs = 300_000;
    expect((await stack.request(`/api/sessions/${id}/heartbeat`, stopInit(token, 'text/plain'))).status).toBe(204);
    offsetMs = 300_000 + 31_000;
    await stack.server.reapOnce();
    expect(runningAtEquos(id)).toBe(false);
    expect(logged('session.stopped').find((line) => line.session_id === id)).toMatchObject({ cause: 'deadline' });
  });

  it('is followed when it is shorter than the preset (an organisation limit)', async () => {
    stack.equos.faults.inject('create', { kind: 'duration', seconds: 60 });
    const { id, body } = await created();
    expect(body.max_duration_s).toBe(60);
    const entry = await stack.store.get(id);
    expect(entry!.deadline - entry!.createdAt).toBe(60_000);
  });
});

describe('the sweep reconciles Equos with the ledger', () => {
  it("stops a session Equos still runs although the ledger holds it as stopped", async () => {
    const { id } = await created();
    const entry = (await stack.store.get(id))!;
    const policy = ledgerPolicyOf(testSettings(stack.equos.url));
    await stack.store.update(indexed({ ...entry, state: 'stopped', stoppedAt: Date.now() }, policy), ['running']);
    expect(runningAtEquos(id)).toBe(true);

    offsetMs = 10_000;
    await stack.server.sweepOnce();
    expect(runningAtEquos(id)).toBe(false);
    expect(logged('session.stopped').find((line) => line.session_id === id)).toMatchObject({ cause: 'reconcile' });
  });

  it('leaves running sessions to the reaper, and never touches sessions of other clients even when Equos ignores the filter', async () => {
    const { id } = await created();
    const client = createEquosClient({ apiKey: TEST_API_KEY, endpoint: stack.equos.url });
    const foreign = (await client.sessions.create({ name: 'another app', client: 'another-app', avatar: { id: 'a' } })).session.id;
    const untagged = (await client.sessions.create({ name: 'untagged', avatar: { id: 'a' } })).session.id;
    stack.equos.faults.inject('list', { kind: 'ignore-filter' }, { times: 10 });

    offsetMs = 10_000;
    await stack.server.sweepOnce();
    expect(runningAtEquos(id)).toBe(true);
    expect(runningAtEquos(foreign)).toBe(true);
    expect(runningAtEquos(untagged)).toBe(true);
    expect(stack.equos.state.callsTo('stop', foreign)).toHaveLength(0);
    expect(logged('orphans.list.foreign-sessions').length).toBeGreaterThan(0);
  });
});

describe("a thumbnail URL from Equos", () => {
  it('reaches the browser only when it is https (or http on loopback)', async () => {
    const shown = async (url: string) => {
      stack.equos.faults.inject('create', { kind: 'thumbnail', url });
      // The default preset names no thumbnail of its own, so Equos' is the only candidate.
      return (await created()).body.avatar_thumbnail_url;
    };
    expect(await shown('https://cdn.equos.example/ava.png')).toBe('https://cdn.equos.example/ava.png');
    expect(await shown('http://127.0.0.1:9000/avatars/ava.png')).toBe('http://127.0.0.1:9000/avatars/ava.png');
    for (const url of ['javascript:alert(1)', 'data:image/svg+xml,<svg onload=alert(1)>', 'http://cdn.equos.example/ava.png', 'not a url']) {
      expect(await shown(url), url).toBeUndefined();
    }
  });
});
