/**
 * One log line per request: method, path (no query string: it may carry tokens), status,
 * duration and request id. Bodies are never logged.
 */
import type { MiddlewareHandler } from 'hono';
import type { RequestIdVariables } from 'hono/request-id';
import type { Logger } from '../../../logger.js';

/** Options of `accessLog`. */
export interface AccessLogOptions {
  logger: Logger;
  /** Clock in ms [performance.now]. */
  now?: () => number;
}

const MAX_PATH_LENGTH = 200;

/**
 * Creates the middleware; mount it after `requestId()`.
 *
 * @example
 * app.use(requestId(), accessLog({ logger }));
 */
export function accessLog(options: AccessLogOptions): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  const { logger, now = () => performance.now() } = options;
  return async function accessLogger(c, next) {
    const started = now();
    await next();
    const status = c.res.status;
    logger[status >= 500 ? 'error' : 'info']('http.request', {
      request_id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path.slice(0, MAX_PATH_LENGTH),
      status,
      duration_ms: Math.round((now() - started) * 10) / 10,
    });
  };
}
