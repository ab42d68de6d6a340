/**
 * `GET /api/usage` over real HTTP: sessions of two presets from two sites are created and
 * stopped through the API on the stack's clock (Equos' too, so durations are exact), and the
 * export adds them up by the day they started, preset and origin, as JSON and as CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageExport } from '../../../../contract/webhooks.js';
import { SITE_ORIGIN, startStack, stopInit, type RecordedResponse, type Stack } from '../../../test/harness.js';

const TOKEN = 'usage-token-0123456789-abcdefghijklmnopqrstuvwxyz';
const BLOG = 'https://blog.example';
/** The stack's clock starts here; the last session starts a minute before midnight UTC and ends on the 15th: it counts on the 14th. */
const T0 = Date.parse('2027-03-14T22:00:00.000Z');

function expectProblem(response: RecordedResponse, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.json()).toMatchObject({ status, code });
}

describe('GET /api/usage', () => {
  const clock = { now: T0 };
  let stack: Stack;
  const get = (path: string, headers: Record<string, string> = {}, origin: string | null = null) => stack.request(path, { headers, origin });
  const bearer = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    const now = () => clock.now;
    stack = await startStack({ config: { usageToken: TOKEN, allowedOrigins: [SITE_ORIGIN, BLOG] }, deps: { now }, equosNow: now });
    /** One session of `preset` from `origin`, `seconds` long, starting now. */
    const session = async (preset: string, origin: string, seconds: number) => {
      const response = await stack.request('/api/sessions', { method: 'POST', origin, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ preset }) });
      expect(response.status).toBe(201);
      const { session_id, stop_token } = response.json<{ session_id: string; stop_token: string }>();
      clock.now += seconds * 1000;
      expect((await stack.request(`/api/sessions/${session_id}/stop`, { ...stopInit(stop_token), origin })).status).toBe(200);
      clock.now += 1000;
    };
    await session('default', SITE_ORIGIN, 60);
    await session('default', SITE_ORIGIN, 90);
    await session('sales', SITE_ORIGIN, 30);
    await session('default', BLOG, 45);
    await session('sales', BLOG, 15);
    clock.now = Date.parse('2027-03-14T23:59:00.000Z');
    await session('sales', BLOG, 120);
    // Still running: not in the usage until it ends.
    await stack.request('/api/sessions', { method: 'POST', origin: BLOG, headers: { 'content-type': 'application/json' }, body: '{}' });
  });
  afterAll(async () => {
    await stack?.close();
    expect(stack?.secretLeaks()).toEqual([]);
    expect(stack?.logs.filter((line) => line.includes(TOKEN))).toEqual([]);
  });

  it('adds up the ended sessions and their minutes by day, preset and origin, as JSON', async () => {
    const response = await get('/api/usage?from=2027-03-01&to=2027-03-31', bearer);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.json<UsageExport>()).toEqual({
      from: '2027-03-01',
      to: '2027-03-31',
      rows: [
        { day: '2027-03-14', preset: 'default', origin: BLOG, sessions: 1, minutes: 0.75 },
        { day: '2027-03-14', preset: 'default', origin: SITE_ORIGIN, sessions: 2, minutes: 2.5 },
        { day: '2027-03-14', preset: 'sales', origin: BLOG, sessions: 2, minutes: 2.25 },
        { day: '2027-03-14', preset: 'sales', origin: SITE_ORIGIN, sessions: 1, minutes: 0.5 },
      ],
      totals: { sessions: 6, minutes: 6 },
    });
    // A range of days it did not start on is empty.
    expect((await get('/api/usage?from=2027-03-15&to=2027-03-15', bearer)).json()).toEqual({ from: '2027-03-15', to: '2027-03-15', rows: [], totals: { sessions: 0, minutes: 0 } });
  });

  it('answers CSV (RFC 4180) to Accept: text/csv', async () => {
    const response = await get('/api/usage?from=2027-03-14&to=2027-03-14', { ...bearer, accept: 'text/csv' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="usage-2027-03-14-2027-03-14.csv"');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.text).toBe(
      [
        'day,preset,origin,sessions,minutes',
        `"2027-03-14","default","${BLOG}",1,0.75`,
        `"2027-03-14","default","${SITE_ORIGIN}",2,2.5`,
        `"2027-03-14","sales","${BLOG}",2,2.25`,
        `"2027-03-14","sales","${SITE_ORIGIN}",1,0.5`,
        '',
      ].join('\r\n'),
    );
    // JSON preferred over CSV in the same Accept: JSON.
    expect((await get('/api/usage?from=2027-03-14&to=2027-03-14', { ...bearer, accept: 'application/json, text/csv;q=0.5' })).headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('is for the operator: not behind the origin allowlist, behind the token', async () => {
    // An origin the allowlist refuses, and none: the token is what counts.
    expect((await get('/api/usage?from=2027-03-14&to=2027-03-14', bearer, 'https://evil.example')).status).toBe(200);
    const missing = await get('/api/usage?from=2027-03-14&to=2027-03-14');
    expectProblem(missing, 401, 'unauthorized');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="usage"');
    const wrong = await get('/api/usage?from=2027-03-14&to=2027-03-14', { authorization: `Bearer ${TOKEN.slice(0, -1)}x` });
    expectProblem(wrong, 401, 'unauthorized');
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="usage", error="invalid_token"');
    const malformed = await get('/api/usage?from=2027-03-14&to=2027-03-14', { authorization: `Basic ${TOKEN}` });
    expectProblem(malformed, 401, 'unauthorized');
    expect(malformed.headers.get('www-authenticate')).toBe('Bearer realm="usage", error="invalid_request"');
  });

  it.each([
    ['from=2027-03-14', '`to` is required'],
    ['to=2027-03-14', '`from` is required'],
    ['from=2027-02-30&to=2027-03-14', '`from` must be a UTC day'],
    ['from=2027-3-1&to=2027-03-14', '`from` must be a UTC day'],
    ['from=2027-03-01&to=tomorrow', '`to` must be a UTC day'],
    ['from=2027-03-14&to=2027-03-01', '`from` must not be after `to`'],
    ['from=2026-01-01&to=2027-03-14', 'at most 400 days'],
  ])('refuses ?%s with 400 invalid-field', async (query, detail) => {
    const response = await get(`/api/usage?${query}`, bearer);
    expectProblem(response, 400, 'invalid-field');
    expect(response.json().detail).toContain(detail);
  });

  it('takes 400 days, not 401, and only GET (and HEAD)', async () => {
    expect((await get('/api/usage?from=2026-02-08&to=2027-03-14', bearer)).status).toBe(200);
    expectProblem(await get('/api/usage?from=2026-02-07&to=2027-03-14', bearer), 400, 'invalid-field');
    expect((await stack.request('/api/usage?from=2027-03-14&to=2027-03-14', { method: 'HEAD', headers: bearer, origin: null })).status).toBe(200);
    const post = await stack.request('/api/usage?from=2027-03-14&to=2027-03-14', { method: 'POST', headers: bearer, origin: null });
    expectProblem(post, 405, 'method-not-allowed');
  });
});

describe('GET /api/usage without USAGE_TOKEN', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it('is not found, with or without a token', async () => {
    expectProblem(await stack.request('/api/usage?from=2027-03-14&to=2027-03-14', { origin: null }), 404, 'not-found');
    expectProblem(await stack.request('/api/usage?from=2027-03-14&to=2027-03-14', { origin: null, headers: { authorization: `Bearer ${TOKEN}` } }), 404, 'not-found');
  });
});
