/**
 * The one-line embed: a `<script src=".../equos-avatar.js" data-server="…">` tag creates the
 * floating `<equos-avatar>` itself, unless the page already has one. Works whether the tag
 * runs at once, async, deferred, as a module, or injected late by an optimiser.
 */
import { findEmbedScript } from './internal/embed-script.js';

/** `data-*` attributes of the tag that become the element's attributes. */
const FORWARDED = ['server', 'preset', 'name', 'visitor-name', 'position', 'theme', 'locale', 'strings', 'open', 'avatar-timeout', 'context', 'page-vars', 'captions'];

/** Creates the element from the embed tag's configuration, once the body exists. */
export function autoEmbed(): void {
  const script = findEmbedScript();
  if (!script?.hasAttribute('data-server')) return;
  const create = () => {
    if (document.querySelector('equos-avatar')) return;
    const element = document.createElement('equos-avatar');
    for (const name of FORWARDED) {
      const value = script.getAttribute(`data-${name}`);
      if (value !== null) element.setAttribute(name, value);
    }
    document.body.append(element);
  };
  if (document.body) create();
  else document.addEventListener('DOMContentLoaded', create, { once: true });
}
