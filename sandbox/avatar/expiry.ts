/**
 * When the demo avatar warns that its session is about to end. Equos ends a session by
 * itself at its maximum duration and tells the page beforehand (`expire_soon`), so that the
 * page can say goodbye instead of being cut off.
 */

/** What Equos knows about a session's length (a v1 session's `maxDuration`, a v3 conversation's `maxSeconds`). */
export interface SessionLimits {
  /** When the session started (its `startedAt`), in epoch ms. */
  startedAtMs: number;
  /** Its maximum duration in ms; absent when it has none. */
  maxDurationMs?: number;
}

/** When to announce the end, and the end, in epoch ms. */
export interface ExpiryPlan {
  announceAt: number;
  endsAt: number;
}

/** How long before the end the avatar warns, by default, in ms. */
export const DEFAULT_EXPIRE_LEAD_MS = 30_000;

/**
 * Plans the warning `leadMs` before the end. With the default lead, a session shorter than
 * twice the lead is warned half-way instead, so that a warning never comes before the session
 * has really begun; a lead given on purpose (a test's scenario) is kept, up to the duration.
 *
 * @param leadMs [DEFAULT_EXPIRE_LEAD_MS]
 * @returns the plan, or `undefined` for a session without a maximum duration
 * @example
 * planExpiry({ startedAtMs: 0, maxDurationMs: 300_000 }); // { announceAt: 270_000, endsAt: 300_000 }
 * planExpiry({ startedAtMs: 0, maxDurationMs: 20_000 });  // { announceAt: 10_000, endsAt: 20_000 }
 */
export function planExpiry(limits: SessionLimits, leadMs?: number): ExpiryPlan | undefined {
  if (leadMs !== undefined && !(leadMs > 0)) throw new TypeError(`planExpiry: leadMs must be a positive number of ms, got ${leadMs}.`);
  const { startedAtMs, maxDurationMs } = limits;
  if (maxDurationMs === undefined || !(maxDurationMs > 0) || !Number.isFinite(startedAtMs)) return undefined;
  const endsAt = startedAtMs + maxDurationMs;
  const lead =
    leadMs !== undefined ? Math.min(leadMs, maxDurationMs) : maxDurationMs < 2 * DEFAULT_EXPIRE_LEAD_MS ? maxDurationMs / 2 : DEFAULT_EXPIRE_LEAD_MS;
  return { announceAt: endsAt - lead, endsAt };
}
