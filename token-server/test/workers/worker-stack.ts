/**
 * The token server's Worker in workerd (Miniflare), in front of the Equos API double on a
 * loopback port: its production build (dist/server/workers.mjs), its ledger object on SQLite
 * storage persisted in a temporary folder (so a restart keeps it), the widget's files from a
 * static assets folder, and every line the Worker logs.
 *
 * Test support, not product code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Miniflare, type MiniflareOptions } from 'miniflare';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../../sandbox/equos-api/server.js';
import { SESSION_SECRET, SITE_ORIGIN, TEST_API_KEY } from '../harness.js';
import { buildWorker, COMPATIBILITY_DATE, type BundledWorker } from './bundle.js';

/** The cron of wrangler.example.toml. */
export const CRON = '*/1 * * * *';

/** The Worker's vars and secrets for tests: the double, the test origin and key, one v1 preset. */
export function workerVariables(endpoint: string): Record<string, string> {
  return {
    EQUOS_API_KEY: TEST_API_KEY,
    EQUOS_ENDPOINT: endpoint,
    EQUOS_AVATAR_ID: 'avatar-1',
    EQUOS_AGENT_ID: 'agent-1',
    ALLOWED_ORIGINS: SITE_ORIGIN,
    SESSION_SECRET,
    EQUOS_CLIENT: 'test-deployment',
  };
}

/** Options of `startWorkerStack`. */
export interface WorkerStackOptions {
  /** Vars to add to (or, as '', take from) `workerVariables`. */
  variables?: Record<string, string>;
  /** A folder for the static assets binding [none]. */
  assetsDirectory?: string;
  /** Sessions end at the double only when stopped, as the worst case for a bill [true]. */
  stopsOnly?: boolean;
}

/** A response as tests see it, body already read. */
export interface WorkerResponse {
  status: number;
  headers: Headers;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

/** The Worker, the double, and handles for tests. */
export interface WorkerStack {
  equos: RunningEquosApiDouble;
  /** The Worker's bundle, as uploaded. */
  bundle: string;
  /** A request to the Worker from the visitor at `ip` (CF-Connecting-IP), with `Origin: SITE_ORIGIN` unless told otherwise. */
  request(path: string, init?: RequestInit & { ip?: string; origin?: string | null }): Promise<WorkerResponse>;
  /**
   * A GET straight to workerd's socket, as a browser's would arrive (no CF-Connecting-IP):
   * the status, headers and the body's bytes as sent, still encoded.
   */
  rawGet(path: string, headers?: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>;
  /** Creates a session as the visitor at `ip`; its 201 body. */
  createSession(ip: string): Promise<{ session_id: string; stop_token: string }>;
  /** Fires the cron trigger for the minute `scheduledTime` [now]. */
  scheduled(scheduledTime?: number): Promise<void>;
  /** Stops workerd and starts it again on the same bundle and ledger (a redeploy, a restart). */
  restart(): Promise<void>;
  /** Every line workerd wrote (the Worker's logs among them). */
  logs: string[];
  /** Every response and log line that carried the API key. */
  secretLeaks(): string[];
  close(): Promise<void>;
}

/** Collects a stream's lines into `into`. */
function collectLines(stream: Readable, into: string[]): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    into.push(...lines.filter(Boolean));
  });
}

/**
 * Bundles the Worker and starts it with a fresh ledger, in front of a fresh double.
 *
 * @example
 * const stack = await startWorkerStack({ variables: { MAX_SESSIONS_PER_VISITOR: '1' } });
 * const created = await stack.createSession('203.0.113.7');
 */
export async function startWorkerStack(options: WorkerStackOptions = {}): Promise<WorkerStack> {
  const equos = await startEquosApiDouble({ apiKey: TEST_API_KEY, autoEnd: !(options.stopsOnly ?? true) });
  const worker: BundledWorker = await buildWorker();
  const persist = mkdtempSync(join(tmpdir(), 'worker-ledger-'));
  const logs: string[] = [];
  const seen: string[] = [];
  const bindings = Object.fromEntries(Object.entries({ ...workerVariables(equos.url), ...options.variables }).filter(([, value]) => value !== ''));
  const miniflareOptions: MiniflareOptions = {
    modules: true,
    scriptPath: worker.scriptPath,
    modulesRoot: worker.modulesRoot,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: ['nodejs_compat'],
    durableObjects: { LEDGER: { className: 'LedgerDurableObject', useSQLite: true } },
    durableObjectsPersist: persist,
    bindings,
    ...(options.assetsDirectory
      ? { assets: { directory: options.assetsDirectory, binding: 'ASSETS', routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true } } }
      : {}),
    handleRuntimeStdio(stdout, stderr) {
      collectLines(stdout, logs);
      collectLines(stderr, logs);
    },
  };
  let mf = new Miniflare(miniflareOptions);
  await mf.ready;

  async function request(path: string, init: RequestInit & { ip?: string; origin?: string | null } = {}): Promise<WorkerResponse> {
    const { ip = '192.0.2.1', origin = SITE_ORIGIN, ...rest } = init;
    const headers = new Headers(rest.headers);
    headers.set('cf-connecting-ip', ip);
    if (origin !== null && !headers.has('origin')) headers.set('origin', origin);
    // Miniflare's fetch types are undici's; the Worker sees a plain Request either way.
    const response = (await mf.dispatchFetch(`https://tokens.example${path}`, { ...rest, headers } as never)) as unknown as Response;
    const text = await response.text();
    seen.push(text, ...[...response.headers].map(([name, value]) => `${name}: ${value}`));
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
  }

  return {
    equos,
    bundle: worker.text,
    request,
    async rawGet(path, headers = {}) {
      const url = new URL(path, await mf.ready);
      return new Promise((resolve, reject) => {
        get(url, { headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const body = Buffer.concat(chunks);
            seen.push(body.toString('latin1'));
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
          });
          response.on('error', reject);
        }).on('error', reject);
      });
    },
    async createSession(ip) {
      const response = await request('/api/sessions', { method: 'POST', ip, headers: { 'content-type': 'application/json' }, body: '{}' });
      if (response.status !== 201) throw new Error(`create failed: ${response.status} ${response.text}`);
      return response.json();
    },
    async scheduled(scheduledTime = Date.now()) {
      const fetcher = await mf.getWorker();
      const result = await fetcher.scheduled({ cron: CRON, scheduledTime: new Date(scheduledTime) });
      if (result.outcome !== 'ok') throw new Error(`the scheduled event ended ${result.outcome}`);
    },
    async restart() {
      await mf.dispose();
      mf = new Miniflare(miniflareOptions);
      await mf.ready;
    },
    logs,
    secretLeaks() {
      const forms = [TEST_API_KEY, encodeURIComponent(TEST_API_KEY), Buffer.from(TEST_API_KEY).toString('base64')];
      return [...seen, ...logs].filter((text) => forms.some((form) => text.includes(form))).map((text) => text.slice(0, 200));
    },
    async close() {
      await mf.dispose();
      await equos.close();
      worker.remove();
      rmSync(persist, { recursive: true, force: true });
    },
  };
}
