/**
 * Scenarios: what should go wrong (or right) in the next sessions the sandbox starts. Tests
 * queue one before creating a session through the token server, since they cannot know the
 * session id in advance.
 */

/** How the avatar behaves in one session. */
export interface AvatarScenario {
  /** Delay before the avatar joins the room, in ms. */
  joinDelayMs: number;
  /** The avatar never joins. */
  never?: boolean;
  /** The avatar leaves this long after joining, in ms. */
  leaveAfterMs?: number;
  /**
   * The avatar that left comes back this long after leaving, in ms (once; needs `leaveAfterMs`):
   * as a LiveKit participant rejoins, a new participant (new sid) with the same identity, its
   * tracks published again.
   */
  returnAfterMs?: number;
  /** The avatar sends `expire_soon` this long before the session's end, in ms [30000]. */
  expireLeadMs?: number;
}

/** The plan for one session. */
export interface SessionScenario {
  avatar: AvatarScenario;
}

/** A session as the real service behaves: the avatar joins about a second after creation. */
export const NORMAL_SCENARIO: SessionScenario = { avatar: { joinDelayMs: 1000 } };

/** The queue of plans for upcoming sessions. */
export class SessionScenarios {
  readonly #queue: SessionScenario[] = [];
  readonly #fallback: SessionScenario;

  constructor(fallback: SessionScenario = NORMAL_SCENARIO) {
    this.#fallback = fallback;
  }

  /** Plans the next session not yet planned. */
  enqueue(scenario: SessionScenario): void {
    this.#queue.push(scenario);
  }

  /** The plan for a session starting now. */
  next(): SessionScenario {
    return this.#queue.shift() ?? this.#fallback;
  }

  /** Drops every queued plan. */
  clear(): void {
    this.#queue.length = 0;
  }
}

/**
 * Reads a scenario from untrusted JSON (the control route).
 *
 * @returns the scenario, or a message saying what is wrong
 */
export function parseScenario(value: unknown): SessionScenario | string {
  if (typeof value !== 'object' || value === null) return 'expected { avatar: { joinDelayMs?, never?, leaveAfterMs?, returnAfterMs?, expireLeadMs? } }';
  const avatar = (value as { avatar?: unknown }).avatar ?? {};
  if (typeof avatar !== 'object' || avatar === null) return 'avatar must be an object';
  const { joinDelayMs, never, leaveAfterMs, returnAfterMs, expireLeadMs } = avatar as Record<string, unknown>;
  const isDelay = (ms: unknown) => ms === undefined || (typeof ms === 'number' && ms >= 0 && ms <= 600_000);
  if (!isDelay(joinDelayMs) || !isDelay(leaveAfterMs) || !isDelay(returnAfterMs) || !isDelay(expireLeadMs)) return 'delays are milliseconds from 0 to 600000';
  if (never !== undefined && typeof never !== 'boolean') return 'never must be a boolean';
  if (returnAfterMs !== undefined && leaveAfterMs === undefined) return 'returnAfterMs needs leaveAfterMs (the avatar returns after leaving)';
  return {
    avatar: {
      joinDelayMs: (joinDelayMs as number | undefined) ?? NORMAL_SCENARIO.avatar.joinDelayMs,
      ...(never ? { never } : {}),
      ...(leaveAfterMs !== undefined ? { leaveAfterMs: leaveAfterMs as number } : {}),
      ...(returnAfterMs !== undefined ? { returnAfterMs: returnAfterMs as number } : {}),
      ...(expireLeadMs !== undefined ? { expireLeadMs: expireLeadMs as number } : {}),
    },
  };
}
