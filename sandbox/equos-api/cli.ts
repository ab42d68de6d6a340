/**
 * Runs the Equos API double on its own, for trying the token server by hand:
 *
 *   EQUOS_API_KEY=sk_local_123456 PORT=9400 npm run sandbox:equos-api
 *   EQUOS_ENDPOINT=http://127.0.0.1:9400 EQUOS_API_KEY=sk_local_123456 EQUOS_AVATAR_ID=sandbox-avatar npm start
 *
 * Faults can be injected over HTTP: POST /__sandbox/faults {"route":"stop","fault":{"kind":"status","status":503},"times":2}
 */
import { startEquosApiDouble } from './server.js';

const apiKey = process.env.EQUOS_API_KEY;
if (!apiKey) {
  process.stderr.write('sandbox:equos-api: set EQUOS_API_KEY to the key the double should accept.\n');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 9400);
const equos = await startEquosApiDouble({ apiKey, port });
process.stdout.write(`Equos API double listening at ${equos.url} (sessions: GET ${equos.url}/__sandbox/sessions)\n`);
const stop = () => void equos.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
