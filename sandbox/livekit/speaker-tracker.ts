/**
 * Active-speaker detection, as the LiveKit server does it for `SpeakersChanged`: audio levels
 * reported per participant, a participant becoming active at once when it gets loud and
 * inactive only after a hangover of quiet, and only the changes reported.
 */

/** One participant's speaking state. */
export interface SpeakerState {
  sid: string;
  /** 0…1, LiveKit's normalised audio level. */
  level: number;
  active: boolean;
}

/** Options of `SpeakerTracker`. */
export interface SpeakerTrackerOptions {
  /** Level from which a participant counts as speaking [0.05, about -52 dBov]. */
  threshold?: number;
  /** Quiet time before a speaker becomes inactive, in ms [600]. */
  hangoverMs?: number;
  /** Clock in ms [Date.now]. */
  now?: () => number;
}

interface Entry {
  active: boolean;
  level: number;
  lastLoudAt: number;
}

/** Converts an RFC 6464 audio level (-dBov, 0…127) to LiveKit's 0…1 level. */
export function levelFromDbov(dbov: number): number {
  // LiveKit maps -dBov linearly in amplitude: 10^(-dBov/20).
  return Math.min(1, Math.max(0, 10 ** (-dbov / 20)));
}

/** Tracks who is speaking; `update()` returns the changes since the last call. */
export class SpeakerTracker {
  readonly #entries = new Map<string, Entry>();
  readonly #threshold: number;
  readonly #hangoverMs: number;
  readonly #now: () => number;

  constructor(options: SpeakerTrackerOptions = {}) {
    this.#threshold = options.threshold ?? 0.05;
    this.#hangoverMs = options.hangoverMs ?? 600;
    this.#now = options.now ?? Date.now;
  }

  /** Records a level for `sid` (call it for every audio packet or player tick). */
  report(sid: string, level: number): void {
    const now = this.#now();
    const entry = this.#entries.get(sid) ?? { active: false, level: 0, lastLoudAt: Number.NEGATIVE_INFINITY };
    entry.level = Math.max(level, entry.level * 0.8);
    if (level >= this.#threshold) entry.lastLoudAt = now;
    this.#entries.set(sid, entry);
  }

  /** Forgets `sid` (it left); reports it inactive if it was speaking. */
  remove(sid: string): SpeakerState[] {
    const entry = this.#entries.get(sid);
    this.#entries.delete(sid);
    return entry?.active ? [{ sid, level: 0, active: false }] : [];
  }

  /** The speakers whose active state changed since the last call. */
  update(): SpeakerState[] {
    const now = this.#now();
    const changes: SpeakerState[] = [];
    for (const [sid, entry] of this.#entries) {
      const active = now - entry.lastLoudAt < this.#hangoverMs;
      if (active !== entry.active) {
        entry.active = active;
        changes.push({ sid, level: active ? entry.level : 0, active });
      }
      entry.level *= 0.5;
    }
    return changes;
  }

  /** Everyone speaking now. */
  active(): SpeakerState[] {
    return [...this.#entries].filter(([, entry]) => entry.active).map(([sid, entry]) => ({ sid, level: entry.level, active: true }));
  }
}
