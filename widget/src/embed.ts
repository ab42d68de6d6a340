/**
 * The one-line embed: a `<script src=".../equos-avatar.js" data-server="…">` tag creates the
 * floating `<equos-avatar>` itself, unless the page already has one. Works whether the tag
 * runs at once, async, deferred, as a module, or injected late by an optimiser.
 */
import { findEmbedScript } from './internal/embed-script.js';

/**
 * The tag's `data-*` attributes that become the element's: all of them (so every attribute the
 * README lists works on the tag, including those only the later files read), but for event
 * handlers and styles, which a `data-on…` or `data-style` put there by a plugin must not become.
 * Others that optimisers add (`data-cfasync`, `data-no-optimize`…) are harmless unknown attributes.
 */
const FORWARDED = /^data-(?!on|style$)(.+)/;

/** Creates the element from the embed tag's configuration, once the body exists. */
export function autoEmbed(): void {
  const script = findEmbedScript();
  if (!script?.hasAttribute('data-server')) return;
  const create = () => {
    if (document.querySelector('equos-avatar')) return;
    const element = document.createElement('equos-avatar');
    for (const { name, value } of script.attributes) {
      const forwarded = FORWARDED.exec(name)?.[1];
      if (forwarded) element.setAttribute(forwarded, value);
    }
    document.body.append(element);
  };
  if (document.body) create();
  else document.addEventListener('DOMContentLoaded', create, { once: true });
}
