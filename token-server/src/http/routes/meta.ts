/**
 * Routes about the server itself: `GET /healthz` for load balancers, and `GET /problems/:code`,
 * the human-readable page each problem's `type` URI points at (RFC 9457 §3.1.1).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { PROBLEM_STATUS, type ProblemCode } from '../../../../contract/problems.js';
import { PROBLEMS, ProblemError } from '../../problems.js';

/** Mounts at `/`. */
export function metaRoutes(): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/healthz', (c) => c.json({ status: 'ok' }, 200, { 'Cache-Control': 'no-store' }))
    .get('/problems/:code', (c) => {
      const code = c.req.param('code');
      if (!Object.hasOwn(PROBLEMS, code)) throw new ProblemError('not-found');
      const problem = PROBLEMS[code as ProblemCode];
      return c.text(`${code} (HTTP ${PROBLEM_STATUS[code as ProblemCode]})\n\n${problem.title}.\n${problem.help}\n`, 200, {
        'Cache-Control': 'public, max-age=3600',
      });
    });
}
