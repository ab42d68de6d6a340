/**
 * The whole product on loopback for browser tests, end-to-end tests and benchmarks: the
 * local sandbox (Equos double, LiveKit server, demo avatar) and a real token server in
 * front of it serving the built widget and the example pages. This folder is the only place
 * that puts the two together: the sandbox stands in for Equos and knows nothing of the product.
 */
import { readSettings } from '../token-server/src/config/settings.js';
import { createMemoryStore } from '../token-server/src/ledger/memory-store.js';
import type { LedgerStore } from '../token-server/src/ledger/store.js';
import { silentLogger } from '../token-server/src/logger.js';
import type { StaticAssets } from '../token-server/src/http/routes/static-files.js';
import { nodeAssets } from '../token-server/src/node/assets.js';
import { listen } from '../token-server/src/node/listen.js';
import { startScheduler } from '../token-server/src/reaping/scheduler.js';
import { loadSharpResizer } from '../token-server/src/thumbnails/resizer.js';
import { createTokenServer } from '../token-server/src/token-server.js';
import { LIFTED_LIMITS } from '../token-server/test/server-process.js';
import { startLocalSandbox, type LocalSandbox, type LocalSandboxOptions } from '../sandbox/index.js';

/** A running stack. */
export interface TestStack {
  sandbox: LocalSandbox;
  /** The token server, e.g. `http://127.0.0.1:41234` (also serves /equos-avatar.js and /examples/…). */
  tokenServerUrl: string;
  /** Its session ledger (a reaper watches it, quickly). */
  store: LedgerStore;
  /**
   * A second token server in front of the same sandbox, set up as a real site's would be:
   * only `https://shop.example` may call it, so every test page is a page it refuses.
   */
  refusingTokenServerUrl: string;
  /**
   * A third token server like the first whose panel's and French files were altered after the
   * build (`tamperedAssets`): what the widget's integrity checks must refuse.
   */
  tamperingTokenServerUrl: string;
  close(): Promise<void>;
}

/** Presets of the test token server. */
export const TEST_PRESETS = [
  { name: 'default', displayName: 'Ava', avatarId: 'sandbox-avatar', agentId: 'sandbox-agent', maxDurationS: 600 },
  { name: 'short', displayName: 'Ava', avatarId: 'sandbox-avatar', agentId: 'sandbox-agent', maxDurationS: 30 },
  {
    name: 'page-vars',
    displayName: 'Ava',
    avatarId: 'sandbox-avatar',
    agentId: 'sandbox-agent',
    maxDurationS: 600,
    pageVars: [
      { name: 'product', maxLength: 80 },
      { name: 'page_title', maxLength: 80 },
    ],
  },
];

/** The files `tamperedAssets` alters: the panel's and the French words'. */
export const TAMPERED_FILE = /^\/equos-avatar-(?:panel|fr)\.[0-9a-f]{10}\.js(?:\.br|\.gz)?$/;

/**
 * The built widget with the `TAMPERED_FILE`s altered after the build, as a compromised CDN or
 * proxy might: a line appended to each, their compressed copies withheld so that the altered
 * bytes are what is sent. Everything else, the launcher and the integrity index included, as built.
 */
export function tamperedAssets(assets: StaticAssets): StaticAssets {
  return {
    async read(path) {
      if (!TAMPERED_FILE.test(path)) return assets.read(path);
      const bytes = path.endsWith('.js') ? await assets.read(path) : null;
      return bytes && new Uint8Array([...bytes, ...new TextEncoder().encode('\nconsole.log("altered");\n')]);
    },
  };
}

/** Starts the stack; any origin may call the token server (test pages come from other ports). */
export async function startTestStack(options: LocalSandboxOptions = {}): Promise<TestStack> {
  const sandbox = await startLocalSandbox(options);
  const store = createMemoryStore();
  const { settings } = readSettings({
    EQUOS_API_KEY: sandbox.equos.apiKey,
    EQUOS_ENDPOINT: sandbox.equos.endpoint,
    EQUOS_AVATAR_ID: 'sandbox-avatar',
    EQUOS_CLIENT: 'test-stack',
    INSTANCE_ID: 'test-stack',
    ALLOWED_ORIGINS: '*',
    DEVELOPMENT_MODE: 'on',
    DEMO_PAGES: 'on',
    SESSION_SECRET: 'test-stack-session-secret-0123456789abcdef',
    // Heartbeats every second, so tests see them quickly; a reaper that acts quickly too.
    HEARTBEAT_INTERVAL_S: '1',
    HEARTBEAT_TIMEOUT_S: '60',
    REAPER_INTERVAL_S: '0.25',
    REAPER_RETRY_BASE_S: '0.1',
    // Every test visitor is 127.0.0.1.
    ...LIFTED_LIMITS,
  });
  const server = createTokenServer(
    {
      ...settings,
      presets: TEST_PRESETS.map((preset) => ({ ...preset, thumbnailUrl: sandbox.avatarThumbnailUrl })),
      defaultPreset: 'default',
      equosRetry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
    },
    // Pictures resized as `npm start` serves them, so the suites see what visitors load.
    { store, logger: silentLogger, assets: nodeAssets(), thumbnails: { resizer: await loadSharpResizer() } },
  );
  const scheduler = startScheduler(server, settings.reaper);
  const listening = await listen(server.app, { host: '127.0.0.1', port: 0 });
  const refusing = readSettings({
    EQUOS_API_KEY: sandbox.equos.apiKey,
    EQUOS_ENDPOINT: sandbox.equos.endpoint,
    EQUOS_AVATAR_ID: 'sandbox-avatar',
    EQUOS_CLIENT: 'test-stack-refusing',
    INSTANCE_ID: 'test-stack-refusing',
    ALLOWED_ORIGINS: 'https://shop.example',
    SESSION_SECRET: 'test-stack-refusing-secret-0123456789abcdef',
  }).settings;
  const refusingServer = createTokenServer(refusing, { store: createMemoryStore(), logger: silentLogger, assets: nodeAssets() });
  const refusingListening = await listen(refusingServer.app, { host: '127.0.0.1', port: 0 });
  const tamperingServer = createTokenServer(
    { ...settings, presets: TEST_PRESETS.map((preset) => ({ ...preset, thumbnailUrl: sandbox.avatarThumbnailUrl })), defaultPreset: 'default' },
    { store: createMemoryStore(), logger: silentLogger, assets: tamperedAssets(nodeAssets()) },
  );
  const tamperingListening = await listen(tamperingServer.app, { host: '127.0.0.1', port: 0 });
  return {
    sandbox,
    tokenServerUrl: listening.url,
    store,
    refusingTokenServerUrl: refusingListening.url,
    tamperingTokenServerUrl: tamperingListening.url,
    async close() {
      await tamperingListening.close(1000);
      await refusingListening.close(1000);
      await listening.close(1000);
      await scheduler.stop();
      await sandbox.close();
    },
  };
}
