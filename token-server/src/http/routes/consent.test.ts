/**
 * The visitor's consent on `POST /api/sessions`, over real HTTP against the Equos double:
 * checked, recorded with the session in the ledger, never answered back nor logged but for its
 * version, and, with CONSENT_VERSION set, required before anything is started or paid for.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { startEquosApiDouble } from '../../../../sandbox/equos-api/server.js';
import { TEST_API_KEY, useStack, type Stack } from '../../../test/harness.js';
import { LIFTED_LIMITS, spawnTokenServer } from '../../../test/server-process.js';

const postJson = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** The answer to a create with `body`, its problem checked when it is one. */
async function create(stack: Stack, body: unknown) {
  const response = await stack.request('/api/sessions', postJson(body));
  if (response.status >= 400) {
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.json()).toMatchObject({ status: response.status, type: `/problems/${response.json().code as string}` });
  }
  return { status: response.status, body: response.json() };
}

const ONE_DAY = 24 * 3600 * 1000;
const isoIn = (ms: number) => new Date(Date.now() + ms).toISOString();

/** Malformed consents, each with the field its problem must name. */
const MALFORMED: Array<[unknown, string]> = [
  ['yes', 'consent'],
  [true, 'consent'],
  [1, 'consent'],
  [[{ version: 'v3', accepted_at: '2026-01-01T00:00:00Z' }], 'consent'],
  [{}, 'consent.version'],
  [{ accepted_at: '2026-01-01T00:00:00Z' }, 'consent.version'],
  [{ version: 'v3' }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: null }, 'consent.accepted_at'],
  [{ version: 3, accepted_at: '2026-01-01T00:00:00Z' }, 'consent.version'],
  [{ version: null, accepted_at: '2026-01-01T00:00:00Z' }, 'consent.version'],
  [{ version: '', accepted_at: '2026-01-01T00:00:00Z' }, 'consent.version'],
  [{ version: '-v3', accepted_at: '2026-01-01T00:00:00Z' }, 'consent.version'],
  [{ version: '.v3', accepted_at: '2026-01-01T00:00:00Z' }, 'consent.version'],
  [{ version: 'x'.repeat(65), accepted_at: '2026-01-01T00:00:00Z' }, 'consent.version'],
  [{ version: 'I agree to everything', accepted_at: '2026-01-01T00:00:00Z' }, 'consent.version'],
  [{ version: 'v3\n', accepted_at: '2026-01-01T00:00:00Z' }, 'consent.version'],
  [{ version: 'vé', accepted_at: '2026-01-01T00:00:00Z' }, 'consent.version'],
  [{ version: '../v3', accepted_at: '2026-01-01T00:00:00Z' }, 'consent.version'],
  [{ version: ['v3'], accepted_at: '2026-01-01T00:00:00Z' }, 'consent.version'],
  [{ version: 'v3', accepted_at: 1_764_583_200_000 }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: '' }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: 'yesterday' }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: '2026-01-01' }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: '2026-01-01T00:00:00' }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: '2026-01-01T00:00:00+01:00' }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: '2026-01-01T00:00:00.000z' }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: '2026-01-01 00:00:00Z' }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: ' 2026-01-01T00:00:00Z' }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: '+002026-01-01T00:00:00Z' }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: '2026-01-01T00:00:00.1234567890Z' }, 'consent.accepted_at'],
  // Dates that do not exist are refused, not rolled over into the next month or day.
  [{ version: 'v3', accepted_at: '2026-02-30T10:00:00Z' }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: '2026-12-01T24:00:00Z' }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: '2026-12-01T23:59:60Z' }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: '2026-13-01T10:00:00Z' }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: '2019-12-31T23:59:59.999Z' }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: '1970-01-01T00:00:00Z' }, 'consent.accepted_at'],
  [{ version: 'v3', get accepted_at() { return isoIn(25 * 3_600_000); } }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: '9999-12-31T23:59:59Z' }, 'consent.accepted_at'],
  [{ version: 'v3', accepted_at: '2026-01-01T00:00:00Z', text: 'I agree' }, 'consent.text'],
  [{ version: 'v3', accepted_at: '2026-01-01T00:00:00Z', acceptedAt: 1 }, 'consent.acceptedAt'],
  ['{"consent":{"version":"v3","accepted_at":"2026-01-01T00:00:00Z","__proto__":{"x":1}}}', 'consent.__proto__'],
];

describe('consent on POST /api/sessions (CONSENT_VERSION unset)', () => {
  const stack = useStack();
  beforeEach(() => {
    stack.equos.state.calls.length = 0;
  });

  it("records the visitor's consent with the session in the ledger, to the millisecond, and answers nothing of it", async () => {
    const { status, body } = await create(stack, { consent: { version: 'privacy-2.1', accepted_at: '2026-06-01T10:00:00.123456789Z' } });
    expect(status).toBe(201);
    expect(Object.keys(body).filter((key) => key.includes('consent'))).toEqual([]);
    expect(JSON.stringify(body)).not.toContain('privacy-2.1');
    expect((await stack.store.get(body.session_id as string))?.consent).toEqual({ version: 'privacy-2.1', acceptedAt: Date.parse('2026-06-01T10:00:00.123Z') });
    expect(stack.equos.state.callsTo('create')).toHaveLength(1);
    // Equos hears nothing of it either.
    expect(JSON.stringify(stack.equos.state.sessions.get(body.session_id as string))).not.toContain('privacy-2.1');
  });

  it('logs only the version of a consent, never its time', async () => {
    const { body } = await create(stack, { consent: { version: 'v3', accepted_at: '2026-07-04T08:09:10Z' } });
    const created = stack.logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.event === 'session.created' && line.session_id === body.session_id);
    expect(created).toMatchObject({ consent_version: 'v3' });
    expect(stack.logs.filter((line) => line.includes('2026-07-04') || line.includes(String(Date.parse('2026-07-04T08:09:10Z'))))).toEqual([]);
  });

  it('accepts a consent months old, with or without fractions of a second', async () => {
    for (const acceptedAt of [isoIn(-200 * ONE_DAY), '2020-01-01T00:00:00Z', '2026-11-30T23:59:59.5Z']) {
      const { status, body } = await create(stack, { consent: { version: '2026-11', accepted_at: acceptedAt } });
      expect(status, acceptedAt).toBe(201);
      expect((await stack.store.get(body.session_id as string))?.consent).toEqual({ version: '2026-11', acceptedAt: Date.parse(acceptedAt) });
    }
  });

  it('believes a visitor’s clock that runs fast, by minutes or a wrong time zone’s hours, and records the server’s time then', async () => {
    for (const ahead of [4 * 60_000, 5 * 3_600_000, 23 * 3_600_000]) {
      const before = Date.now();
      const { status, body } = await create(stack, { consent: { version: '2026-11', accepted_at: isoIn(ahead) } });
      expect(status, String(ahead)).toBe(201);
      const recorded = (await stack.store.get(body.session_id as string))!.consent!;
      expect(recorded.acceptedAt).toBeGreaterThanOrEqual(before);
      expect(recorded.acceptedAt).toBeLessThanOrEqual(Date.now());
    }
  });

  it('accepts every version the contract allows', async () => {
    for (const version of ['2026-11', 'v3', 'privacy-2.1', 'A', '9', 'site:privacy_v2.1-final', 'x'.repeat(64)]) {
      const { status, body } = await create(stack, { consent: { version, accepted_at: '2026-01-01T00:00:00.000Z' } });
      expect(status, version).toBe(201);
      expect((await stack.store.get(body.session_id as string))?.consent?.version).toBe(version);
    }
  });

  it('records no consent for a create without one (or with null)', async () => {
    for (const request of [{}, { consent: null }, { preset: 'sales' }]) {
      const { status, body } = await create(stack, request);
      expect(status).toBe(201);
      expect((await stack.store.get(body.session_id as string))?.consent).toBeNull();
    }
    const created = stack.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === 'session.created');
    expect(created.at(-1)).not.toHaveProperty('consent_version');
  });

  it('refuses every malformed consent with 400 invalid-field naming the field, without repeating it, before anything starts', async () => {
    const openBefore = await stack.store.countOpen(Date.now());
    for (const [consent, field] of MALFORMED) {
      const { status, body } = await create(stack, typeof consent === 'string' && consent.startsWith('{') ? consent : { consent });
      const where = JSON.stringify(consent);
      expect(status, where).toBe(400);
      expect(body.code, where).toBe('invalid-field');
      expect(body.detail, where).toContain(field);
      for (const sent of ['I agree', 'yesterday', '../v3', 'vé']) if (where.includes(sent)) expect(body.detail, where).not.toContain(sent);
    }
    expect(stack.equos.state.calls).toEqual([]);
    expect(await stack.store.countOpen(Date.now())).toBe(openBefore);
  });
});

describe('consent on POST /api/sessions with CONSENT_VERSION set', () => {
  const stack = useStack({ config: { consentVersion: '2026-11' } });
  beforeEach(() => {
    stack.equos.state.calls.length = 0;
  });

  it('refuses a create without consent, or with consent to another version, with 403 consent-required and no call to Equos', async () => {
    const openBefore = await stack.store.countOpen(Date.now());
    const refused: unknown[] = [
      {},
      { consent: null },
      { preset: 'sales', participant_name: 'Ada' },
      { consent: { version: '2026-10', accepted_at: '2026-10-01T00:00:00Z' } },
      { consent: { version: '2026-11-draft', accepted_at: '2026-11-01T00:00:00Z' } },
      // Versions are compared exactly.
      { consent: { version: '2026-11'.toUpperCase().replace('-', '_'), accepted_at: '2026-11-01T00:00:00Z' } },
      { consent: { version: 'V2026-11', accepted_at: '2026-11-01T00:00:00Z' } },
    ];
    for (const request of refused) {
      const { status, body } = await create(stack, request);
      expect(status, JSON.stringify(request)).toBe(403);
      expect(body).toMatchObject({ code: 'consent-required', type: '/problems/consent-required' });
      expect(body.detail).toContain('"2026-11"');
    }
    // An empty body, as a bare `fetch(url, { method: 'POST' })` sends, too.
    expect((await stack.request('/api/sessions', { method: 'POST' })).status).toBe(403);
    expect(stack.equos.state.calls).toEqual([]);
    expect(await stack.store.countOpen(Date.now())).toBe(openBefore);
  });

  it('still answers a malformed consent with 400 invalid-field, not 403', async () => {
    for (const consent of [{ version: '2026-11' }, { version: '2026-11', accepted_at: isoIn(2 * ONE_DAY) }, { version: '2026-11', accepted_at: '2026-11-01T00:00:00Z', scope: 'all' }]) {
      const { status, body } = await create(stack, { consent });
      expect([status, body.code]).toEqual([400, 'invalid-field']);
    }
    expect(stack.equos.state.calls).toEqual([]);
  });

  it('starts a session for consent to the required version, and records it', async () => {
    const acceptedAt = isoIn(-90 * ONE_DAY);
    const { status, body } = await create(stack, { preset: 'sales', consent: { version: '2026-11', accepted_at: acceptedAt } });
    expect(status).toBe(201);
    expect(stack.equos.state.callsTo('create')).toHaveLength(1);
    expect(await stack.store.get(body.session_id as string)).toMatchObject({ state: 'running', preset: 'sales', consent: { version: '2026-11', acceptedAt: Date.parse(acceptedAt) } });
    // The session runs as any other: its stop keeps the consent in the ledger.
    const stop = await stack.request(`/api/sessions/${body.session_id as string}/stop`, postJson({ stop_token: body.stop_token }));
    expect(stop.status).toBe(200);
    expect(await stack.store.get(body.session_id as string)).toMatchObject({ state: 'stopped', consent: { version: '2026-11' } });
  });
});

describe('the token server process with CONSENT_VERSION in its environment, on SQLite', () => {
  it('refuses a create without the consent, starts one with it, and has the consent in its ledger file', async () => {
    const equos = await startEquosApiDouble({ apiKey: TEST_API_KEY });
    const path = join(mkdtempSync(join(tmpdir(), 'consent-')), 'ledger.sqlite');
    const origin = 'https://shop.example';
    const server = spawnTokenServer({ EQUOS_API_KEY: TEST_API_KEY, EQUOS_ENDPOINT: equos.url, EQUOS_AVATAR_ID: 'avatar-1', ALLOWED_ORIGINS: origin, LEDGER_PATH: path, CONSENT_VERSION: 'v3', ...LIFTED_LIMITS });
    try {
      const base = await server.ready();
      const post = (body: unknown) => fetch(`${base}/api/sessions`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const refused = await post({});
      expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([403, 'consent-required']);
      expect(equos.state.callsTo('create')).toHaveLength(0);
      const created = await post({ consent: { version: 'v3', accepted_at: '2026-03-04T05:06:07.089Z' } });
      expect(created.status).toBe(201);
      const { session_id: id } = (await created.json()) as { session_id: string };
      expect(equos.state.callsTo('create')).toHaveLength(1);
      await server.kill('SIGTERM');
      const db = new Database(path, { readonly: true });
      try {
        expect(db.prepare('SELECT consent_version, consent_at FROM entries WHERE id = ?').get(id)).toEqual({ consent_version: 'v3', consent_at: Date.parse('2026-03-04T05:06:07.089Z') });
        expect((db.prepare('SELECT COUNT(*) AS n FROM entries').get() as { n: number }).n).toBe(1);
      } finally {
        db.close();
      }
      // Its log has the version and nothing else of the consent.
      expect(server.output()).toContain('"consent_version":"v3"');
      expect(server.output()).not.toContain('2026-03-04');
    } finally {
      await server.kill('SIGKILL');
      await equos.close();
    }
  });
});
