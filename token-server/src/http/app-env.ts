/**
 * The Hono environment shared by the app, its middleware and routes: per-request values
 * set with `c.set` (never module-level state).
 */
import type { RequestIdVariables } from 'hono/request-id';
import type { OriginAllowlistVariables } from './middleware/origin-allowlist/index.js';

/** `Hono<AppEnv>` is the type of every router in the token server. */
export interface AppEnv {
  Variables: RequestIdVariables & OriginAllowlistVariables;
}
