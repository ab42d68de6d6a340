/**
 * `window.EquosAvatar`: the one global the widget adds besides its element, for pages that
 * want to open it from their own buttons ("Talk to us") without finding the element.
 *
 * @example
 * <button onclick="EquosAvatar.start()">Talk to our assistant</button>
 */
import type { EquosAvatarElement } from './equos-avatar.element.js';

/** The page-facing API. Every method acts on the first `<equos-avatar>` (`setContext` on all) and never throws. */
export interface EquosAvatarApi {
  readonly version: string;
  /** The first `<equos-avatar>` on the page, if any. */
  element(): EquosAvatarElement | null;
  open(): void;
  close(): void;
  start(): void;
  stop(): void;
  /** Tells the avatar what the page knows (page, product, visitor state); sets every widget's `context`. */
  setContext(text: string): void;
}

declare const __EQUOS_VERSION__: string | undefined;

/** Installs `window.EquosAvatar` unless another copy of the script already did. */
export function installApi(): void {
  const target = window as unknown as { EquosAvatar?: EquosAvatarApi };
  if (target.EquosAvatar) return;
  const element = () => document.querySelector('equos-avatar');
  const call = (method: 'open' | 'close' | 'start' | 'stop') => () => {
    try {
      element()?.[method]();
    } catch (error) {
      console.warn('EquosAvatar:', error);
    }
  };
  target.EquosAvatar = Object.freeze({
    version: typeof __EQUOS_VERSION__ === 'string' ? __EQUOS_VERSION__ : 'dev',
    element,
    open: call('open'),
    close: call('close'),
    start: call('start'),
    stop: call('stop'),
    setContext: (text: string) => {
      for (const widget of document.querySelectorAll('equos-avatar')) widget.context = String(text);
    },
  });
}
