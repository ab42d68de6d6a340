/**
 * The Bun entry point (`bun token-server/src/bun/server.ts`): the Node entry's counterpart on
 * `Bun.serve`, sharing its start-up and shutdown sequence (../runtime/start.ts). It needs a real
 * Equos key and the Redis ledger (../runtime/requirements.ts), tells the per-visitor limits each
 * connection's address (`server.requestIP`, through `hono/bun`'s `getConnInfo`), serves the
 * widget's files from this checkout (node:fs, which Bun has) and resizes pictures with sharp,
 * which loads on Bun. Equos is called with Bun's own `fetch`, HMACs are Web Crypto's.
 *
 * This and the Node and Deno entries are the only modules that read the environment or listen.
 */
import { getConnInfo } from 'hono/bun';
import { nodeAssets } from '../node/assets.js';
import { readNodeSettings } from '../node/env.js';
import { requireKeyAndRedis } from '../runtime/requirements.js';
import { loadResizer, metricsFor, runEntry, urlOf } from '../runtime/start.js';

/** What this entry uses of Bun's API (Bun's own types are not part of the Node build's). */
interface BunServer {
  readonly port: number;
  /** Graceful unless `closeActiveConnections`: stops accepting, resolves once open requests are answered. */
  stop(closeActiveConnections?: boolean): Promise<void>;
  requestIP(request: Request): { address: string; family: string; port: number } | null;
}
declare const Bun: {
  serve(options: { hostname: string; port: number; fetch(request: Request, server: BunServer): Response | Promise<Response> }): BunServer;
};

await runEntry({
  readSettings: () => requireKeyAndRedis(readNodeSettings(process.env), 'Bun'),
  async deps(settings, logger) {
    return {
      assets: nodeAssets(),
      metrics: await metricsFor(settings),
      thumbnails: { resizer: await loadResizer(logger) },
      connectionAddress: (c) => getConnInfo(c).remote.address,
    };
  },
  async serve(server, settings) {
    const { host, port } = settings.listen;
    // The server is the env: `getConnInfo` asks it for the request's address. Bun's idleTimeout
    // (10 s) does not cut a request waiting for its answer: a create may wait for Equos as long
    // as EQUOS_CREATE_TIMEOUT_S says (the tests prove it).
    const bun = Bun.serve({ hostname: host, port, fetch: (request, bunServer) => server.fetch(request, bunServer) });
    return {
      url: urlOf(host, bun.port),
      async close(graceMs) {
        const force = setTimeout(() => void bun.stop(true), graceMs);
        await bun.stop();
        clearTimeout(force);
      },
    };
  },
});
