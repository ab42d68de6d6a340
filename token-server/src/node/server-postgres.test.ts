/**
 * The real Node server (`npm start`) on a real PostgreSQL ledger (`DATABASE_URL`), over real
 * HTTP: a session's round trip lands in the database, a database that goes away is a 503
 * `ledger-unavailable` (never a 500, never a crash) until it is back, and a DATABASE_URL that
 * cannot work stops start-up with one line naming it.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../../sandbox/equos-api/server.js';
import { TEST_API_KEY } from '../../test/harness.js';
import { startPostgres, type RunningPostgres } from '../../test/postgres-server.js';
import { spawnTokenServer, type ServerProcess } from '../../test/server-process.js';

const ORIGIN = 'https://shop.example';
type Created = { session_id: string; stop_token: string };

let postgres: RunningPostgres;
let equos: RunningEquosApiDouble;
const running: ServerProcess[] = [];

beforeAll(async () => {
  [postgres, equos] = await Promise.all([startPostgres(), startEquosApiDouble({ apiKey: TEST_API_KEY })]);
}, 30_000);
afterAll(async () => {
  await equos?.close();
  await postgres?.close();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((handle) => handle.kill('SIGKILL')));
  equos.faults.clear();
});

/** The server in front of the Equos double, on `databaseUrl`. */
function run(databaseUrl: string, env: Record<string, string> = {}): ServerProcess {
  const handle = spawnTokenServer({
    EQUOS_API_KEY: TEST_API_KEY,
    EQUOS_ENDPOINT: equos.url,
    EQUOS_AVATAR_ID: 'avatar-1',
    ALLOWED_ORIGINS: ORIGIN,
    DATABASE_URL: databaseUrl,
    ...env,
  });
  running.push(handle);
  return handle;
}

const post = (url: string, path: string, body: string, type = 'application/json') => fetch(`${url}${path}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': type }, body });
const create = (url: string) => post(url, '/api/sessions', '{}');

/** Rows of `sql` in the database at `url`. */
async function query(url: string, sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('npm start with DATABASE_URL', () => {
  it('keeps the ledger in Postgres: a session created and stopped is there, stopped, with the deployment it belongs to', async () => {
    const database = await postgres.createDatabase();
    const handle = run(database);
    const url = await handle.ready();
    expect(handle.output()).toContain('"event":"ledger.opened","store":"postgres"');

    const created = await create(url);
    expect(created.status).toBe(201);
    const session = (await created.json()) as Created;
    expect(await query(database, 'SELECT state FROM equos_avatar.entries WHERE id = $1', [session.session_id])).toEqual([{ state: 'running' }]);
    expect((await post(url, `/api/sessions/${session.session_id}/heartbeat`, session.stop_token, 'text/plain')).status).toBe(204);
    expect((await post(url, `/api/sessions/${session.session_id}/stop`, session.stop_token, 'text/plain')).status).toBe(200);
    expect(equos.state.sessions.get(session.session_id)!.endedBy).toBe('stop');
    expect(await query(database, 'SELECT state, stopped_at IS NOT NULL AS stopped FROM equos_avatar.entries WHERE id = $1', [session.session_id])).toEqual([{ state: 'stopped', stopped: true }]);
    // The deployment's identity and its generated session secret are kept there too.
    expect((await query(database, 'SELECT count(*)::int AS n FROM equos_avatar.kept'))[0]!.n).toBeGreaterThanOrEqual(2);

    handle.child.kill('SIGTERM');
    expect(await handle.exited).toBe(0);
    expect(handle.output()).not.toContain(TEST_API_KEY);
  });

  it('answers 503 ledger-unavailable while Postgres is away, starts nothing it could not track, and carries on once it is back', async () => {
    const database = await postgres.createDatabase();
    const handle = run(database, { REAPER_INTERVAL_S: '0.2', SESSION_SECRET: 'server-postgres-test-secret-0123456789abcd' });
    const url = await handle.ready();
    const session = (await (await create(url)).json()) as Created;

    await postgres.stop();
    try {
      const creates = equos.state.callsTo('create').length;
      const refused = await create(url);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(((await refused.json()) as { code: string }).code).toBe('ledger-unavailable');
      const beat = await post(url, `/api/sessions/${session.session_id}/heartbeat`, session.stop_token, 'text/plain');
      expect([beat.status, ((await beat.json()) as { code: string }).code]).toEqual([503, 'ledger-unavailable']);
      expect(equos.state.callsTo('create')).toHaveLength(creates);
      // The reaper's passes fail meanwhile (every 0.2 s); the process stays up.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(handle.child.exitCode).toBeNull();
    } finally {
      await postgres.start();
    }

    // The pool opens new connections on the next call: no restart of the token server.
    const again = await create(url);
    expect(again.status).toBe(201);
    const next = (await again.json()) as Created;
    expect((await post(url, `/api/sessions/${session.session_id}/heartbeat`, session.stop_token, 'text/plain')).status).toBe(204);
    for (const each of [session, next]) expect((await post(url, `/api/sessions/${each.session_id}/stop`, each.stop_token, 'text/plain')).status).toBe(200);
    expect(handle.child.exitCode).toBeNull();
    expect(handle.output()).not.toContain('unhandled');
  }, 30_000);

  it('stops start-up with one line naming DATABASE_URL when it cannot work, and never prints its password', async () => {
    const closed = run(`postgres://avatar:hunter2-secret@127.0.0.1:1/avatar`);
    expect(await closed.exited).toBe(1);
    expect(closed.output()).toMatch(/cannot open the session ledger \(DATABASE_URL\): .*ECONNREFUSED/);
    expect(closed.output()).not.toContain('hunter2');

    const both = run(postgres.url, { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await both.exited).toBe(1);
    expect(both.output()).toMatch(/invalid configuration: DATABASE_URL: REDIS_URL is set too/);

    const notPostgres = run('mysql://avatar:hunter2-secret@127.0.0.1/avatar');
    expect(await notPostgres.exited).toBe(1);
    expect(notPostgres.output()).toMatch(/invalid configuration: DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(notPostgres.output()).not.toContain('hunter2');
  });
});
