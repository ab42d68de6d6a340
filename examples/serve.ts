/**
 * What the React and Vue examples share: their browser code bundled with the project's
 * esbuild, and a tiny Node server on loopback that serves a page and that bundle.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build, type BuildOptions } from 'esbuild';

/** A running example server. */
export interface ExampleServer {
  /** e.g. `http://127.0.0.1:41234/` */
  url: string;
  close(): Promise<void>;
}

/** A page's response: HTML for `/`, the bundle for `/client.js`. */
export type Routes = Record<string, () => { type: string; body: string }>;

/**
 * Bundles `entry` for the browser, in development mode so that React and Vue print every
 * warning (hydration mismatches, unknown elements) a test should see. `import 'equos-avatar'`
 * is the package's element module (dist/npm/equos-avatar.mjs, `node scripts/build.mjs`),
 * through this repository's own package.json `exports`, as in any app that installs it.
 */
export async function bundle(entry: string, options: Pick<BuildOptions, 'alias' | 'define'> = {}): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    write: false,
    target: 'es2022',
    jsx: 'automatic',
    // Not examples/tsconfig.json: its `paths` point `equos-avatar` at the source, for type checks only.
    tsconfigRaw: {},
    logLevel: 'warning',
    alias: options.alias,
    define: { 'process.env.NODE_ENV': '"development"', ...options.define },
  });
  return result.outputFiles[0]!.text;
}

/** Serves `routes` on 127.0.0.1 (`port` 0: a free one). */
export async function serve(routes: Routes, port = 0): Promise<ExampleServer> {
  const server = createServer((request, response) => {
    const route = routes[new URL(request.url ?? '/', 'http://localhost').pathname];
    if (!route) {
      response.writeHead(404).end();
      return;
    }
    try {
      const { type, body } = route();
      response.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' }).end(body);
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A browser's kept-alive connections would hold the close open.
        server.closeAllConnections();
      }),
  };
}

/** Escapes a value for a `<script type="application/json">` (no `</script>` inside). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
