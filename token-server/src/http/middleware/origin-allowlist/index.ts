/**
 * Refuses requests from websites that may not use this token server, before any handler
 * (and so before any paid call to Equos) runs.
 *
 * Hono's `cors()` only decides which response headers to add; the handler still runs for a
 * disallowed origin and a `no-cors` or simple request still reaches Equos. This guard is
 * what actually stops it; `cors()` runs after it to tell browsers what they may read.
 *
 * Fail closed: a state-changing request without `Origin` is refused (browsers always send
 * it on POST), and so is any request whose `Origin` is present but not allowed.
 */
import type { MiddlewareHandler } from 'hono';
import { ProblemError } from '../../../problems.js';

/** `'*'` (any origin, for development) or a list of exact origins. */
export type OriginPolicy = '*' | readonly string[];

/** Options of `originAllowlist`. */
export interface OriginAllowlistOptions {
  /** Who may call: `'*'`, exact origins like `https://example.com`, or a predicate. */
  origins: OriginPolicy | ((origin: string) => boolean);
  /**
   * Also allow pages served by this server itself (its own origin as seen in the request
   * URL) [true]. A browser cannot fake this: its Origin is the page's, not ours.
   */
  allowSameOrigin?: boolean;
}

/** What the middleware sets on the context. */
export interface OriginAllowlistVariables {
  /** The request's allowed Origin, or `null` when it sent none. */
  origin: string | null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const MAX_ORIGIN_LENGTH = 2048;

/**
 * Creates the guard.
 *
 * @throws TypeError at boot when an allowed origin is not of the form scheme://host[:port]
 * @example
 * app.use('/api/*', originAllowlist({ origins: ['https://shop.example'] }));
 */
export function originAllowlist(options: OriginAllowlistOptions): MiddlewareHandler<{ Variables: OriginAllowlistVariables }> {
  const isListed = toPredicate(options.origins);
  const allowSameOrigin = options.allowSameOrigin ?? true;

  return async function originAllowlistGuard(c, next) {
    const origin = c.req.header('origin');
    if (origin === undefined) {
      if (!SAFE_METHODS.has(c.req.method)) {
        throw new ProblemError('origin-required', { detail: `${c.req.method} requests must carry an Origin header.` });
      }
      c.set('origin', null);
      return next();
    }
    const allowed =
      origin.length <= MAX_ORIGIN_LENGTH &&
      (isListed(origin) || (allowSameOrigin && origin === new URL(c.req.url).origin));
    if (!allowed) {
      throw new ProblemError('origin-not-allowed', {
        detail: 'Add this origin to ALLOWED_ORIGINS on the token server to allow it.',
      });
    }
    c.set('origin', origin);
    return next();
  };
}

function toPredicate(origins: OriginAllowlistOptions['origins']): (origin: string) => boolean {
  if (typeof origins === 'function') return origins;
  if (origins === '*') return () => true;
  const list = new Set(
    origins.map((entry) => {
      if (!URL.canParse(entry) || new URL(entry).origin !== entry) {
        throw new TypeError(`originAllowlist: "${entry}" is not an origin; write it as scheme://host[:port] with no path.`);
      }
      return entry;
    }),
  );
  return (origin) => list.has(origin);
}
