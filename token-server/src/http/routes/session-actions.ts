/**
 * What a browser may do to its own session, proven by the stop token (an HMAC of the session
 * id, so nobody can act on somebody else's session):
 *
 * - `POST /api/sessions/:id/stop`: stop it. Idempotent. When Equos cannot confirm right now the
 *   answer is `202` and the reaper retries until it does.
 * - `POST /api/sessions/:id/heartbeat[?idle_s=N]`: "still here", and for how long nobody has
 *   spoken or typed (../../sessions/heartbeat.ts).
 *
 * Both take the token as JSON `{"stop_token": "…"}` or as text/plain (what `sendBeacon` sends).
 */
import { Hono, type Context } from 'hono';
import { HEARTBEAT_IDLE_PARAM, type StopResult } from '../../../../contract/token-server-api.js';
import { isEquosId } from '../../equos/ids.js';
import { ProblemError } from '../../problems.js';
import type { LimitActions } from '../../sessions/action-limits.js';
import type { RecordHeartbeat } from '../../sessions/heartbeat.js';
import { ledgerStep } from '../../sessions/ledger-step.js';
import type { StopSession } from '../../sessions/stop-session.js';
import type { StopTokens } from '../../sessions/stop-tokens.js';
import type { AppEnv } from '../app-env.js';
import { methodNotAllowed } from '../method-not-allowed.js';
import { readBody } from '../request/body.js';
import { readStopToken } from '../request/stop-request.js';

/** What the routes call. */
export interface SessionActionDeps {
  stopTokens: StopTokens;
  limitActions: LimitActions;
  /** The client's address (visitors/client-address.ts: `createClientAddress`). */
  clientAddress: (c: Context) => string;
  visitorKey: (address: string) => Promise<string>;
  stopSession: StopSession;
  recordHeartbeat: RecordHeartbeat;
}

/** Session answers are for one visitor, once. */
export const NO_STORE = { 'Cache-Control': 'no-store' } as const;

/** Mounts at `/api/sessions` (beside the create route). */
export function sessionActionRoutes(deps: SessionActionDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  /** The session id of the path, once the body's stop token proves the caller may act on it. */
  async function authorised(c: Context<AppEnv>): Promise<string> {
    const id = c.req.param('id') ?? '';
    if (!isEquosId(id)) throw new ProblemError('session-not-found', { detail: 'This is not a session id.' });
    await deps.limitActions.fromAddress(await deps.visitorKey(deps.clientAddress(c)));
    const token = readStopToken(await readBody(c, ['json', 'text']));
    if (token === undefined || !(await ledgerStep(() => deps.stopTokens.verify(id, token)))) throw new ProblemError('invalid-stop-token');
    await deps.limitActions.onSession(id);
    return id;
  }

  app.post('/:id/stop', async (c) => {
    const id = await authorised(c);
    const outcome = await deps.stopSession(id, 'visitor');
    switch (outcome.kind) {
      case 'stopped':
        return c.json<StopResult>({ session_id: id, status: 'stopped', ended_at: outcome.endedAt }, 200, NO_STORE);
      case 'deferred':
        return c.json<StopResult>({ session_id: id, status: 'stopping' }, 202, NO_STORE);
      case 'unknown':
        throw new ProblemError('session-not-found', { detail: 'Equos does not know this session.' });
      case 'failed':
        // Neither Equos nor the ledger can vouch for it: say what Equos did (502/504).
        throw outcome.error;
    }
  });

  app.post('/:id/heartbeat', async (c) => {
    const idle = c.req.query(HEARTBEAT_IDLE_PARAM);
    // Checked before the body is read: a malformed beat changes nothing.
    if (idle !== undefined && !/^\d{1,7}$/.test(idle)) throw new ProblemError('invalid-field', { detail: `${HEARTBEAT_IDLE_PARAM} must be a whole number of seconds.` });
    await deps.recordHeartbeat(await authorised(c), idle === undefined ? undefined : Number(idle));
    return c.body(null, 204, NO_STORE);
  });

  app.all('/:id/stop', methodNotAllowed('POST'));
  app.all('/:id/heartbeat', methodNotAllowed('POST'));
  return app;
}
