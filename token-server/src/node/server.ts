/**
 * The Node entry point (`npm start`): reads the environment, starts the local sandbox when
 * there is no Equos API key, opens the session ledger, builds the token server, runs its
 * background passes, listens, and shuts down gracefully on SIGTERM/SIGINT: in-flight
 * requests finish, running sessions stay in the ledger (a redeploy must not cut visitors
 * off; the next instance's reaper watches them).
 *
 * This is the only module that reads `process.env` or listens on a port.
 */
import type { Settings } from '../config/settings.js';
import { ConfigError } from '../config/settings.js';
import type { LedgerStore } from '../ledger/store.js';
import { createLogger } from '../logger.js';
import { startScheduler } from '../reaping/scheduler.js';
import { indexed, ledgerPolicyOf } from '../sessions/session-ledger.js';
import { loadSharpResizer } from '../thumbnails/resizer.js';
import { createTokenServer } from '../token-server.js';
import { nodeAssets } from './assets.js';
import { createEquosFetch } from './equos-fetch.js';
import { readNodeSettings } from './env.js';
import { createLineWriter } from './line-writer.js';
import { listen, type Listening } from './listen.js';
import { nodeHmac } from './node-hmac.js';
import { openLedgerStore } from './open-ledger.js';

const SHUTDOWN_GRACE_MS = 10_000;

// Log lines leave in batches, one write per turn of the event loop (./line-writer.ts).
const lines = createLineWriter();

async function main(): Promise<void> {
  let read: ReturnType<typeof readNodeSettings>;
  try {
    read = readNodeSettings(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`equos-avatar token server: invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
  let settings: Settings = read.settings;
  const logger = createLogger({ level: settings.logLevel, secrets: settings.equos ? [settings.equos.apiKey] : [], write: lines.write });
  for (const warning of read.warnings) logger.warn('config.warning', { message: warning });

  let closeSandbox: (() => Promise<void>) | undefined;
  if (!settings.equos) {
    // Loaded lazily: a production install (with a key) never touches the sandbox's code.
    const { startLocalSandbox } = await import('../../../sandbox/index.js');
    const sandbox = await startLocalSandbox();
    closeSandbox = sandbox.close;
    settings = {
      ...settings,
      equos: sandbox.equos,
      // The demo avatar's picture, for the launcher (served by the sandbox like Equos serves thumbnails).
      presets: settings.presets.map((preset) => (preset.thumbnailUrl ? preset : { ...preset, thumbnailUrl: sandbox.avatarThumbnailUrl })),
    };
    logger.info('sandbox.started', {
      equos_endpoint: sandbox.api.url,
      livekit_url: sandbox.livekit.url,
      note: 'EQUOS_API_KEY is not set: using the local Equos sandbox (session API, LiveKit server, demo avatar).',
    });
  }

  let store: LedgerStore;
  try {
    const policy = ledgerPolicyOf(settings);
    store = await openLedgerStore(settings.ledger, (fields) => indexed(fields, policy));
  } catch (error) {
    const variable = settings.ledger.kind === 'redis' ? 'REDIS_URL' : 'LEDGER_PATH';
    process.stderr.write(`equos-avatar token server: cannot open the session ledger (${variable}): ${(error as Error).message}\n`);
    await closeSandbox?.();
    process.exit(1);
  }
  logger.info('ledger.opened', { store: store.kind, instance_id: settings.instanceId });

  // Loaded lazily (a dynamic import): without sharp the server still starts, and sends browsers to each picture's source.
  const resizer = await loadSharpResizer();
  if (!resizer) logger.warn('thumbnails.resizer.unavailable', { note: 'sharp could not be loaded: preset pictures are served from their sources, full size.' });
  const server = createTokenServer(settings, { store, logger, assets: nodeAssets(), thumbnails: { resizer }, equosFetch: createEquosFetch(), hmac: nodeHmac });
  try {
    const { clientTag } = await server.ready();
    logger.info('deployment.ready', { client_tag: clientTag, session_secret: settings.sessionSecret ? 'SESSION_SECRET' : 'kept in the ledger' });
  } catch (error) {
    const variable = settings.ledger.kind === 'redis' ? 'REDIS_URL' : 'LEDGER_PATH';
    process.stderr.write(`equos-avatar token server: cannot use the session ledger (${variable}): ${(error as Error).message}\n`);
    await store.close();
    await closeSandbox?.();
    process.exit(1);
  }
  const scheduler = startScheduler(server, settings.reaper);
  let listening: Listening;
  try {
    listening = await listen(server.app, settings.listen);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const { host, port } = settings.listen;
    const why = code === 'EADDRINUSE' ? `port ${port} is already in use (set PORT)` : `cannot listen on ${host}:${port} (${code ?? 'error'})`;
    process.stderr.write(`equos-avatar token server: ${why}\n`);
    await scheduler.stop();
    await store.close();
    await closeSandbox?.();
    process.exit(1);
  }
  logger.info('server.listening', { url: listening.url, equos: read.settings.equos ? 'cloud' : 'local-sandbox', presets: settings.presets.length });
  const demo = settings.demoPages ? `\n  Open ${listening.url}/ and click the bubble to talk to ${settings.presets[0]?.displayName ?? 'the avatar'}.` : '';
  lines.flush();
  process.stdout.write(`\n  Equos avatar token server ready at ${listening.url}${demo}\n\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('server.stopping', { signal });
    await listening.close(SHUTDOWN_GRACE_MS);
    await scheduler.stop();
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
