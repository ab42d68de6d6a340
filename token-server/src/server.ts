/**
 * The Node entry point (`npm start`): reads the environment, starts the local sandbox when
 * there is no Equos API key, listens, and shuts down gracefully on SIGTERM/SIGINT.
 *
 * This is the only module that reads `process.env` or listens on a port.
 */
import { createTokenServer } from './app.js';
import { ConfigError, loadConfig, type LoadedConfig } from './config.js';
import { listen, type Listening } from './listen.js';
import { createLogger } from './logger.js';
import { nodeAssets } from './node-assets.js';

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
  const logger = createLogger({ secrets: config.equos ? [config.equos.apiKey] : [] });
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

  const app = createTokenServer({ ...config, equos, presets }, { logger, assets: nodeAssets() });
  let server: Listening;
  try {
    server = await listen(app, where);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `port ${where.port} is already in use (set PORT)` : `cannot listen on ${where.host}:${where.port} (${code ?? 'error'})`;
    process.stderr.write(`equos-avatar token server: ${why}\n`);
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
