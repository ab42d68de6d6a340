/**
 * `POST /api/sessions`: start a paid Equos session for a visitor (../../sessions/create-session.ts
 * holds the order that keeps the money safe). The answer follows LiveKit's standard
 * token-endpoint format (`201`, snake_case, `server_url` + `participant_token`) so any
 * LiveKit client can use it, plus what our widget needs (contract/token-server-api.ts).
 */
import { Hono, type Context } from 'hono';
import { CallerGoneError, type CreateSession } from '../../sessions/create-session.js';
import type { AppEnv } from '../app-env.js';
import { methodNotAllowed } from '../method-not-allowed.js';
import { readBody } from '../request/body.js';
import { parseCreateSessionRequest } from '../request/create-session-request.js';
import { NO_STORE } from './session-actions.js';

/** What the route calls. */
export interface SessionRoutesDeps {
  createSession: CreateSession;
  /** The client's address (visitors/client-address.ts: `createClientAddress`). */
  clientAddress: (c: Context) => string;
  visitorKey: (address: string) => Promise<string>;
}

/** Mounts at `/api/sessions`. */
export function sessionRoutes(deps: SessionRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/', async (c) => {
    const request = parseCreateSessionRequest(await readBody(c, ['json']));
    try {
      const created = await deps.createSession({
        ...request,
        visitorKey: await deps.visitorKey(deps.clientAddress(c)),
        origin: c.get('origin'),
        callerGone: c.req.raw.signal,
        requestId: c.get('requestId'),
      });
      return c.json(created, 201, NO_STORE);
    } catch (error) {
      // Nobody reads this answer; the session it would have carried has been stopped.
      if (error instanceof CallerGoneError) return c.body(null, 499 as never);
      throw error;
    }
  });
  app.all('/', methodNotAllowed('POST'));
  return app;
}
