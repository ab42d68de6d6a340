import { describe, expect, it } from 'vitest';
import { planExpiry } from './expiry.js';

describe('planExpiry', () => {
  it('warns the lead before the end, or half-way through a session shorter than twice the lead', () => {
    expect(planExpiry({ startedAtMs: 1000, maxDurationMs: 300_000 })).toEqual({ announceAt: 271_000, endsAt: 301_000 });
    expect(planExpiry({ startedAtMs: 0, maxDurationMs: 60_000 })).toEqual({ announceAt: 30_000, endsAt: 60_000 });
    expect(planExpiry({ startedAtMs: 0, maxDurationMs: 59_000 })).toEqual({ announceAt: 29_500, endsAt: 59_000 });
    expect(planExpiry({ startedAtMs: 0, maxDurationMs: 1000 }, 100)).toEqual({ announceAt: 900, endsAt: 1000 });
    // A lead asked for on purpose is kept (a scenario that wants the warning early), up to the duration.
    expect(planExpiry({ startedAtMs: 0, maxDurationMs: 600_000 }, 595_000)).toEqual({ announceAt: 5000, endsAt: 600_000 });
    expect(planExpiry({ startedAtMs: 0, maxDurationMs: 1000 }, 5000)).toEqual({ announceAt: 0, endsAt: 1000 });
  });

  it('plans nothing for a session without a maximum duration, and refuses a lead that is not positive', () => {
    expect(planExpiry({ startedAtMs: 0 })).toBeUndefined();
    expect(planExpiry({ startedAtMs: Number.NaN, maxDurationMs: 1000 })).toBeUndefined();
    expect(() => planExpiry({ startedAtMs: 0, maxDurationMs: 1000 }, 0)).toThrow(TypeError);
  });
});
