/**
 * `GET /metrics` over real HTTP, in front of the Equos double: off by default, behind the
 * operator's bearer token, and what a scraper reads after real creates, stops, reaper passes,
 * failures, refusals and sweeps, parsed from the text format.
 */
import { Registry, register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { TEST_API_KEY, startStack, stopInit, type Stack, type StackOptions } from '../../test/harness.js';
import { ConfigError, readSettings } from '../config/settings.js';
import { createEquosClient } from '../equos/client.js';
import { createMemoryStore } from '../ledger/memory-store.js';
import type { LedgerStore } from '../ledger/store.js';
import { silentLogger } from '../logger.js';
import { createTokenServer } from '../token-server.js';
import { createPrometheusMetrics } from './prometheus.js';
import { parsePrometheusText, type Scrape } from './testing/prometheus-text.js';

const TOKEN = 'metrics-token-4f9c2a7e1b3d5f8a0c6e9b2d4f7a1c3e';
const json = { 'content-type': 'application/json' };

/** A stack with metrics on, its clock `offsetMs` off real time (the Equos double keeps real time). */
async function metricsStack(options: StackOptions = {}): Promise<Stack & { clock: { offsetMs: number }; scrape(): Promise<Scrape> }> {
  const clock = { offsetMs: 0 };
  const stack = await startStack({
    ...options,
    config: { metricsToken: TOKEN, ...options.config },
    deps: { metrics: createPrometheusMetrics(), now: () => Date.now() + clock.offsetMs, ...options.deps },
  });
  return Object.assign(stack, {
    clock,
    async scrape() {
      const response = await stack.request('/metrics', { origin: null, headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status, response.text).toBe(200);
      return parsePrometheusText(response.text);
    },
  });
}

/** A memory store that fails every call while `down` is set, and never answers the methods named in `hung`. */
function switchableStore(): { store: LedgerStore; setDown(down: boolean): void; hung: Set<string> } {
  const inner = createMemoryStore();
  let down = false;
  const hung = new Set<string>();
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || property === 'close') return value;
      return (...args: unknown[]) => {
        if (down) return Promise.reject(new Error('ECONNREFUSED ledger'));
        if (hung.has(String(property))) return new Promise(() => {});
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, setDown: (value) => (down = value), hung };
}

const stopped = (scrape: Scrape, cause: string) => scrape.value('equos_avatar_sessions_stopped_total', { cause });
const requests = (scrape: Scrape, call: string, outcome: string) => scrape.value('equos_avatar_equos_request_duration_seconds_count', { call, outcome }) ?? 0;
const bucket = (scrape: Scrape, name: string, le: string) => scrape.value(`${name}_bucket`, { le });

describe('METRICS_TOKEN', () => {
  const production = { EQUOS_API_KEY: TEST_API_KEY, EQUOS_AVATAR_ID: 'avatar-1' };

  it('is off unset, kept when strong, and refused when weak or unsendable, without repeating it', () => {
    expect(readSettings(production).settings.metricsToken).toBeNull();
    expect(readSettings({ ...production, METRICS_TOKEN: '  ' }).settings.metricsToken).toBeNull();
    expect(readSettings({ ...production, METRICS_TOKEN: TOKEN }).settings.metricsToken).toBe(TOKEN);
    for (const weak of ['short-token-1234', 'ab'.repeat(20), 'a'.repeat(40), 'has spaces in it 0123456789abcdefghijklmnop', 'tab\tin-it-0123456789abcdefghijklmnopqrstuvw']) {
      let error: unknown;
      try {
        readSettings({ ...production, METRICS_TOKEN: weak });
      } catch (caught) {
        error = caught;
      }
      expect(error, weak).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe('METRICS_TOKEN');
      expect((error as ConfigError).message).not.toContain(weak.trim());
    }
  });

  it('set without metrics to serve is a programmer error, said at boot', () => {
    const settings = { ...readSettings({ ...production, METRICS_TOKEN: TOKEN }).settings };
    expect(() => createTokenServer(settings, { store: createMemoryStore(), logger: silentLogger })).toThrow(/METRICS_TOKEN is set: pass deps.metrics/);
  });
});

describe('createPrometheusMetrics', () => {
  it('keeps each one apart, on a registry of its own (never the global one) that a host can merge', async () => {
    const [a, b] = [createPrometheusMetrics(), createPrometheusMetrics()];
    a.sessionCreated('default');
    const value = async (metrics: typeof a) => parsePrometheusText(await metrics.scrape(null)).value('equos_avatar_sessions_created_total', { preset: 'default' });
    expect([await value(a), await value(b)]).toEqual([1, undefined]);
    expect(globalRegistry.getMetricsAsArray()).toEqual([]);
    const merged = parsePrometheusText(await Registry.merge([a.registry, new Registry()]).metrics());
    expect(merged.value('equos_avatar_sessions_created_total', { preset: 'default' })).toBe(1);
    expect(merged.series('equos_avatar_sessions_open')).toEqual([]);
  });
});

describe('GET /metrics', () => {
  it('is not found without METRICS_TOKEN (off by default), even with metrics recorded', async () => {
    const stack = await startStack({ deps: { metrics: createPrometheusMetrics() } });
    try {
      const response = await stack.request('/metrics', { origin: null, headers: { authorization: `Bearer ${TOKEN}` } });
      expect([response.status, response.headers.get('content-type'), response.json().code]).toEqual([404, 'application/problem+json', 'not-found']);
      expect((await stack.request('/metrics', { method: 'POST', origin: null })).status).toBe(404);
    } finally {
      await stack.close();
    }
  });

  it('asks for the bearer token, answers the text format with it, and never logs it', async () => {
    const stack = await metricsStack();
    try {
      const missing = await stack.request('/metrics', { origin: null });
      expect([missing.status, missing.json().code, missing.headers.get('www-authenticate'), missing.headers.get('cache-control')]).toEqual([401, 'unauthorized', 'Bearer realm="metrics"', 'no-store']);
      for (const authorization of [`Bearer ${TOKEN.slice(0, -1)}0`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`]) {
        const wrong = await stack.request('/metrics', { origin: null, headers: { authorization } });
        expect([wrong.status, wrong.json().code, wrong.headers.get('www-authenticate')], authorization).toEqual([401, 'unauthorized', 'Bearer realm="metrics", error="invalid_token"']);
      }
      // Not a bearer token at all (RFC 6750 §3.1's invalid_request).
      for (const authorization of [`Basic ${TOKEN}`, `Bearer  `, TOKEN, `Bearer ${TOKEN} extra`]) {
        const malformed = await stack.request('/metrics', { origin: null, headers: { authorization } });
        expect([malformed.status, malformed.json().code, malformed.headers.get('www-authenticate')], authorization).toEqual([401, 'unauthorized', 'Bearer realm="metrics", error="invalid_request"']);
      }

      // For the operator's scraper, not pages: no Origin needed, and a foreign one changes nothing.
      for (const origin of [null, 'https://evil.example']) {
        for (const scheme of ['Bearer', 'bearer']) {
          const response = await stack.request('/metrics', { origin, headers: { authorization: `${scheme} ${TOKEN}` } });
          expect([response.status, response.headers.get('content-type'), response.headers.get('cache-control')]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8', 'no-store']);
          expect(response.headers.get('access-control-allow-origin')).toBeNull();
          const scrape = parsePrometheusText(response.text);
          expect(scrape.value('equos_avatar_ledger_up')).toBe(1);
          expect(scrape.types.get('equos_avatar_sessions_stopped_total')).toBe('counter');
          expect(scrape.types.get('equos_avatar_session_overrun_seconds')).toBe('histogram');
          expect(scrape.types.get('equos_avatar_sessions_open')).toBe('gauge');
        }
      }
      expect((await stack.request('/metrics', { method: 'POST', origin: null, headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(405);
      expect(stack.logs.filter((line) => line.includes(TOKEN))).toEqual([]);
    } finally {
      await stack.close();
    }
  });

  it('counts creates and stops by cause, the overrun past deadlines and the reaper lag as histograms, and reads the open sessions from the ledger', async () => {
    // Heartbeats never time out here: the reaper stops for the deadline.
    const stack = await metricsStack({ config: { heartbeat: { intervalMs: 20_000, timeoutMs: 3_600_000, idleStopMs: 0 } } });
    try {
      const initial = await stack.scrape();
      expect([stopped(initial, 'visitor'), stopped(initial, 'deadline'), initial.value('equos_avatar_sessions_open')]).toEqual([0, 0, 0]);
      expect(initial.value('equos_avatar_sessions_created_total', { preset: 'default' })).toBeUndefined();

      // Two sessions start 345 s ago, by this server's clock: the default preset's 300 s have
      // run out 45 s ago, its grace (30 s) 15 s ago.
      stack.clock.offsetMs = -345_000;
      const late = await stack.createSession({});
      const hungUp = await stack.createSession({});
      expect((await stack.request(`/api/sessions/${hungUp.session_id}/stop`, stopInit(hungUp.stop_token))).status).toBe(200);
      const before = await stack.scrape();
      expect(before.value('equos_avatar_sessions_created_total', { preset: 'default' })).toBe(2);
      expect([stopped(before, 'visitor'), stopped(before, 'deadline'), before.value('equos_avatar_sessions_open')]).toEqual([1, 0, 1]);
      // Stopped before its deadline.
      expect([bucket(before, 'equos_avatar_session_overrun_seconds', '0'), before.value('equos_avatar_session_overrun_seconds_count')]).toEqual([1, 1]);

      stack.clock.offsetMs = 0;
      expect((await stack.scrape()).value('equos_avatar_sessions_overdue')).toBe(1);
      expect(await stack.server.reapOnce()).toBe(1);
      expect(stack.equos.state.sessions.get(late.session_id as string)!.endedBy).toBe('stop');
      const after = await stack.scrape();
      expect([stopped(after, 'visitor'), stopped(after, 'deadline'), after.value('equos_avatar_sessions_open'), after.value('equos_avatar_sessions_overdue')]).toEqual([1, 1, 0, 0]);
      // Equos ended it 45 s past its deadline: in the (30, 60] bucket.
      const overrun = ['0', '30', '60', '+Inf'].map((le) => bucket(after, 'equos_avatar_session_overrun_seconds', le));
      expect(overrun).toEqual([1, 1, 2, 2]);
      expect(after.value('equos_avatar_session_overrun_seconds_sum')).toBeGreaterThanOrEqual(45);
      expect(after.value('equos_avatar_session_overrun_seconds_sum')).toBeLessThan(50);
      // The pass found it 15 s overdue: in the (10, 30] bucket.
      expect(['10', '30'].map((le) => bucket(after, 'equos_avatar_reaper_lag_seconds', le))).toEqual([0, 1]);
      expect(after.value('equos_avatar_reaper_lag_seconds_count')).toBe(1);
      // Equos' latency by call: two creates and two stops, each confirmed at once.
      expect([requests(after, 'create', 'ok'), requests(after, 'stop', 'ok'), requests(after, 'get', 'ok')]).toEqual([2, 2, 0]);
      expect(after.value('equos_avatar_equos_request_duration_seconds_bucket', { call: 'create', outcome: 'ok', le: '+Inf' })).toBe(2);
    } finally {
      await stack.close();
    }
  });

  it('counts a stop Equos does not confirm, its retries, and the session while it stays stopping, then its retried stop', async () => {
    const stack = await metricsStack();
    try {
      const session = await stack.createSession({});
      // Every attempt of the visitor's stop fails (4 attempts); the check shows it running.
      stack.equos.faults.inject('stop', { kind: 'status', status: 503 }, { times: 4 });
      expect((await stack.request(`/api/sessions/${session.session_id}/stop`, stopInit(session.stop_token))).status).toBe(202);
      const failed = await stack.scrape();
      expect(failed.value('equos_avatar_session_stop_failures_total', { cause: 'visitor', retrying: 'true' })).toBe(1);
      expect(failed.value('equos_avatar_session_stop_failures_total', { cause: 'visitor', retrying: 'false' })).toBe(0);
      expect(failed.value('equos_avatar_equos_retries_total', { call: 'stop' })).toBe(3);
      expect([requests(failed, 'stop', 'http-5xx'), requests(failed, 'get', 'ok'), stopped(failed, 'visitor')]).toEqual([4, 1, 0]);
      expect([failed.value('equos_avatar_sessions_stopping'), failed.value('equos_avatar_sessions_open'), failed.value('equos_avatar_sessions_overdue')]).toEqual([1, 1, 0]);

      // Past the first backoff (2 s), the reaper retries it.
      stack.clock.offsetMs = 3000;
      expect((await stack.scrape()).value('equos_avatar_sessions_overdue')).toBe(1);
      expect(await stack.server.reapOnce()).toBe(1);
      const retried = await stack.scrape();
      expect([stopped(retried, 'retry'), retried.value('equos_avatar_sessions_stopping'), retried.value('equos_avatar_sessions_open')]).toEqual([1, 0, 0]);
      expect(requests(retried, 'stop', 'ok')).toBe(1);
    } finally {
      await stack.close();
    }
  });

  it('counts refusals by code, for creates and for heartbeats alike; scrapes and probes are nobody’s actions', async () => {
    const frozen = Date.now();
    const limits = { ratePerMinute: 100, siteRatePerMinute: 100, perVisitor: 1, concurrent: 100, actionsPerMinute: 10 };
    const stack = await metricsStack({ config: { limits }, deps: { now: () => frozen } });
    try {
      const session = await stack.createSession({});
      const refused = await stack.request('/api/sessions', { method: 'POST', headers: json, body: '{}' });
      expect([refused.status, refused.json().code]).toEqual([429, 'too-many-sessions']);
      for (let index = 0; index < 15; index += 1) {
        await stack.scrape();
        expect((await stack.request('/readyz', { origin: null })).status).toBe(200);
      }
      // This address may send 10 actions a minute: all 10 are its own heartbeats.
      for (let index = 0; index < 10; index += 1) {
        expect((await stack.request(`/api/sessions/${session.session_id}/heartbeat`, stopInit(session.stop_token))).status).toBe(204);
      }
      const flood = await stack.request(`/api/sessions/${session.session_id}/heartbeat`, stopInit(session.stop_token));
      expect([flood.status, flood.json().code]).toEqual([429, 'rate-limited']);
      const scrape = await stack.scrape();
      const refusals = Object.fromEntries(scrape.series('equos_avatar_limit_refusals_total').map((sample) => [sample.labels.code, sample.value]));
      expect(refusals).toEqual({ 'rate-limited': 1, 'too-many-sessions': 1, 'capacity-reached': 0, 'budget-exhausted': 0 });
    } finally {
      await stack.close();
    }
  });

  it('counts orphans the sweep stops, and sweeps that could not list Equos', async () => {
    const stack = await metricsStack();
    try {
      const { clientTag } = await stack.server.ready();
      const client = createEquosClient({ apiKey: TEST_API_KEY, endpoint: stack.equos.url });
      // Equos runs a session of ours that the ledger never heard of (a create whose answer was lost).
      const orphan = (await client.sessions.create({ name: 'orphan', client: clientTag, avatar: { id: 'avatar-1' } })).session.id;
      // Older than any create still in flight (create deadline + settle time: 6.5 s here).
      stack.clock.offsetMs = 10_000;
      expect(await stack.server.sweepOnce()).toBe(1);
      expect(stack.equos.state.sessions.get(orphan)!.endedBy).toBe('stop');
      stack.equos.faults.inject('list', { kind: 'status', status: 503 }, { times: 4 });
      expect(await stack.server.sweepOnce()).toBeUndefined();
      const scrape = await stack.scrape();
      expect([stopped(scrape, 'orphan'), stopped(scrape, 'reconcile')]).toEqual([1, 0]);
      expect([scrape.value('equos_avatar_orphan_sweeps_total', { outcome: 'ok' }), scrape.value('equos_avatar_orphan_sweeps_total', { outcome: 'failed' })]).toEqual([1, 1]);
      expect([requests(scrape, 'list', 'ok'), requests(scrape, 'list', 'http-5xx'), scrape.value('equos_avatar_equos_retries_total', { call: 'list' })]).toEqual([1, 4, 3]);
    } finally {
      await stack.close();
    }
  });

  it('still answers while the ledger is down: ledger_up 0, its gauges left out, the counters kept', async () => {
    const ledger = switchableStore();
    const stack = await metricsStack({ deps: { store: ledger.store } });
    try {
      await stack.createSession({});
      ledger.setDown(true);
      const scrape = await stack.scrape();
      expect(scrape.value('equos_avatar_ledger_up')).toBe(0);
      for (const gauge of ['equos_avatar_sessions_open', 'equos_avatar_sessions_stopping', 'equos_avatar_sessions_overdue', 'equos_avatar_creates_unresolved', 'equos_avatar_budget_minutes_used']) {
        expect(scrape.series(gauge), gauge).toEqual([]);
      }
      expect(scrape.value('equos_avatar_sessions_created_total', { preset: 'default' })).toBe(1);
      ledger.setDown(false);
      const back = await stack.scrape();
      expect([back.value('equos_avatar_ledger_up'), back.value('equos_avatar_sessions_open')]).toEqual([1, 1]);

      // Listings that do not answer (a huge Redis index) cost their own gauges, after 2 s.
      ledger.hung.add('listDue');
      const slow = await stack.scrape();
      expect([slow.value('equos_avatar_ledger_up'), slow.value('equos_avatar_sessions_open'), slow.value('equos_avatar_budget_minutes_used')]).toEqual([1, 1, 0]);
      for (const gauge of ['equos_avatar_sessions_stopping', 'equos_avatar_sessions_overdue', 'equos_avatar_creates_unresolved']) expect(slow.series(gauge), gauge).toEqual([]);
    } finally {
      await stack.close();
    }
  });
});
