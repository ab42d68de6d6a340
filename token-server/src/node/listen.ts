/**
 * Starts a Hono app on Node's HTTP server and resolves once it listens, with a `close` that
 * waits for in-flight requests and then ends idle keep-alive connections.
 */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening server. */
export interface Listening {
  /** e.g. `http://127.0.0.1:8787` */
  url: string;
  port: number;
  server: Server;
  /** Stops accepting, waits up to `graceMs` [10000] for open requests, then closes. */
  close(graceMs?: number): Promise<void>;
}

/** Anything with Hono's `fetch`, e.g. a `Hono` app. */
export type FetchApp = Pick<Parameters<typeof serve>[0], 'fetch'>;

/**
 * Listens on `host:port` (port 0 picks a free one).
 *
 * @example
 * const { url, close } = await listen(app, { host: '127.0.0.1', port: 0 });
 */
export function listen(app: FetchApp, options: { host: string; port: number }): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: options.host, port: options.port }) as Server;
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        url: `http://${hostInUrl}:${port}`,
        port,
        server,
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            const force = setTimeout(() => server.closeAllConnections(), graceMs);
            force.unref();
            // A connection whose request finishes during the drain turns idle (keep-alive):
            // close those as they appear rather than waiting for the client's keep-alive timeout.
            const idle = setInterval(() => server.closeIdleConnections(), 50);
            server.close(() => {
              clearTimeout(force);
              clearInterval(idle);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
