/**
 * Refuses requests from websites that may not use this token server, before any handler
 * (and so before any paid call to Equos) runs.
 *
 * Hono's `cors()` only decides which response headers to add; the handler still runs for a
 * disallowed origin and a `no-cors` or simple request still reaches Equos. This guard is
 * what actually stops it; `cors()` runs after it to tell browsers what they may read.
 *
 * Fail closed: a state-changing request without `Origin` is refused (browsers always send
 * it on POST), and so is any request whose `Origin` is present but not allowed. The refusal
 * itself is readable by the refused page (a GET such as `api/presets` then tells the widget
 * why), but a preflight still fails, so a refused page can never send a session request.
 */
import type { MiddlewareHandler } from 'hono';
import { isLoopbackHost } from '../../../internal/loopback.js';
import { ProblemError } from '../../../problems.js';

/** `'*'` (any origin, for development) or a list of exact origins. */
export type OriginPolicy = '*' | readonly string[];

/** Options of `originAllowlist`. */
export interface OriginAllowlistOptions {
  /** Who may call: `'*'`, exact origins like `https://example.com`, or a predicate. */
  origins: OriginPolicy | ((origin: string) => boolean);
  /**
   * This server's own public origin (PUBLIC_URL), whose pages may call it [none]. It comes
   * from configuration, never from the request's Host: a DNS-rebinding page reaches the
   * server under the attacker's name, and its Origin would match a Host it chose itself.
   */
  ownOrigin?: string | null;
  /**
   * Also allow pages on loopback literals (`http://127.0.0.1:…`, `http://localhost:…`,
   * `http://[::1]:…`) [false]: for the local demo, which has no public origin. A rebinding
   * page cannot have such an Origin: its name is the attacker's domain.
   */
  allowLoopback?: boolean;
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
  const ownOrigin = options.ownOrigin ?? null;
  const allowLoopback = options.allowLoopback ?? false;

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
      origin.length <= MAX_ORIGIN_LENGTH && (isListed(origin) || origin === ownOrigin || (allowLoopback && isLoopbackOrigin(origin)));
    if (!allowed) {
      throw new ProblemError('origin-not-allowed', {
        detail: 'Add this origin to ALLOWED_ORIGINS on the token server to allow it.',
        // The refused page may read the refusal (and nothing else): the widget can then tell
        // its site owner what to fix instead of blaming the visitor's network. No credentials.
        headers: origin.length <= MAX_ORIGIN_LENGTH ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {},
      });
    }
    c.set('origin', origin);
    return next();
  };
}

function isLoopbackOrigin(origin: string): boolean {
  if (!URL.canParse(origin)) return false;
  const url = new URL(origin);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin && isLoopbackHost(url.hostname);
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
