/**
 * The local stand-in for Equos Cloud that `npm start` runs when no `EQUOS_API_KEY` is set.
 *
 * For now it is the Equos session API double; the LiveKit-protocol server and the demo
 * avatar join it in the sandbox issue (#3).
 */
import { randomBytes } from 'node:crypto';
import type { EquosConnection } from '../token-server/src/config.js';
import { startEquosApiDouble, type RunningEquosApiDouble } from './equos-api/server.js';

/** A running local sandbox. */
export interface LocalSandbox {
  /** Where the token server finds the sandbox's Equos API. */
  equos: EquosConnection;
  api: RunningEquosApiDouble;
  close(): Promise<void>;
}

/** Starts the sandbox on loopback with a one-off API key. */
export async function startLocalSandbox(): Promise<LocalSandbox> {
  const apiKey = `sandbox_${randomBytes(18).toString('base64url')}`;
  const api = await startEquosApiDouble({ apiKey });
  return { equos: { apiKey, endpoint: api.url }, api, close: () => api.close() };
}
