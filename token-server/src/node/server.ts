/**
 * The Node entry point (`npm start`): reads the environment, starts the local sandbox when
 * there is no Equos API key, opens the session ledger, builds the token server, runs its
 * background passes, listens, and shuts down gracefully on SIGTERM/SIGINT: in-flight
 * requests finish, running sessions stay in the ledger (a redeploy must not cut visitors
 * off; the next instance's reaper watches them).
 *
 * This, and the Bun and Deno entries beside it (../bun/, ../deno/), are the only modules that
 * read the environment or listen on a port. Production runs its build, dist/server/node.mjs
 * (scripts/build-server.mjs), which has no sandbox.
 */
import { loadResizer, metricsFor, runEntry, StartFailure } from '../runtime/start.js';
import { nodeAssets } from './assets.js';
import { createEquosFetch } from './equos-fetch.js';
import { readNodeSettings } from './env.js';
import { listen } from './listen.js';
import { nodeHmac } from './node-hmac.js';

// False in the production build (scripts/build-server.mjs); undefined from the sources.
declare const __EQUOS_SANDBOX__: boolean | undefined;

/**
 * Loads the local sandbox; null in the production build, which leaves its code out (it needs
 * development dependencies such as werift and ws): the define settles this at build time, so
 * the bundler drops the import.
 */
const loadSandbox = typeof __EQUOS_SANDBOX__ === 'boolean' && !__EQUOS_SANDBOX__ ? null : () => import('../../../sandbox/index.js');

// The sequence (settings, ledger, ready, scheduler, listen, shutdown) is every entry's: ../runtime/start.ts.
await runEntry({
  readSettings: () => readNodeSettings(process.env),
  async prepare(settings, logger) {
    if (settings.equos) return { settings };
    if (!loadSandbox) {
      throw new StartFailure('EQUOS_API_KEY is not set: the production build has no local sandbox; set EQUOS_API_KEY (the sandbox runs with `npm start` from a development install)');
    }
    // Loaded lazily: a production install (with a key) never touches the sandbox's code.
    const { startLocalSandbox } = await loadSandbox();
    const sandbox = await startLocalSandbox();
    logger.info('sandbox.started', {
      equos_endpoint: sandbox.api.url,
      livekit_url: sandbox.livekit.url,
      note: 'EQUOS_API_KEY is not set: using the local Equos sandbox (session API, LiveKit server, demo avatar).',
    });
    return {
      settings: {
        ...settings,
        equos: sandbox.equos,
        // The demo avatar's picture, for the launcher (served by the sandbox like Equos serves thumbnails).
        presets: settings.presets.map((preset) => (preset.thumbnailUrl ? preset : { ...preset, thumbnailUrl: sandbox.avatarThumbnailUrl })),
      },
      close: sandbox.close,
    };
  },
  async deps(settings, logger) {
    return {
      assets: nodeAssets(),
      thumbnails: { resizer: await loadResizer(logger) },
      equosFetch: createEquosFetch(),
      hmac: nodeHmac,
      // The connection's address: the default, Node's socket (`c.env.incoming`).
      metrics: await metricsFor(settings, true),
    };
  },
  async serve(server, settings) {
    const listening = await listen(server.app, settings.listen);
    return { url: listening.url, close: (graceMs) => listening.close(graceMs) };
  },
});
