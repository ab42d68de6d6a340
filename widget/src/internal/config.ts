/**
 * Reads the element's attributes into a checked configuration. Unknown values fall back to
 * the default with a note; a missing or unusable `server` makes the widget unusable, which
 * its panel says in words (and the console once).
 */

/** Where the floating launcher sits. */
export type Position = 'bottom-right' | 'bottom-left';
/** Floating bubble, or a panel in the page's flow. */
export type Mode = 'floating' | 'inline';
/** Colour scheme. */
export type Theme = 'light' | 'dark' | 'auto';

/** The raw attribute values. */
export interface RawConfig {
  server: string | null;
  position: string | null;
  mode: string | null;
  theme: string | null;
  avatarTimeout: number | null;
}

/** The element's defaults, once. */
export const WIDGET_DEFAULTS = {
  position: 'bottom-right',
  mode: 'floating',
  theme: 'auto',
  /** Seconds to wait for the avatar to join before giving up. */
  avatarTimeoutS: 25,
  /** The avatar's name when neither the element, the session nor the preset names it. */
  avatarName: 'Assistant',
} as const;

/** A checked configuration. */
export interface WidgetConfig {
  /** The token server, or null when unusable (see `problems`). */
  server: URL | null;
  position: Position;
  mode: Mode;
  theme: Theme;
  /** How long to wait for the avatar to join, in ms. */
  avatarTimeoutMs: number;
  /** What is wrong, in words for the site owner. */
  problems: string[];
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T, name: string, problems: string[]): T {
  if (value === null || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push(`${name}="${value}" is not one of ${allowed.join(', ')}; using ${fallback}.`);
  return fallback;
}

/**
 * Checks the attributes.
 *
 * @param base what a relative `server` is resolved against [document.baseURI]
 */
export function readConfig(raw: RawConfig, base: string = document.baseURI): WidgetConfig {
  const problems: string[] = [];
  let server: URL | null = null;
  const text = raw.server?.trim() ?? '';
  if (!text) {
    problems.push('the server attribute is missing: set it to your token server, e.g. server="https://avatar.example.com".');
  } else {
    try {
      server = new URL(text, base);
      if (server.protocol !== 'https:' && server.protocol !== 'http:') throw new TypeError('not http(s)');
    } catch {
      server = null;
      problems.push(`server="${text}" is not an http(s) URL.`);
    }
  }
  return {
    server,
    position: oneOf(raw.position, ['bottom-right', 'bottom-left'] as const, WIDGET_DEFAULTS.position, 'position', problems),
    mode: oneOf(raw.mode, ['floating', 'inline'] as const, WIDGET_DEFAULTS.mode, 'mode', problems),
    theme: oneOf(raw.theme, ['light', 'dark', 'auto'] as const, WIDGET_DEFAULTS.theme, 'theme', problems),
    avatarTimeoutMs: (raw.avatarTimeout && raw.avatarTimeout > 0 ? raw.avatarTimeout : WIDGET_DEFAULTS.avatarTimeoutS) * 1000,
    problems,
  };
}
