'use client';
/**
 * The avatar in a Client Component. The element's module is imported in an effect, so it
 * only ever runs in the browser; the server renders a plain `<equos-avatar>` tag that the
 * element upgrades after hydration. Properties (`context`, `strings`) and `onequos-*`
 * listeners are set by React 19 on the element itself, through `<EquosAvatar>`, which keeps
 * those a hydration would drop for the render after it (examples/react/equos-avatar.tsx).
 */
import { useEffect, useRef, useState } from 'react';
import type { EquosAvatarElement } from 'equos-avatar';
import { EquosAvatar } from '../../react/equos-avatar';

/** The page's own words over the widget's (an object: a property, not an attribute). */
const STRINGS = { talkTo: 'Ask {name} about the lamp' };

export function TalkToAva({ server, product }: { server: string; product: string }) {
  const avatar = useRef<EquosAvatarElement>(null);
  const [state, setState] = useState('idle');
  const [panel, setPanel] = useState('closed');
  useEffect(() => {
    void import('equos-avatar');
  }, []);
  return (
    <section>
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
        context={`The visitor is looking at the ${product}.`}
        strings={STRINGS}
        onequos-open={() => setPanel('open')}
        onequos-close={() => setPanel('closed')}
        onequos-state-change={(event) => setState(event.detail.to)}
      />
    </section>
  );
}
