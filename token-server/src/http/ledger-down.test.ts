/**
 * A ledger that cannot be reached, over real HTTP: the token server answers 503
 * `ledger-unavailable` (never a 500), starts nothing it could not track, and still stops
 * at Equos what a visitor asks it to.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../ledger/memory-store.js';
import type { LedgerStore } from '../ledger/store.js';
import { startStack, stopInit } from '../../test/harness.js';

/** A memory store that fails every call while `down` is set. */
function switchableStore(): { store: LedgerStore; setDown(down: boolean): void } {
  const inner = createMemoryStore();
  let down = false;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || property === 'close') return value;
      return (...args: unknown[]) => (down ? Promise.reject(new Error('ECONNREFUSED ledger')) : (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
  return { store, setDown: (value) => (down = value) };
}

const json = { 'content-type': 'application/json' };

describe('a ledger that is down', () => {
  it('from the start: every route answers 503 ledger-unavailable, and Equos is never called', async () => {
    const ledger = switchableStore();
    ledger.setDown(true);
    const stack = await startStack({ deps: { store: ledger.store } });
    try {
      const create = await stack.request('/api/sessions', { method: 'POST', headers: json, body: '{}' });
      expect([create.status, create.json().code]).toEqual([503, 'ledger-unavailable']);
      const beat = await stack.request('/api/sessions/ses_abc/heartbeat', stopInit('v1.' + 'A'.repeat(43), 'text/plain'));
      expect([beat.status, beat.json().code]).toEqual([503, 'ledger-unavailable']);
      expect(stack.equos.state.calls).toEqual([]);
    } finally {
      await stack.close();
    }
  });

  it('mid-way: a visitor can still stop a session at Equos, and no new session starts', async () => {
    const ledger = switchableStore();
    const stack = await startStack({ deps: { store: ledger.store } });
    try {
      const session = await stack.createSession({});
      ledger.setDown(true);
      const stop = await stack.request(`/api/sessions/${session.session_id}/stop`, stopInit(session.stop_token));
      expect(stop.status).toBe(200);
      expect(stack.equos.state.sessions.get(session.session_id as string)!.endedBy).toBe('stop');
      const create = await stack.request('/api/sessions', { method: 'POST', headers: json, body: '{}' });
      expect([create.status, create.json().code]).toEqual([503, 'ledger-unavailable']);
      expect(stack.equos.state.callsTo('create')).toHaveLength(1);

      // Equos answering 404 is not "nobody knows it" while the ledger cannot be asked.
      const other = await (async () => {
        ledger.setDown(false);
        const created = await stack.createSession({});
        ledger.setDown(true);
        return created;
      })();
      stack.equos.faults.inject('stop', { kind: 'status', status: 404 });
      stack.equos.faults.inject('get', { kind: 'status', status: 404 });
      const unsure = await stack.request(`/api/sessions/${other.session_id}/stop`, stopInit(other.stop_token));
      expect(unsure.status).toBeGreaterThanOrEqual(500);
      expect(unsure.json().code).not.toBe('session-not-found');
    } finally {
      await stack.close();
    }
  });
});
