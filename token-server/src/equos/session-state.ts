/**
 * What counts as evidence that an Equos session has ended. Billing runs until `endedAt`, so
 * only an answer that shows the end settles a session: a 2xx to a stop, or a 404, proves
 * nothing by itself (a proxy, a replica that lags, or a bug may say so while Equos bills on).
 */
import type { UpstreamSession } from './upstream.js';

/** Statuses that mean the session is over (v1 says `ended`; v3 also has `error`). */
const ENDED_STATUSES: ReadonlySet<string> = new Set(['ended', 'error']);

/** Whether `session`, as Equos answered it, shows that it has ended. */
export function hasEnded(session: Pick<UpstreamSession, 'endedAt' | 'status'> | null | undefined): boolean {
  if (!session || typeof session !== 'object') return false;
  return (typeof session.endedAt === 'string' && session.endedAt !== '') || (typeof session.status === 'string' && ENDED_STATUSES.has(session.status));
}
