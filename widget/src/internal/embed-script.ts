/**
 * Finds the `<script>` tag that loaded the widget, for its `data-*` configuration and for
 * the address of the widget's second file. `document.currentScript` is only right while the
 * script first runs as a classic script; Cloudflare Rocket Loader, "delay JS" plugins and
 * `type="module"` leave it null, so the tag is also searched for by its address.
 */

// Captured while this file first runs: the only moment `currentScript` can be ours.
const CURRENT_SCRIPT = typeof document !== 'undefined' ? document.currentScript : null;

/** Addresses the widget is served from (optimisers move `src` into `data-*` attributes). */
const SOURCE_ATTRIBUTES = ['src', 'data-src', 'data-rocketsrc', 'data-lazy-src'];
// `equos-avatar@<version>.js` too: the pinned, immutable name (README, "Put the avatar on a website").
const WIDGET_FILE = /\/equos-avatar(?:@[\w.+-]+)?(?:\.min)?\.js(?:[?#]|$)/;

function sourceOf(script: Element): string | undefined {
  for (const name of SOURCE_ATTRIBUTES) {
    const value = script.getAttribute(name);
    if (value && WIDGET_FILE.test(new URL(value, document.baseURI).href)) return new URL(value, document.baseURI).href;
  }
  return undefined;
}

/**
 * The tag that configures the widget: the running one if it carries `data-server`, else any
 * tag naming our file with `data-server` (an optimiser may have run a copy of the original),
 * else the running one, else any tag naming our file.
 */
export function findEmbedScript(): HTMLScriptElement | null {
  const current = CURRENT_SCRIPT instanceof HTMLScriptElement && sourceOf(CURRENT_SCRIPT) ? CURRENT_SCRIPT : null;
  if (current?.hasAttribute('data-server')) return current;
  const candidates = [...document.querySelectorAll('script')].filter((script) => sourceOf(script) || script.hasAttribute('data-equos-avatar'));
  return candidates.find((script) => script.hasAttribute('data-server')) ?? current ?? candidates[0] ?? null;
}

/** The address the widget was loaded from, if it can be known. */
export function embedScriptUrl(): string | undefined {
  const script = findEmbedScript();
  return script ? sourceOf(script) : undefined;
}
