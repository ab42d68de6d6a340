/**
 * Limits on what a browser may do to its session (stop, heartbeat): per session and per
 * address, so replays and floods cost a counter in the ledger, not an Equos call or a write
 * per request. A real widget sends a heartbeat every interval and a stop or two; the limits
 * sit far above that.
 */
import type { LimitStore } from '../ledger/store.js';
import { limitProblem } from './admission.js';

/** Counts actions; each throws 429 past its limit. */
export interface LimitActions {
  /** One request from visitor `visitorKey` (counted before its token is checked: floods of forgeries cost little). */
  fromAddress(visitorKey: string): Promise<void>;
  /** One action on session `sessionId`, once its token is proven (so nobody else can use up its allowance). */
  onSession(sessionId: string): Promise<void>;
}

/** The limits, per minute. */
export interface ActionLimits {
  /** Actions on one session (every instance counts together). */
  perSession: number;
  /** Actions from one address (a visitor network), on all its sessions. */
  perAddress: number;
}

/**
 * The per-session limit for heartbeats every `heartbeatIntervalMs`: four times what a widget
 * sends, and never fewer than 30 a minute (stops retried, a tab restored).
 */
export function perSessionActionLimit(heartbeatIntervalMs: number): number {
  return Math.max(30, Math.ceil((4 * 60_000) / heartbeatIntervalMs));
}

/**
 * Creates the limiter. A ledger that cannot count lets the action through: a stop must never
 * be refused for want of a counter.
 *
 * @throws (from the returned function) ProblemError `rate-limited` with Retry-After
 */
export function createActionLimits(store: LimitStore, limits: ActionLimits, now: () => number): LimitActions {
  async function count(key: string, limit: number): Promise<void> {
    const hit = await store.hit(key, limit, 60_000, now()).catch(() => null);
    if (hit && !hit.allowed) throw limitProblem('rate-limited', hit.retryAfterMs, 'Too many requests for this session, or from this address, in the last minute.');
  }
  return {
    fromAddress: (visitorKey) => count(`action:v:${visitorKey}`, limits.perAddress),
    onSession: (sessionId) => count(`action:s:${sessionId}`, limits.perSession),
  };
}
