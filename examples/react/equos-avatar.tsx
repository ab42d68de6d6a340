/**
 * `<equos-avatar>` for React apps that render on the server (React's own server renderer,
 * Next.js, Remix), with the same props as the tag itself.
 *
 * React 19 (19.3 included) neither sets a custom element's properties nor adds its `on*`
 * listeners when it hydrates the server's tag; they come only with a later render that changes
 * them (https://github.com/facebook/react/issues/35446). And before the element is defined
 * (its module imported in an effect, as in Next.js), React writes an object prop as an
 * attribute, `strings="[object Object]"`. So the server render, the render that hydrates it,
 * and every render before `<equos-avatar>` is defined get only what a server can write as
 * attributes the element reads (string and number props with attribute names: `server`,
 * `context`, `visitor-name`, …); the first render after both adds the rest (objects such as
 * `strings`, `onequos-*` listeners, camelCase properties), which React then sets as properties.
 * Hydration sees exactly the server's props, so it has nothing to warn about.
 */
import { useSyncExternalStore } from 'react';
import type { EquosAvatarReactProps } from 'equos-avatar/frameworks';

/** React's own props, which hydrate as they should. */
const REACT_PROPS = new Set(['ref', 'children', 'className', 'style', 'suppressHydrationWarning']);
/** A name a server renders as an attribute of that same name (HTML attributes are lowercase). */
const ATTRIBUTE_NAME = /^[a-z][a-z0-9-]*$/;

const TAG = 'equos-avatar';
/** Calls `onDefined` once `<equos-avatar>` is defined. */
function subscribeToDefinition(onDefined: () => void): () => void {
  let subscribed = true;
  void customElements.whenDefined(TAG).then(() => subscribed && onDefined());
  return () => void (subscribed = false);
}
/**
 * Whether the element can take its properties: false in the server render and in the render
 * that hydrates it (React renders with the server's value first), and until the element is
 * defined; true from then on.
 */
const useElementReady = () =>
  useSyncExternalStore(
    subscribeToDefinition,
    () => customElements.get(TAG) !== undefined,
    () => false,
  );

/** What the server renders, and hydration compares: the attributes the element reads. */
function serverProps(props: EquosAvatarReactProps): EquosAvatarReactProps {
  return Object.fromEntries(
    Object.entries(props).filter(([name, value]) => REACT_PROPS.has(name) || (ATTRIBUTE_NAME.test(name) && (typeof value === 'string' || typeof value === 'number'))),
  );
}

/**
 * `<equos-avatar {...props}>`, server-rendered and hydrated without losing a property or a
 * listener, whenever the element's module arrives.
 *
 * @example
 * <EquosAvatar server="https://avatar.example.com" strings={{ talkTo: 'Ask {name}' }}
 *   onequos-state-change={(event) => setState(event.detail.to)} />
 */
export function EquosAvatar(props: EquosAvatarReactProps) {
  const ready = useElementReady();
  return <equos-avatar {...(ready ? props : serverProps(props))} />;
}
