/**
 * CORS headers: Hono's `cors()`, with the headers of an actual (not preflight) request set
 * once the route has answered, instead of on a placeholder response before it runs.
 *
 * Hono's middleware writes them to `c.res` before `next()`, so the route's answer is merged
 * into that placeholder (Hono re-creates the response to copy the headers over), and appends
 * `Vary` after it with `c.header()`, which re-creates it again. On @hono/node-server each
 * re-creation turns the lightweight response into a full WHATWG `Response` with a web stream:
 * a tenth of the token server's CPU per create and stop (issue 13). The headers and their
 * values are the same; a preflight (`OPTIONS`) is Hono's middleware itself.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { cors as honoCors } from 'hono/cors';

/** Options of `cors` (those of Hono's the token server uses). */
export interface CorsOptions {
  /** The allowed origin for a request, or null for none (no `Access-Control-Allow-Origin`). */
  origin: (origin: string, c: Context) => string | null | undefined;
  allowMethods: readonly string[];
  allowHeaders: readonly string[];
  exposeHeaders: readonly string[];
  /** Seconds a browser may cache a preflight. */
  maxAge: number;
}

/**
 * Creates the middleware.
 *
 * @example
 * app.use('/api/*', cors({ origin: (_, c) => c.get('origin'), allowMethods: ['GET', 'POST'], allowHeaders: ['Content-Type'], exposeHeaders: [], maxAge: 600 }));
 */
export function cors(options: CorsOptions): MiddlewareHandler {
  const preflight = honoCors({ ...options, origin: (origin, c) => options.origin(origin, c) ?? null, allowMethods: [...options.allowMethods], allowHeaders: [...options.allowHeaders], exposeHeaders: [...options.exposeHeaders] });
  const exposed = options.exposeHeaders.join(',');
  return async function corsHeaders(c, next) {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    const allowed = options.origin(c.req.header('origin') || '', c);
    await next();
    const apply = (headers: Headers) => {
      if (allowed) headers.set('Access-Control-Allow-Origin', allowed);
      if (exposed) headers.set('Access-Control-Expose-Headers', exposed);
      headers.append('Vary', 'Origin');
    };
    try {
      apply(c.res.headers);
    } catch {
      // An answer with immutable headers (a fetched Response) is copied first, as Hono's `c.header` does.
      c.res = new Response(c.res.body, c.res);
      apply(c.res.headers);
    }
  };
}
