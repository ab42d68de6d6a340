/**
 * Deployments sharing one Equos organisation, over real HTTP: each tags its sessions with an
 * identity kept in its own ledger, so one never sweeps another's live visitors, while
 * instances sharing one ledger share the identity, and the session secret kept beside it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_API_KEY, startStack, stopInit, type Stack } from '../../test/harness.js';
import { createMemoryStore } from '../ledger/memory-store.js';
import { createSqliteStore } from '../ledger/sqlite-store.js';
import type { LedgerStore } from '../ledger/store.js';
import { testSettings } from '../../test/harness.js';
import { createTokenServer } from '../token-server.js';
import { silentLogger } from '../logger.js';
import { LedgerOfAnotherEquosError } from './deployment.js';

const stacks: Stack[] = [];
afterEach(async () => {
  while (stacks.length > 0) await stacks.pop()!.close();
});

/** A token server (in front of its own double unless `equosOf` is given) whose Equos sessions count as orphans at once. */
async function deployment(options: { store?: LedgerStore; equosOf?: Stack; sessionSecret?: string | null } = {}) {
  const stack = await startStack({
    config: {
      reaper: { ...testSettings('http://x').reaper, createSettleMs: 0 },
      deadlines: { create: 50, stop: 800, get: 800, list: 800 },
      ...(options.sessionSecret === undefined ? {} : { sessionSecret: options.sessionSecret }),
      ...(options.equosOf ? { equos: { apiKey: TEST_API_KEY, endpoint: options.equosOf.equos.url } } : {}),
    },
    deps: { store: options.store ?? createMemoryStore() },
  });
  stacks.push(stack);
  return stack;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('deployments on one Equos organisation', () => {
  it("never stop each other's sessions: each tags its own with an identity kept in its ledger", async () => {
    const production = await deployment();
    const staging = await deployment({ equosOf: production });
    const live = await production.createSession({});
    const session = production.equos.state.sessions.get(live.session_id as string)!.session;
    const { clientTag } = await production.server.ready();
    expect(session.client).toBe(clientTag);
    expect(clientTag).toMatch(/^test-deployment:[\w-]{12}$/);
    expect((await staging.server.ready()).clientTag).not.toBe(clientTag);

    await sleep(80);
    // Staging's sweep lists Equos; even when Equos ignores the filter, production's session is not its own.
    expect(await staging.server.sweepOnce()).toBe(0);
    production.equos.faults.inject('list', { kind: 'ignore-filter' });
    expect(await staging.server.sweepOnce()).toBe(0);
    expect(session.endedAt ?? production.equos.state.sessions.get(session.id)!.session.endedAt).toBeNull();
    expect(production.equos.state.callsTo('stop', session.id)).toHaveLength(0);
  });

  it('share the identity and the generated session secret between instances on one ledger, and across a restart', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'deployment-')), 'ledger.sqlite');
    const first = await deployment({ store: createSqliteStore(path), sessionSecret: null });
    const created = await first.createSession({});
    const { clientTag, sessionSecret } = await first.server.ready();
    expect(sessionSecret.length).toBeGreaterThanOrEqual(43);

    // A second instance on the same ledger (and then one after a restart) verifies the token.
    const second = await deployment({ store: createSqliteStore(path), sessionSecret: null, equosOf: first });
    expect((await second.server.ready()).clientTag).toBe(clientTag);
    const heartbeat = await second.request(`/api/sessions/${created.session_id}/heartbeat`, stopInit(created.stop_token, 'text/plain'));
    expect(heartbeat.status).toBe(204);
    const stop = await second.request(`/api/sessions/${created.session_id}/stop`, stopInit(created.stop_token));
    expect(stop.status).toBe(200);

    // Another ledger is another deployment: its secret (and tokens) differ.
    const other = await deployment({ sessionSecret: null, equosOf: first });
    expect((await other.server.ready()).sessionSecret).not.toBe(sessionSecret);
    expect((await other.request(`/api/sessions/${created.session_id}/stop`, stopInit(created.stop_token))).status).toBe(403);
  });

  it("refuses a ledger that holds the other Equos' sessions (the sandbox's, or the real one's)", async () => {
    const store = createMemoryStore();
    const settings = testSettings('http://127.0.0.1:9');
    await createTokenServer(settings, { store, logger: silentLogger }).ready();
    const sandbox = createTokenServer({ ...settings, usesSandbox: true }, { store, logger: silentLogger });
    await expect(sandbox.ready()).rejects.toBeInstanceOf(LedgerOfAnotherEquosError);
    await expect(sandbox.ready()).rejects.toThrow(/LEDGER_PATH or REDIS_URL/);
  });
});
