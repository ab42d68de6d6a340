/**
 * The start-up and shutdown sequence every long-running entry shares (Node's, Bun's, Deno's):
 * read the settings, warn about them, open the ledger, build the token server, await its
 * `ready()`, run its background passes, serve, print the ready line, and on SIGTERM/SIGINT
 * stop gracefully: in-flight requests finish, running sessions stay in the ledger (a redeploy
 * must not cut visitors off; the next instance's reaper watches them).
 *
 * What differs between runtimes comes in as a `RuntimeEntry`: how the settings are read, what
 * stands in before the ledger opens (Node's local sandbox), which store opens, the runtime's
 * own dependencies (assets, HMACs, the connection's address…), and how it serves HTTP.
 * Process-level calls (`process.stdout`, `process.exit`, `process.on` for signals) are the ones
 * Node, Bun and Deno all have.
 */
import { ConfigError, type ReadSettings, type Settings } from '../config/settings.js';
import type { LedgerStore } from '../ledger/store.js';
import { createLogger, type Logger } from '../logger.js';
import type { Metrics } from '../observability/metrics.js';
import { createLineWriter } from '../node/line-writer.js';
import { ledgerVariable, openLedgerStore } from '../node/open-ledger.js';
import { startScheduler } from '../reaping/scheduler.js';
import { indexed, ledgerPolicyOf } from '../sessions/session-ledger.js';
import { loadSharpResizer, type ThumbnailResizer } from '../thumbnails/resizer.js';
import { createTokenServer, type TokenServer, type TokenServerDeps } from '../token-server.js';

/** How long a shutdown waits for in-flight requests before it closes their connections. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** A server accepting requests. */
export interface Served {
  /** e.g. `http://127.0.0.1:8787` */
  url: string;
  /** Stops accepting, waits up to `graceMs` for open requests, then closes what is left. */
  close(graceMs: number): Promise<void>;
}

/** Stops start-up with its message on one line (after `equos-avatar token server: `), and exit code 1. */
export class StartFailure extends Error {
  override readonly name = 'StartFailure';
}

/** What the settings became before the ledger opened, and what to undo at the end. */
export interface Prepared {
  settings: Settings;
  /** Runs last at shutdown (and when start-up fails after `prepare`). */
  close?: () => Promise<void>;
}

/** What one runtime does its own way. */
export interface RuntimeEntry {
  /** Reads and checks the settings; throws `ConfigError` to stop with one line naming the variable. */
  readSettings(): ReadSettings;
  /**
   * Before the ledger opens: may put something in place of Equos (Node's local sandbox), or
   * throw `StartFailure` [nothing].
   */
  prepare?(settings: Settings, logger: Logger): Promise<Prepared>;
  /**
   * Opens the store `settings.ledger` names; rejects when it cannot be reached [`openLedgerStore`,
   * which loads only the store it opens].
   */
  openLedger?(settings: Settings): Promise<LedgerStore>;
  /** The token server's runtime-specific dependencies. */
  deps(settings: Settings, logger: Logger): Promise<Omit<TokenServerDeps, 'store' | 'logger'>>;
  /** Serves `server.fetch` on `settings.listen`; rejects (or throws) when it cannot listen. */
  serve(server: TokenServer, settings: Settings): Promise<Served>;
}

const PREFIX = 'equos-avatar token server';

/**
 * Runs an entry until SIGTERM or SIGINT; exits with 1, after one line on stderr, when it
 * cannot start.
 *
 * @example
 * await runEntry({
 *   readSettings: () => readNodeSettings(process.env),
 *   deps: async () => ({ assets: nodeAssets() }),
 *   serve: async (server, settings) => listen(server.app, settings.listen),
 * });
 */
export async function runEntry(entry: RuntimeEntry): Promise<void> {
  // Log lines leave in batches, one write per turn of the event loop (../node/line-writer.ts).
  const lines = createLineWriter();
  const fail = async (message: string, ...cleanUp: Array<(() => Promise<unknown>) | undefined>): Promise<never> => {
    lines.flush();
    process.stderr.write(`${PREFIX}: ${message}\n`);
    for (const step of cleanUp) await step?.().catch(() => {});
    process.exit(1);
  };

  let read: ReadSettings;
  try {
    read = entry.readSettings();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return fail(`invalid configuration: ${error.message}`);
  }
  const logger = createLogger({ level: read.settings.logLevel, secrets: secretsOf(read.settings), write: lines.write });
  for (const warning of read.warnings) logger.warn('config.warning', { message: warning });

  let prepared: Prepared = { settings: read.settings };
  try {
    if (entry.prepare) prepared = await entry.prepare(read.settings, logger);
  } catch (error) {
    if (!(error instanceof StartFailure)) throw error;
    return fail(error.message);
  }
  const { settings } = prepared;
  const variable = ledgerVariable(settings.ledger);

  let store: LedgerStore;
  try {
    store = await (entry.openLedger ?? openLedger)(settings);
  } catch (error) {
    return fail(`cannot open the session ledger (${variable}): ${(error as Error).message}`, prepared.close);
  }
  logger.info('ledger.opened', { store: store.kind, instance_id: settings.instanceId });

  const server = createTokenServer(settings, { ...(await entry.deps(settings, logger)), store, logger });
  try {
    const { clientTag } = await server.ready();
    logger.info('deployment.ready', { client_tag: clientTag, session_secret: settings.sessionSecret ? 'SESSION_SECRET' : 'kept in the ledger' });
  } catch (error) {
    return fail(`cannot use the session ledger (${variable}): ${(error as Error).message}`, () => store.close(), prepared.close);
  }
  const scheduler = startScheduler(server, settings.reaper);
  let served: Served;
  try {
    served = await entry.serve(server, settings);
  } catch (error) {
    return fail(listenFailure(error, settings.listen), () => scheduler.stop(), () => store.close(), prepared.close);
  }
  logger.info('server.listening', { url: served.url, equos: settings.usesSandbox ? 'local-sandbox' : 'cloud', presets: settings.presets.length });
  const demo = settings.demoPages ? `\n  Open ${served.url}/ and click the bubble to talk to ${settings.presets[0]?.displayName ?? 'the avatar'}.` : '';
  lines.flush();
  process.stdout.write(`\n  Equos avatar token server ready at ${served.url}${demo}\n\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('server.stopping', { signal });
    await served.close(SHUTDOWN_GRACE_MS);
    await scheduler.stop();
    await store.close();
    await prepared.close?.();
    logger.info('server.stopped', {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => {
    logger.error('process.unhandled-rejection', { error: reason instanceof Error ? reason.message : String(reason) });
  });
}

/** What no log line may show: the API key and the operator's tokens and secrets. */
function secretsOf(settings: Settings): string[] {
  return [settings.equos?.apiKey, settings.metricsToken, settings.usageToken, settings.webhook?.secret].filter((secret): secret is string => typeof secret === 'string' && secret !== '');
}

/**
 * The Prometheus metrics when METRICS_TOKEN asks for them (`GET /metrics`), else none: nothing
 * is counted that nobody reads. prom-client runs on Node, Bun and Deno; it is loaded only then.
 *
 * @param processMetrics also prom-client's process metrics [false] (on Deno they need --allow-sys)
 * @example const deps = { metrics: await metricsFor(settings) };
 */
export async function metricsFor(settings: Settings, processMetrics = false): Promise<Metrics | undefined> {
  if (!settings.metricsToken) return undefined;
  const { createPrometheusMetrics } = await import('../observability/prometheus.js');
  return createPrometheusMetrics({ processMetrics });
}

/** The store the settings name, indexing what an earlier version wrote under their policy. */
function openLedger(settings: Settings): Promise<LedgerStore> {
  const policy = ledgerPolicyOf(settings);
  return openLedgerStore(settings.ledger, (fields) => indexed(fields, policy));
}

/**
 * The `sharp` resizer, or null after a warning: without it the server still starts, and sends
 * browsers to each picture's source.
 *
 * @example const deps = { thumbnails: { resizer: await loadResizer(logger) } };
 */
export async function loadResizer(logger: Logger, note = 'sharp could not be loaded'): Promise<ThumbnailResizer | null> {
  // Loaded lazily (a dynamic import inside): a runtime without sharp's binary still starts.
  const resizer = await loadSharpResizer();
  if (!resizer) logger.warn('thumbnails.resizer.unavailable', { note: `${note}: preset pictures are served from their sources, full size.` });
  return resizer;
}

/**
 * Why a server could not listen, in one line: Node and Bun say `EADDRINUSE` in `code`, Deno
 * throws `Deno.errors.AddrInUse`.
 */
export function listenFailure(error: unknown, { host, port }: Settings['listen']): string {
  const { code, name } = (error ?? {}) as { code?: string; name?: string };
  if (code === 'EADDRINUSE' || name === 'AddrInUse') return `port ${port} is already in use (set PORT)`;
  return `cannot listen on ${host}:${port} (${code ?? name ?? 'error'})`;
}

/** The URL of a server on `host:port`, IPv6 hosts in brackets. */
export function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
