/**
 * The Vue example's server: a page and its bundle (Vue's full build, with the template
 * compiler, in development mode so that every Vue warning shows).
 *
 * Run: `npx tsx examples/vue/server.ts` (EQUOS_SERVER [http://127.0.0.1:8787], PORT [3001]).
 */
import { createRequire } from 'node:module';
import { bundle, serve, type ExampleServer } from '../serve.js';

const require = createRequire(import.meta.url);

/** The page: an empty mount point that carries the token server's address. */
export function renderPage(server: string): string {
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Lumen desk lamp · Equos avatar in Vue</title><link rel="icon" href="data:," /></head>
  <body>
    <div id="app" data-server="${server.replace(/[&"<]/g, (c) => `&#${c.charCodeAt(0)};`)}"></div>
    <script type="module" src="/client.js"></script>
  </body>
</html>`;
}

/** Builds the browser bundle and serves the example. */
export async function startVueExample(server: string, port = 0): Promise<ExampleServer> {
  const client = await bundle(new URL('client.ts', import.meta.url).pathname, {
    // The build with the template compiler; the flags Vue's bundler builds ask to be set.
    alias: { vue: require.resolve('vue/dist/vue.esm-bundler.js') },
    define: { __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
  });
  return serve({ '/': () => ({ type: 'text/html', body: renderPage(server) }), '/client.js': () => ({ type: 'text/javascript', body: client }) }, port);
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const example = await startVueExample(process.env.EQUOS_SERVER ?? 'http://127.0.0.1:8787', Number(process.env.PORT ?? 3001));
  process.stdout.write(`Vue example: ${example.url}\n`);
}
