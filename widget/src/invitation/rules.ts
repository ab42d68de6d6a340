/**
 * A proactive invitation's rules, from the element's `invite-*` attributes (README,
 * "Invitations"): when the teaser shows (after seconds, after scrolling, on exit intent), on
 * which pages, what it says and how often. Forgiving: a value that makes no sense is left out
 * with a note for the console, and the rest still applies.
 */

/** An element's invitation rules. */
export interface InvitationRules {
  /** Seconds after the page has loaded (`invite-after`). */
  afterS?: number;
  /** Percentage of the page scrolled (`invite-scroll`), 0–100. */
  scrollPercent?: number;
  /** Exit intent, on a desktop (`invite-exit`). */
  exit: boolean;
  /** Path patterns a page must match (`invite-pages`); none: every page. */
  pages: string[];
  /** The teaser's words (`invite-text`), `{name}` the avatar's. */
  text?: string;
  /** How many times per visitor session (`invite-limit`) [1]. */
  limit: number;
}

/** A number attribute, if given and within `[min, max]`. */
function numberOf(element: Element, name: string, min: number, max: number, problems: string[]): number | undefined {
  const raw = element.getAttribute(name);
  if (raw === null) return undefined;
  const value = raw.trim() === '' ? NaN : Number(raw);
  if (value >= min && value <= max) return value;
  problems.push(`${name}="${raw}" is not a number from ${min} to ${max}; it is left out.`);
  return undefined;
}

/**
 * Reads the rules of `element`.
 *
 * @param problems where what makes no sense is noted, for one console warning
 */
export function readRules(element: Element, problems: string[]): InvitationRules {
  const exit = element.getAttribute('invite-exit');
  const text = element.getAttribute('invite-text')?.trim();
  return {
    afterS: numberOf(element, 'invite-after', 0, 86_400, problems),
    scrollPercent: numberOf(element, 'invite-scroll', 0, 100, problems),
    exit: exit !== null && exit !== 'false' && exit !== 'off',
    pages: (element.getAttribute('invite-pages') ?? '').split(/[\s,]+/).filter(Boolean),
    ...(text ? { text } : {}),
    limit: Math.floor(numberOf(element, 'invite-limit', 1, 1000, problems) ?? 1),
  };
}

/**
 * Whether `path` (a URL's path) matches one of `patterns` (none: every path). A pattern is a
 * path where `*` stands for anything, `/` included; otherwise it must match the whole path.
 *
 * @example
 * matchesPages(['/products/*', '/pricing'], '/products/desk-pro') // true
 * matchesPages(['/products/*', '/pricing'], '/pricing/teams') // false
 */
export function matchesPages(patterns: readonly string[], path: string): boolean {
  if (!patterns.length) return true;
  return patterns.some((pattern) => new RegExp(`^${pattern.split('*').map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(path));
}
