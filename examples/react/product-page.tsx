/**
 * The React example's app: a product page with a "Talk to Ava" button and the avatar. The
 * same component renders on the server (server.tsx) and hydrates in the browser (client.tsx).
 *
 * React 19 passes `context` and `strings` to the element as properties (the element has
 * them), and its `onequos-*` function props become listeners on the element. `<EquosAvatar>`
 * is `<equos-avatar>` with those props kept for after hydration (./equos-avatar.tsx says why);
 * an app rendered only in the browser can write `<equos-avatar …>` with the same props.
 */
import { useRef, useState } from 'react';
import type { EquosAvatarElement } from 'equos-avatar';
import { EquosAvatar } from './equos-avatar.js';

/** What the page needs from its server. */
export interface ProductPageProps {
  /** The token server, e.g. `http://127.0.0.1:8787`. */
  server: string;
}

const PRODUCT = { name: 'Lumen desk lamp', price: '89 €' };
/** The page's own words over the widget's: an object, which only a property can carry. */
const STRINGS = { talkTo: 'Ask {name} about the lamp' };

export function ProductPage({ server }: ProductPageProps) {
  const avatar = useRef<EquosAvatarElement>(null);
  const [panel, setPanel] = useState('closed');
  const [state, setState] = useState('idle');
  return (
    <main>
      <h1>{PRODUCT.name}</h1>
      <p>
        Warm light, three brightness levels, a USB-C port in the base. <strong>{PRODUCT.price}</strong>
      </p>
      <button type="button" id="talk" onClick={() => avatar.current?.start()}>
        Talk to Ava
      </button>
      <p>
        Panel: <output id="panel">{panel}</output> · Call: <output id="state">{state}</output>
      </p>
      <EquosAvatar
        ref={avatar}
        server={server}
        preset="default"
        context={`The visitor is looking at the ${PRODUCT.name} (${PRODUCT.price}).`}
        strings={STRINGS}
        onequos-open={() => setPanel('open')}
        onequos-close={() => setPanel('closed')}
        onequos-state-change={(event) => setState(event.detail.to)}
      />
    </main>
  );
}
