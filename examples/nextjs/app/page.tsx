import { TalkToAva } from './talk-to-ava';

// The token server's address comes from the environment when the page is requested, so one
// build runs against any token server.
export const dynamic = 'force-dynamic';

/** A product page (a Server Component) with the avatar in a Client Component. */
export default function ProductPage() {
  const server = process.env.EQUOS_SERVER ?? 'http://127.0.0.1:8787';
  return (
    <main>
      <h1>Lumen desk lamp</h1>
      <p>Warm light, three brightness levels, a USB-C port in the base. 89 €.</p>
      <TalkToAva server={server} product="Lumen desk lamp" />
    </main>
  );
}
