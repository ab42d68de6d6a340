/**
 * The React example's server: renders the product page with `react-dom/server`, and serves
 * it with the browser bundle that hydrates it.
 *
 * Run: `npx tsx examples/react/server.tsx` (EQUOS_SERVER [http://127.0.0.1:8787], PORT [3000]).
 */
import { renderToString } from 'react-dom/server';
import { bundle, jsonForScript, serve, type ExampleServer } from '../serve.js';
import { ProductPage, type ProductPageProps } from './product-page.js';

/** The page as the server sends it: the app rendered, and the props the browser hydrates it with. */
export function renderPage(props: ProductPageProps): string {
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Lumen desk lamp · Equos avatar in React</title><link rel="icon" href="data:," /></head>
  <body>
    <div id="app">${renderToString(<ProductPage {...props} />)}</div>
    <script type="application/json" id="props">${jsonForScript(props)}</script>
    <script type="module" src="/client.js"></script>
  </body>
</html>`;
}

/** Builds the browser bundle and serves the example. */
export async function startReactExample(props: ProductPageProps, port = 0): Promise<ExampleServer> {
  const client = await bundle(new URL('client.tsx', import.meta.url).pathname);
  return serve({ '/': () => ({ type: 'text/html', body: renderPage(props) }), '/client.js': () => ({ type: 'text/javascript', body: client }) }, port);
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const example = await startReactExample({ server: process.env.EQUOS_SERVER ?? 'http://127.0.0.1:8787' }, Number(process.env.PORT ?? 3000));
  process.stdout.write(`React example: ${example.url}\n`);
}
