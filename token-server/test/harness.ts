/**
 * Test harness: the real token server and the Equos API double, each a real HTTP server on
 * an ephemeral loopback port, plus a recorder of every response and log line so that a
 * suite can prove the API key never left the server.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { readSettings, type Settings } from '../src/config/settings.js';
import { createMemoryStore } from '../src/ledger/memory-store.js';
import type { LedgerStore } from '../src/ledger/store.js';
import { createLogger } from '../src/logger.js';
import { listen, type Listening } from '../src/node/listen.js';
import { createTokenServer, type TokenServer, type TokenServerDeps } from '../src/token-server.js';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../sandbox/equos-api/server.js';

/** A distinctive key, so finding it anywhere is meaningful. */
export const TEST_API_KEY = `sk_test_${'7f3a9c'.repeat(6)}`;
export const SITE_ORIGIN = 'https://shop.example';
export const SESSION_SECRET = 'test-session-secret-that-is-long-enough-0123';

/** A response as tests see it, body already read. */
export interface RecordedResponse {
  status: number;
  headers: Headers;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

/** Options of `startStack`. */
export interface StackOptions {
  /** Settings to change (shallowly) from `testSettings`'. */
  config?: Partial<Settings>;
  deps?: Partial<Omit<TokenServerDeps, 'logger'>>;
  /** The Equos double's clock [Date.now]: the token server's (`deps.now`) for tests that move time, so Equos' start and end times move with it. */
  equosNow?: () => number;
}

/** A running token server in front of a running Equos double. */
export interface Stack {
  url: string;
  /** The token server (its background passes are run by hand, when a test calls them). */
  server: TokenServer;
  equos: RunningEquosApiDouble;
  /** The token server's session ledger. */
  store: LedgerStore;
  logs: string[];
  /** `fetch` against the token server; sends `Origin: SITE_ORIGIN` unless told otherwise. */
  request(path: string, init?: RequestInit & { origin?: string | null }): Promise<RecordedResponse>;
  /** Creates a session through the API and returns its 201 body. */
  createSession(body?: unknown): Promise<Record<string, string | number>>;
  /** Every place the API key showed up (in any form) in responses or logs. */
  secretLeaks(): string[];
  close(): Promise<void>;
}

/**
 * The settings of a test token server in front of the Equos double at `endpoint`: two presets,
 * the test origin, and fast deadlines and retries, so tests of backoff take milliseconds.
 */
export function testSettings(endpoint: string, overrides: Partial<Settings> = {}): Settings {
  const { settings } = readSettings({
    EQUOS_API_KEY: TEST_API_KEY,
    EQUOS_ENDPOINT: endpoint,
    ALLOWED_ORIGINS: SITE_ORIGIN,
    SESSION_SECRET,
    EQUOS_CLIENT: 'test-deployment',
    INSTANCE_ID: 'test',
    EQUOS_AVATAR_ID: 'avatar-1',
  });
  return {
    ...settings,
    presets: [
      { name: 'default', displayName: 'Jeremy', agentId: 'agent-1', avatarId: 'avatar-1', maxDurationS: 300 },
      { name: 'sales', displayName: 'Sofia', avatarId: 'avatar-2', thumbnailUrl: 'https://cdn.example/sofia.png', maxDurationS: 120 },
    ],
    // Every test here comes from 127.0.0.1: limits get their own tests (limits.test.ts).
    limits: { ratePerMinute: 100_000, siteRatePerMinute: 100_000, perVisitor: 100_000, concurrent: 100_000, actionsPerMinute: 100_000 },
    deadlines: { create: 1500, stop: 800, get: 800, list: 800 },
    equosRetry: { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
    ...overrides,
  };
}

/**
 * Starts the double, then the token server pointed at it.
 *
 * @example
 * const stack = await startStack();
 * const res = await stack.request('/api/presets');
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const equos = await startEquosApiDouble({ apiKey: TEST_API_KEY, ...(options.equosNow ? { now: options.equosNow } : {}) });
  const logs: string[] = [];
  const seen: string[] = [];
  // The logger redacts nothing here on purpose: the raw lines are checked for the key.
  const logger = createLogger({ write: (line) => logs.push(line), level: 'debug' });
  const store = options.deps?.store ?? createMemoryStore();
  const tokenServer = createTokenServer(testSettings(equos.url, options.config), { ...options.deps, logger, store });
  const server: Listening = await listen(tokenServer.app, { host: '127.0.0.1', port: 0 });

  async function request(path: string, init: RequestInit & { origin?: string | null } = {}): Promise<RecordedResponse> {
    const { origin = SITE_ORIGIN, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (origin !== null && !headers.has('origin')) headers.set('origin', origin);
    const response = await fetch(`${server.url}${path}`, { ...rest, headers });
    const text = await response.text();
    seen.push(text, ...[...response.headers].map(([name, value]) => `${name}: ${value}`));
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
  }

  return {
    url: server.url,
    server: tokenServer,
    equos,
    store,
    logs,
    request,
    async createSession(body = {}) {
      const response = await request('/api/sessions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 201) throw new Error(`create failed: ${response.status} ${response.text}`);
      return response.json();
    },
    secretLeaks() {
      const forms = [TEST_API_KEY, encodeURIComponent(TEST_API_KEY), Buffer.from(TEST_API_KEY).toString('base64')];
      const places = [...seen.map((text) => ({ where: 'response', text })), ...logs.map((text) => ({ where: 'log', text }))];
      return places.filter(({ text }) => forms.some((form) => text.includes(form))).map(({ where, text }) => `${where}: ${text.slice(0, 200)}`);
    },
    async close() {
      await server.close(1000);
      await equos.close();
    },
  };
}

/**
 * Starts a stack before the file's tests and closes it after them, failing the file if the
 * API key showed up in any response or log line on the way.
 *
 * @example
 * const stack = useStack();
 * it('…', async () => { await stack.request('/api/presets'); });
 */
export function useStack(options: StackOptions = {}): Stack {
  let current: Stack | undefined;
  beforeAll(async () => {
    current = await startStack(options);
  });
  afterAll(async () => {
    await current?.close();
    expect(current?.secretLeaks()).toEqual([]);
  });
  const get = (): Stack => {
    if (!current) throw new Error('useStack: the stack starts in beforeAll; use it inside tests.');
    return current;
  };
  return {
    get url() {
      return get().url;
    },
    get server() {
      return get().server;
    },
    get equos() {
      return get().equos;
    },
    get store() {
      return get().store;
    },
    get logs() {
      return get().logs;
    },
    request: (...args) => get().request(...args),
    createSession: (...args) => get().createSession(...args),
    secretLeaks: () => get().secretLeaks(),
    close: () => get().close(),
  };
}

/** POSTs JSON to a stop route. */
export function stopInit(token: unknown, contentType = 'application/json'): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof token === 'string' && contentType !== 'application/json' ? token : JSON.stringify({ stop_token: token }),
  };
}
