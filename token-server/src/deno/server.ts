/**
 * The Deno entry point: the Node entry's counterpart on `Deno.serve`, sharing its start-up and
 * shutdown sequence (../runtime/start.ts). Run from the checkout (README, "On Deno"):
 *
 *   deno run --sloppy-imports --allow-env --allow-net --allow-read --allow-sys=hostname \
 *     token-server/src/deno/server.ts
 *
 * (`--sloppy-imports`: the sources import `./x.js` for `./x.ts`, as TypeScript on Node wants.)
 * It needs a real Equos key and the Redis ledger (../runtime/requirements.ts), tells the
 * per-visitor limits each connection's address (`info.remoteAddr`, through `hono/deno`'s
 * `getConnInfo`), and serves the widget's files from this checkout (node:fs, which Deno has).
 * sharp resizes pictures only with `--allow-ffi` (it is a native library); without it the
 * pictures are served from their sources. Equos is called with Deno's `fetch`, HMACs are Web
 * Crypto's.
 *
 * This and the Node and Bun entries are the only modules that read the environment or listen.
 */
import { getConnInfo } from 'hono/deno';
import { nodeAssets } from '../node/assets.js';
import { readNodeSettings } from '../node/env.js';
import { requireKeyAndRedis } from '../runtime/requirements.js';
import { loadResizer, metricsFor, runEntry, urlOf } from '../runtime/start.js';

/** What this entry uses of Deno's API (Deno's own types are not part of the Node build's). */
interface ServeHandlerInfo {
  remoteAddr: { transport: 'tcp' | 'udp'; hostname: string; port: number };
}
interface DenoServer {
  readonly addr: { hostname: string; port: number };
  /** Stops accepting, resolves once open requests are answered. */
  shutdown(): Promise<void>;
}
declare const Deno: {
  env: { toObject(): Record<string, string> };
  serve(options: { hostname: string; port: number; onListen(address: unknown): void }, handler: (request: Request, info: ServeHandlerInfo) => Response | Promise<Response>): DenoServer;
};

await runEntry({
  // Deno.env.toObject() needs --allow-env (all of it: the settings read many variables).
  readSettings: () => requireKeyAndRedis(readNodeSettings(Deno.env.toObject()), 'Deno'),
  async deps(settings, logger) {
    return {
      assets: nodeAssets(),
      metrics: await metricsFor(settings),
      thumbnails: { resizer: await loadResizer(logger, 'sharp could not be loaded (it needs --allow-ffi on Deno)') },
      connectionAddress: (c) => getConnInfo(c).remote.address,
    };
  },
  async serve(server, settings) {
    const { host, port } = settings.listen;
    // onListen: the ready line is runEntry's, not Deno's own "Listening on …".
    const deno = Deno.serve({ hostname: host, port, onListen() {} }, (request, info) => server.fetch(request, info));
    return {
      url: urlOf(host, deno.addr.port),
      async close(graceMs) {
        // What is still open after the grace ends with the process.
        await Promise.race([deno.shutdown(), new Promise((resolve) => setTimeout(resolve, graceMs))]);
      },
    };
  },
});
