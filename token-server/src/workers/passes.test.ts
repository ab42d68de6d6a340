/** The cron trigger's passes: which fall due on a minute, and that one failing stops none of the others. */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { passesDue, runScheduledPasses, type ScheduledPasses } from './passes.js';

const at = (iso: string) => Date.parse(iso);

describe('passesDue', () => {
  it('sweeps for orphans every ORPHAN_SWEEP_S in whole minutes, and housekeeps on the hour', () => {
    const fiveMinutes = { orphanSweepMs: 300_000 };
    expect(passesDue(at('2026-05-01T10:05:00Z'), fiveMinutes)).toEqual({ orphanSweep: true, housekeeping: false });
    expect(passesDue(at('2026-05-01T10:06:00Z'), fiveMinutes)).toEqual({ orphanSweep: false, housekeeping: false });
    expect(passesDue(at('2026-05-01T11:00:00Z'), fiveMinutes)).toEqual({ orphanSweep: true, housekeeping: true });
    // Seconds within the minute do not matter (a cron event is due on the minute).
    expect(passesDue(at('2026-05-01T10:10:59.999Z'), fiveMinutes).orphanSweep).toBe(true);
  });

  it('sweeps every minute for a period of a minute or less, and never with ORPHAN_SWEEP_S=0', () => {
    for (const minute of ['00', '01', '17']) {
      expect(passesDue(at(`2026-05-01T10:${minute}:00Z`), { orphanSweepMs: 20_000 }).orphanSweep).toBe(true);
      expect(passesDue(at(`2026-05-01T10:${minute}:00Z`), { orphanSweepMs: 0 }).orphanSweep).toBe(false);
    }
    // 90 s rounds to two minutes.
    expect([0, 1, 2, 3].map((minute) => passesDue(minute * 60_000, { orphanSweepMs: 90_000 }).orphanSweep)).toEqual([true, false, true, false]);
  });
});

describe('runScheduledPasses', () => {
  it('runs every pass due even when some fail or throw, and names those that failed', async () => {
    const ran: string[] = [];
    const lines: string[] = [];
    const passes: ScheduledPasses = {
      reapOnce: async () => {
        ran.push('reaper');
        throw new Error('ledger unavailable');
      },
      sweepIfDue: async () => void ran.push('early'),
      sweepOnce: () => {
        ran.push('sweep');
        throw new TypeError('thrown, not rejected');
      },
      housekeepOnce: async () => void ran.push('housekeeping'),
      deliverWebhooksOnce: async () => void ran.push('webhooks'),
    };
    const failed = await runScheduledPasses(passes, { orphanSweep: true, housekeeping: true }, createLogger({ write: (line) => lines.push(line) }));
    expect(ran.sort()).toEqual(['early', 'housekeeping', 'reaper', 'sweep', 'webhooks']);
    expect(failed.sort()).toEqual(['orphan-sweep', 'reaper']);
    expect(lines.filter((line) => line.includes('scheduled.pass.failed'))).toHaveLength(2);
  });

  it('runs only the reaper and the early sweep on a quiet minute', async () => {
    const ran: string[] = [];
    const passes: ScheduledPasses = {
      reapOnce: async () => void ran.push('reaper'),
      sweepIfDue: async () => void ran.push('early'),
      sweepOnce: async () => void ran.push('sweep'),
      housekeepOnce: async () => void ran.push('housekeeping'),
    };
    expect(await runScheduledPasses(passes, { orphanSweep: false, housekeeping: false }, createLogger({ write: () => {} }))).toEqual([]);
    expect(ran.sort()).toEqual(['early', 'reaper']);
  });
});
