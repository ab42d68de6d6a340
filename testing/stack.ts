/**
 * The whole product on loopback for browser tests, end-to-end tests and benchmarks: the
 * local sandbox (Equos double, LiveKit server, demo avatar) and a real token server in
 * front of it serving the built widget and the example pages. This folder is the only place
 * that puts the two together: the sandbox stands in for Equos and knows nothing of the product.
 */
import { createTokenServer } from '../token-server/src/app.js';
import { createMemoryStore } from '../token-server/src/ledger/memory-store.js';
import { startReaper } from '../token-server/src/ledger/reaper.js';
import type { LedgerStore } from '../token-server/src/ledger/store.js';
import { listen } from '../token-server/src/listen.js';
import { silentLogger } from '../token-server/src/logger.js';
import { nodeAssets } from '../token-server/src/node-assets.js';
import { createEquosClient } from '../token-server/src/upstream/equos-client.js';
import { resilientSessions } from '../token-server/src/upstream/resilient-sessions.js';
import { startLocalSandbox, type LocalSandbox, type LocalSandboxOptions } from '../sandbox/index.js';

/** A running stack. */
export interface TestStack {
  sandbox: LocalSandbox;
  /** The token server, e.g. `http://127.0.0.1:41234` (also serves /equos-avatar.js and /examples/…). */
  tokenServerUrl: string;
  /** Its session ledger (a reaper watches it, quickly). */
  store: LedgerStore;
  close(): Promise<void>;
}

/** Presets of the test token server. */
export const TEST_PRESETS = [
  { name: 'default', displayName: 'Ava', avatarId: 'sandbox-avatar', agentId: 'sandbox-agent', maxDurationS: 600 },
  { name: 'short', displayName: 'Ava', avatarId: 'sandbox-avatar', agentId: 'sandbox-agent', maxDurationS: 30 },
];

/** Starts the stack; any origin may call the token server (test pages come from other ports). */
export async function startTestStack(options: LocalSandboxOptions = {}): Promise<TestStack> {
  const sandbox = await startLocalSandbox(options);
  const store = createMemoryStore();
  const equos = createEquosClient(sandbox.equos);
  const reaper = startReaper({
    store,
    equos: resilientSessions(equos.sessions),
    logger: silentLogger,
    instanceId: 'test-stack',
    intervalMs: 250,
    retryBaseMs: 100,
    heartbeatTimeoutMs: 60_000,
  });
  const app = createTokenServer(
    {
      equos: sandbox.equos,
      presets: TEST_PRESETS.map((preset) => ({ ...preset, thumbnailUrl: sandbox.avatarThumbnailUrl })),
      defaultPreset: 'default',
      allowedOrigins: '*',
      sessionSecret: 'test-stack-session-secret-0123456789abcdef',
      maxSessionSeconds: 600,
      clientTag: 'test-stack',
      demoPages: true,
      // Heartbeats every second, so tests see them quickly.
      heartbeat: { intervalS: 1, timeoutS: 60 },
      // Every test visitor is 127.0.0.1.
      limits: { ratePerMinute: 100_000, siteRatePerMinute: 100_000, perVisitor: 100_000, concurrent: 100_000 },
    },
    { logger: silentLogger, assets: nodeAssets(), store, equos, upstream: { stopRetry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 200 } } },
  );
  const server = await listen(app, { host: '127.0.0.1', port: 0 });
  return {
    sandbox,
    tokenServerUrl: server.url,
    store,
    async close() {
      await server.close(1000);
      await reaper.stop();
      await sandbox.close();
    },
  };
}
