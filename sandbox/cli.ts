/**
 * Runs the local sandbox on its own (`npm run sandbox`), for trying the token server or any
 * LiveKit app by hand, and for benchmarks that measure it as a separate process.
 *
 *   EQUOS_API_KEY=sk_local_123456 SANDBOX_EQUOS_PORT=9400 npm run sandbox
 *   EQUOS_ENDPOINT=http://127.0.0.1:9400 EQUOS_API_KEY=sk_local_123456 EQUOS_AVATAR_ID=sandbox-avatar npm start
 *
 * Prints one JSON line when ready: `{ "equos_endpoint", "api_key", "livekit_url", "ready_ms" }`.
 */
import { startLocalSandbox } from './index.js';

const started = performance.now();
const port = (name: string) => (process.env[name] ? Number(process.env[name]) : 0);
const sandbox = await startLocalSandbox({
  ...(process.env.EQUOS_API_KEY ? { apiKey: process.env.EQUOS_API_KEY } : {}),
  equosPort: port('SANDBOX_EQUOS_PORT'),
  livekitPort: port('SANDBOX_LIVEKIT_PORT'),
});
process.stdout.write(
  `${JSON.stringify({
    equos_endpoint: sandbox.equos.endpoint,
    api_key: sandbox.equos.apiKey,
    livekit_url: sandbox.livekit.url,
    ready_ms: Math.round(performance.now() - started),
  })}\n`,
);
const stop = () => void sandbox.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
