/**
 * What a browser may do to its own session, proven by the stop token (an HMAC of the session
 * id, so nobody can act on somebody else's session):
 *
 * - `POST /api/sessions/:id/stop`: stop it. Idempotent. When Equos cannot confirm right now the
 *   answer is `202` and the reaper retries until it does.
 * - `POST /api/sessions/:id/heartbeat`: "still here". A session whose heartbeats stop is
 *   stopped by the reaper (a crashed tab, a phone that died, a lost network).
 *
 * Both take the token as JSON `{"stop_token": "…"}` or as text/plain (what `sendBeacon` sends).
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { methodNotAllowed, ProblemError } from '../errors.js';
import { settleStopped, type LedgerStore } from '../ledger/store.js';
import type { Logger } from '../logger.js';
import type { StopTokens } from '../session/stop-token.js';
import { isUnknownSession } from '../upstream/errors.js';
import type { EquosSessionsGateway } from '../upstream/resilient-sessions.js';
import { isEquosId } from '../upstream/types.js';
import { ledgerStep } from './ledger-step.js';
import { readBody } from './request-body.js';
import { readStopToken } from './stop-request.js';

/** What the routes depend on. */
export interface SessionActionDeps {
  equos: EquosSessionsGateway;
  store: LedgerStore;
  stopTokens: StopTokens;
  logger: Logger;
  now: () => number;
}

/** Session answers are for one visitor, once. */
export const NO_STORE = { 'Cache-Control': 'no-store' } as const;
/** A stop Equos could not confirm is retried by the reaper from this soon (the route just retried it). */
const FIRST_RETRY_MS = 2000;

/** Mounts at `/api/sessions` (beside the create route). */
export function sessionActionRoutes(deps: SessionActionDeps): Hono<AppEnv> {
  const { equos, store, logger, now } = deps;
  const app = new Hono<AppEnv>();

  /** The session id of the path, once the body's stop token proves the caller may act on it. */
  async function authorised(c: Context<AppEnv>): Promise<string> {
    const id = c.req.param('id') ?? '';
    if (!isEquosId(id)) throw new ProblemError('session-not-found', { detail: 'This is not a session id.' });
    const token = readStopToken(await readBody(c, ['json', 'text']));
    if (token === undefined || !(await deps.stopTokens.verify(id, token))) throw new ProblemError('invalid-stop-token');
    return id;
  }

  app.post('/:id/stop', async (c) => {
    const id = await authorised(c);
    const log = { request_id: c.get('requestId'), session_id: id };
    try {
      const session = await equos.stop(id);
      await settleStopped(store, id, now()).catch(() => null);
      logger.info('session.stopped', { ...log, ended_at: session.endedAt ?? null });
      return c.json({ session_id: id, status: 'stopped', ended_at: session.endedAt ?? null }, 200, NO_STORE);
    } catch (error) {
      if (isUnknownSession(error)) {
        await settleStopped(store, id, now()).catch(() => null);
        throw new ProblemError('session-not-found', { detail: 'Equos does not know this session.' });
      }
      // Equos did not confirm: the ledger keeps the session until the reaper gets through.
      const known = await store.get(id).catch(() => null);
      if (!known) throw error;
      await store.recordStopFailure(id, now() + FIRST_RETRY_MS);
      logger.warn('session.stop.deferred', { ...log, error: error instanceof Error ? error.message : String(error) });
      return c.json({ session_id: id, status: 'stopping' }, 202, NO_STORE);
    }
  });

  app.post('/:id/heartbeat', async (c) => {
    const id = await authorised(c);
    const state = await ledgerStep(() => store.heartbeat(id, now()));
    if (state === null) throw new ProblemError('session-not-found', { detail: 'The ledger does not know this session.' });
    if (state === 'stopped') throw new ProblemError('session-ended');
    return c.body(null, 204, NO_STORE);
  });

  app.all('/:id/stop', methodNotAllowed('POST'));
  app.all('/:id/heartbeat', methodNotAllowed('POST'));
  return app;
}
