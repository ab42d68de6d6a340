/**
 * The Node entry point (`npm start`): reads the environment, starts the local sandbox when
 * there is no Equos API key, opens the session ledger, starts the reaper, listens, and shuts
 * down gracefully on SIGTERM/SIGINT: in-flight requests finish, running sessions stay in the
 * ledger (a redeploy must not cut visitors off; the next instance's reaper watches them).
 *
 * This is the only module that reads `process.env` or listens on a port.
 */
import { createTokenServer } from './app.js';
import { ConfigError, DEFAULT_HEARTBEAT, loadConfig, type LoadedConfig } from './config.js';
import { openLedgerStore } from './ledger/open-store.js';
import { startReaper } from './ledger/reaper.js';
import type { LedgerStore } from './ledger/store.js';
import { listen, type Listening } from './listen.js';
import { createLogger } from './logger.js';
import { nodeAssets } from './node-assets.js';
import { createEquosClient } from './upstream/equos-client.js';
import { resilientSessions } from './upstream/resilient-sessions.js';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`equos-avatar token server: invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
  const { config, listen: where, warnings } = loaded;
  const logger = createLogger({ level: where.logLevel, secrets: config.equos ? [config.equos.apiKey] : [] });
  for (const warning of warnings) logger.warn('config.warning', { message: warning });

  let equos = config.equos;
  let presets = config.presets;
  let closeSandbox: (() => Promise<void>) | undefined;
  if (!equos) {
    // Loaded lazily: a production install (with a key) never touches the sandbox's code.
    const { startLocalSandbox } = await import('../../sandbox/index.js');
    const sandbox = await startLocalSandbox();
    equos = sandbox.equos;
    closeSandbox = sandbox.close;
    // The demo avatar's picture, for the launcher (served by the sandbox like Equos serves thumbnails).
    presets = presets.map((preset) => (preset.thumbnailUrl ? preset : { ...preset, thumbnailUrl: sandbox.avatarThumbnailUrl }));
    logger.info('sandbox.started', {
      equos_endpoint: sandbox.api.url,
      livekit_url: sandbox.livekit.url,
      note: 'EQUOS_API_KEY is not set: using the local Equos sandbox (session API, LiveKit server, demo avatar).',
    });
  }

  let store: LedgerStore;
  try {
    store = await openLedgerStore(where.ledger);
  } catch (error) {
    const variable = where.ledger.kind === 'redis' ? 'REDIS_URL' : 'LEDGER_PATH';
    process.stderr.write(`equos-avatar token server: cannot open the session ledger (${variable}): ${(error as Error).message}\n`);
    await closeSandbox?.();
    process.exit(1);
  }
  logger.info('ledger.opened', { store: store.kind, instance_id: where.instanceId });

  const client = createEquosClient(equos);
  const upstream = { deadlines: where.deadlines };
  const { orphanSweepMs, ...reaperTiming } = where.reaper;
  const reaper = startReaper({
    store,
    // One attempt per pass: the reaper's own backoff (kept in the ledger) does the retrying,
    // so a failing stop never holds up a pass.
    equos: resilientSessions(client.sessions, { ...upstream, secrets: [equos.apiKey], stopRetry: { attempts: 1 } }),
    logger,
    instanceId: where.instanceId,
    ...reaperTiming,
    heartbeatTimeoutMs: (config.heartbeat?.timeoutS ?? DEFAULT_HEARTBEAT.timeoutS) * 1000,
    // A claim outlives one stop attempt (bounded by its deadline) but not much more, so the
    // sessions of an instance killed mid-stop are picked up again soon.
    leaseMs: where.deadlines.stop + 2000,
    ...(orphanSweepMs > 0
      ? {
          orphans: {
            clientTag: config.clientTag,
            everyMs: orphanSweepMs,
            // Older than any create still in flight (which will record its session itself).
            minAgeMs: where.deadlines.create + 5000,
          },
        }
      : {}),
  });

  const app = createTokenServer({ ...config, equos, presets }, { logger, assets: nodeAssets(), store, equos: client, upstream, onPossibleOrphan: reaper.sweepSoon });
  let server: Listening;
  try {
    server = await listen(app, where);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `port ${where.port} is already in use (set PORT)` : `cannot listen on ${where.host}:${where.port} (${code ?? 'error'})`;
    process.stderr.write(`equos-avatar token server: ${why}\n`);
    await reaper.stop();
    await store.close();
    await closeSandbox?.();
    process.exit(1);
  }
  logger.info('server.listening', { url: server.url, equos: config.equos ? 'cloud' : 'local-sandbox', presets: config.presets.length });
  const demo = config.demoPages === false ? '' : `\n  Open ${server.url}/ and click the bubble to talk to ${presets[0]?.displayName ?? 'the avatar'}.`;
  process.stdout.write(`\n  Equos avatar token server ready at ${server.url}${demo}\n\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('server.stopping', { signal });
    await server.close(SHUTDOWN_GRACE_MS);
    await reaper.stop();
    await store.close();
    await closeSandbox?.();
    logger.info('server.stopped', {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => {
    logger.error('process.unhandled-rejection', { error: reason instanceof Error ? reason.message : String(reason) });
  });
}

await main();
