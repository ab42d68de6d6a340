/**
 * The app's one error handler: every failure becomes an RFC 9457 problem response with a
 * stable `code` and the request id, and is logged once. Upstream messages stay in the log;
 * the browser only learns that Equos failed or timed out.
 */
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './app-env.js';
import { PROBLEM_CONTENT_TYPE, type ProblemCode } from '../../../contract/problems.js';
import { ProblemError } from '../problems.js';
import type { Logger } from '../logger.js';
import { EquosApiError } from '../equos/errors.js';

/** Creates the `app.onError` handler. */
export function problemHandler(logger: Logger): ErrorHandler<AppEnv> {
  return function handleProblem(error, c) {
    const problem = toProblem(error, c, logger);
    return problemResponse(c, problem);
  };
}

/** Writes `problem` as the response. */
export function problemResponse(c: Context<AppEnv>, problem: ProblemError): Response {
  return c.body(JSON.stringify(problem.toBody(c.get('requestId'))), problem.status as 400, {
    'Content-Type': PROBLEM_CONTENT_TYPE,
    'Cache-Control': 'no-store',
    ...problem.headers,
  });
}

function toProblem(error: unknown, c: Context<AppEnv>, logger: Logger): ProblemError {
  const fields = { request_id: c.get('requestId'), method: c.req.method, path: c.req.path };
  if (error instanceof ProblemError) return error;
  if (error instanceof EquosApiError) {
    logger.error('upstream.failed', { ...fields, kind: error.kind, status: error.status, error: error.message });
    return new ProblemError(error.kind === 'timeout' ? 'upstream-timeout' : 'upstream-error');
  }
  if (error instanceof HTTPException) {
    // Raised by Hono's own middleware; map the statuses they use.
    const byStatus: Record<number, ProblemCode> = { 400: 'invalid-json', 404: 'not-found', 413: 'payload-too-large', 415: 'unsupported-media-type' };
    const code = byStatus[error.status];
    if (code) return new ProblemError(code);
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  logger.error('request.failed', { ...fields, error: message.slice(0, 500) });
  return new ProblemError('internal-error');
}
