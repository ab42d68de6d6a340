/**
 * `import 'equos-avatar'` under Node (the `node` export condition: server rendering in Next.js,
 * React's `renderToString`, Vitest in Node): the names of ./module.ts without anything that
 * needs a DOM, so a server render can import the page's code harmlessly. It defines no element
 * and installs no global; the browser's copy of the page's bundle does.
 */
export * from './events.js';

/**
 * Stands in for `<equos-avatar>`'s class where there is no DOM (the element exists in browsers
 * only; a server render writes the tag, and the browser upgrades it).
 */
export class EquosAvatarElement {
  constructor() {
    throw new TypeError('<equos-avatar> runs in browsers: this is the server-side stand-in (the "node" export condition). Create the element in the browser, e.g. in an effect.');
  }
}
