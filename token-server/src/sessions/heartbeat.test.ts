/**
 * A heartbeat that says how long the visitor has been idle: past `IDLE_STOP_S` the session is
 * stopped (once, at Equos) and the browser told it ended; below it, or from a browser that
 * does not say, nothing changes. Over real HTTP, against the Equos double.
 */
import { describe, expect, it } from 'vitest';
import { stopInit, testSettings, useStack } from '../../test/harness.js';

const IDLE_STOP_S = 120;
const stack = useStack({ config: { heartbeat: { ...testSettings('http://x').heartbeat, idleStopMs: IDLE_STOP_S * 1000 } } });

async function created() {
  const body = await stack.createSession({});
  return { id: body.session_id as string, token: body.stop_token as string };
}
const beat = (id: string, token: string, query = '') => stack.request(`/api/sessions/${id}/heartbeat${query}`, stopInit(token, 'text/plain'));
const runningAtEquos = (id: string) => stack.equos.state.sessions.get(id)?.session.endedAt === null;
const stopsAtEquos = (id: string) => stack.equos.state.callsTo('stop', id).length;

describe('a heartbeat that reports the visitor idle', () => {
  it('keeps a session whose visitor spoke or typed within IDLE_STOP_S, and one from a browser that does not say', async () => {
    const { id, token } = await created();
    expect((await beat(id, token)).status).toBe(204);
    expect((await beat(id, token, '?idle_s=0')).status).toBe(204);
    expect((await beat(id, token, `?idle_s=${IDLE_STOP_S - 1}`)).status).toBe(204);
    expect(runningAtEquos(id)).toBe(true);
    expect(stopsAtEquos(id)).toBe(0);
  });

  it('stops the session once idle reaches IDLE_STOP_S: one stop at Equos, 410 session-ended, the ledger settled', async () => {
    const { id, token } = await created();
    const answer = await beat(id, token, `?idle_s=${IDLE_STOP_S}`);
    expect(answer.status).toBe(410);
    expect(answer.json()).toMatchObject({ code: 'session-ended', detail: expect.stringContaining('IDLE_STOP_S') });
    expect(runningAtEquos(id)).toBe(false);
    expect(stopsAtEquos(id)).toBe(1);
    expect((await stack.store.get(id))?.state).toBe('stopped');
    // Later beats (a tab that missed the answer) change nothing more.
    expect((await beat(id, token, `?idle_s=${IDLE_STOP_S + 20}`)).status).toBe(410);
    expect(stopsAtEquos(id)).toBe(1);
  });

  it('refuses a malformed idle_s with a 400 problem, and changes nothing', async () => {
    const { id, token } = await created();
    for (const query of ['?idle_s=', '?idle_s=-1', '?idle_s=1.5', '?idle_s=ten', '?idle_s=99999999']) {
      const answer = await beat(id, token, query);
      expect(answer.status, query).toBe(400);
      expect(answer.headers.get('content-type'), query).toMatch(/^application\/problem\+json/);
      expect(answer.json(), query).toMatchObject({ code: 'invalid-field', detail: expect.stringContaining('idle_s') });
    }
    expect(runningAtEquos(id)).toBe(true);
  });

  it('does not let an idle report stop somebody else’s session (the stop token still proves the caller)', async () => {
    const mine = await created();
    const theirs = await created();
    const answer = await beat(theirs.id, mine.token, `?idle_s=${IDLE_STOP_S * 10}`);
    expect(answer.status).toBe(403);
    expect(runningAtEquos(theirs.id)).toBe(true);
  });
});

describe('IDLE_STOP_S=0', () => {
  const off = useStack({ config: { heartbeat: { ...testSettings('http://x').heartbeat, idleStopMs: 0 } } });
  it('never stops a session for being idle', async () => {
    const body = await off.createSession({});
    const answer = await off.request(`/api/sessions/${body.session_id as string}/heartbeat?idle_s=86400`, stopInit(body.stop_token as string, 'text/plain'));
    expect(answer.status).toBe(204);
  });
});
