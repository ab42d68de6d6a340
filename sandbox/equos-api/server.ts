/** Runs the Equos API double on a loopback port. */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEquosApiDouble, type EquosApiDouble, type EquosApiDoubleOptions } from './app.js';

/** A running double. */
export interface RunningEquosApiDouble extends Omit<EquosApiDouble, 'app'> {
  /** Base URL to use as `EQUOS_ENDPOINT`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the double on 127.0.0.1 [port 0: a free one].
 *
 * @example
 * const equos = await startEquosApiDouble({ apiKey });
 * // … EQUOS_ENDPOINT=equos.url …
 * await equos.close();
 */
export async function startEquosApiDouble(
  options: EquosApiDoubleOptions & { port?: number; extend?: (app: EquosApiDouble['app']) => void },
): Promise<RunningEquosApiDouble> {
  const { app, state, faults } = createEquosApiDouble(options);
  options.extend?.(app);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: options.port ?? 0 }) as Server;
    listening.once('error', reject).once('listening', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    faults,
    async close() {
      state.dispose();
      // A stand-in has no requests worth draining: calls held by a `delay` fault are cut.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
