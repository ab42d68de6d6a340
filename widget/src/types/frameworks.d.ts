/**
 * `<equos-avatar>` in React 19's JSX: its attributes, its properties and its `equos-*`
 * events, typed. Types only (nothing runs); a page that imports the package gets them.
 *
 * React 19 sets a custom element's prop as a property when the element has one of that name
 * (`context`, `strings`, `visitorName`, `opened`), else as an attribute (`visitor-name`); on
 * the server every string or number prop becomes an attribute, so kebab-case attribute names
 * are the ones that also work before the element's script runs. An `on<event>` function prop
 * is an event listener on the element: `onequos-state-change={(event) => …}`.
 *
 * `open` is left out on purpose: the element's `open()` is a method, which React would
 * overwrite with the prop's value. Use `opened` (the property) or the `open()` method.
 *
 * @example
 * <equos-avatar server="https://avatar.example.com" context={pageContext}
 *   onequos-state-change={(event) => setState(event.detail.to)} />
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { EquosAvatarElement } from '../equos-avatar.element.js';
import type { EquosAvatarAttributes, EquosAvatarEventMap } from './element-props.js';

export type { EquosAvatarAttributes, EquosAvatarEventMap } from './element-props.js';

/** `onequos-state-change` and the others: React 19 listens with them on the element. */
export type EquosAvatarEventProps = {
  [K in keyof EquosAvatarEventMap as `on${K}`]?: (event: EquosAvatarEventMap[K]) => void;
};

/** Everything `<equos-avatar>` takes in React's JSX. */
export type EquosAvatarReactProps = Omit<DetailedHTMLProps<HTMLAttributes<EquosAvatarElement>, EquosAvatarElement>, keyof EquosAvatarAttributes> &
  EquosAvatarAttributes &
  EquosAvatarEventProps;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'equos-avatar': EquosAvatarReactProps;
    }
  }
}
