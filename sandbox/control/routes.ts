/**
 * `/__sandbox/*`: the control API of the local sandbox, for tests that drive it over HTTP
 * and for trying faults by hand. Loopback only, like the rest of the sandbox.
 *
 * - `POST /scenarios` `{ avatar: { joinDelayMs?, never?, leaveAfterMs?, returnAfterMs?, expireLeadMs? } }` plans the
 *   next session (`returnAfterMs`: the avatar that left rejoins, as a new participant with the same identity)
 * - `DELETE /scenarios` forgets queued plans
 * - `GET /rooms`, `GET /rooms/:name` describe rooms (participants, tracks, packets, speakers,
 *   and the data packets relayed: `data`, with `equos_event` messages as `text`)
 * - `POST /rooms/:name/actions` `{ type: 'drop-signal' | 'interrupt-media' (ms) | 'end-room' |
 *   'avatar-leave' | 'remove-visitor' | 'request-reconnect' }`, or `{ type: 'network', quality:
 *   'excellent' | 'good' | 'poor' | 'lost', ms? }` (the visitors' link, as the connection quality
 *   LiveKit reports every 5 s)
 */
import { Hono } from 'hono';
import { applyAction, parseAction, type ActionTargets } from './actions.js';
import { reportRoom } from './room-report.js';
import { parseScenario, type SessionScenarios } from './scenarios.js';

/** What the routes control. */
export interface ControlDeps extends ActionTargets {
  scenarios: SessionScenarios;
}

/** The control API, to mount at `/__sandbox`. */
export function controlRoutes(deps: ControlDeps): Hono {
  const app = new Hono();
  app.post('/scenarios', async (c) => {
    const scenario = parseScenario(await c.req.json().catch(() => null));
    if (typeof scenario === 'string') return c.json({ message: scenario }, 400);
    deps.scenarios.enqueue(scenario);
    return c.json(scenario, 201);
  });
  app.delete('/scenarios', (c) => {
    deps.scenarios.clear();
    return c.body(null, 204);
  });
  app.get('/rooms', (c) => c.json(deps.livekit.rooms.list().map(reportRoom)));
  app.get('/rooms/:name', (c) => {
    const room = deps.livekit.rooms.get(c.req.param('name'));
    return room ? c.json(reportRoom(room)) : c.json({ message: 'no such open room' }, 404);
  });
  app.post('/rooms/:name/actions', async (c) => {
    const action = parseAction(await c.req.json().catch(() => null));
    if (typeof action === 'string') return c.json({ message: action }, 400);
    return applyAction(deps, c.req.param('name'), action) ? c.body(null, 204) : c.json({ message: 'no such open room' }, 404);
  });
  return app;
}
