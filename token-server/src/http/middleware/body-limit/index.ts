/**
 * Refuses request bodies over a size, before a route reads them: Hono's `bodyLimit`, with the
 * common case (a declared `Content-Length`, no `Transfer-Encoding`) decided from the headers
 * alone.
 *
 * Hono's middleware asks `c.req.raw.body` first, which on @hono/node-server turns the
 * lightweight request into a full WHATWG `Request` with a web stream over the socket: about a
 * fifth of the token server's CPU per create and stop in `npm run bench` (issue 13). A declared
 * length is checked the same way Hono checks it; anything else (chunked, or no length) still
 * goes through Hono's middleware, which counts the bytes as they stream.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';

/** Options of `bodyLimit` (Hono's). */
export interface BodyLimitOptions {
  /** Largest body accepted, in bytes. */
  maxSize: number;
  /** Answers (or throws) for a body over the limit. */
  onError: (c: Context) => Response | Promise<Response>;
}

/**
 * Creates the middleware.
 *
 * @throws TypeError at boot when `maxSize` is not a non-negative number
 * @example
 * app.use('/api/*', bodyLimit({ maxSize: 4096, onError: () => { throw new ProblemError('payload-too-large'); } }));
 */
export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler {
  const { maxSize, onError } = options;
  if (!(maxSize >= 0)) throw new TypeError(`bodyLimit: maxSize must be a number of bytes, not ${String(maxSize)}.`);
  const streamed = honoBodyLimit({ maxSize, onError });
  return async function bodyLimitGuard(c, next) {
    // A GET or HEAD has no body (Hono's middleware lets them through for that reason too).
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      // As Hono reads it (Node's parser has already refused a malformed length).
      return parseInt(declared || '0', 10) > maxSize ? onError(c) : next();
    }
    return streamed(c, next);
  };
}
