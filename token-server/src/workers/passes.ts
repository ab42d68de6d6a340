/**
 * The token server's background passes on a cron trigger: Workers keep no process running
 * between events, so no timer runs them (../reaping/scheduler.ts does on Node). Every
 * `scheduled` event (a cron of every minute) runs a reaper pass, the early orphan sweep if
 * one is due and a webhook delivery pass (every 2 s on Node), and, from the scheduled minute
 * alone (so every isolate agrees, and none needs to remember when it last did), the periodic
 * orphan sweep every ORPHAN_SWEEP_S (rounded to whole minutes, at least one) and housekeeping
 * once an hour, as on Node.
 */
import type { ReaperTiming } from '../config/settings.js';
import type { Logger } from '../logger.js';
import type { BackgroundPasses } from '../reaping/scheduler.js';

const MINUTE_MS = 60_000;
const HOUSEKEEPING_EVERY_MINUTES = 60;

/** Which of the occasional passes a scheduled minute runs. */
export interface PassesDue {
  orphanSweep: boolean;
  housekeeping: boolean;
}

/**
 * The occasional passes due at `scheduledTime` (the cron's minute, ms since the epoch).
 *
 * @example passesDue(Date.parse('2026-05-01T10:05:00Z'), { orphanSweepMs: 300_000 }) // { orphanSweep: true, housekeeping: false }
 */
export function passesDue(scheduledTime: number, timing: Pick<ReaperTiming, 'orphanSweepMs'>): PassesDue {
  const minute = Math.floor(scheduledTime / MINUTE_MS);
  const sweepEvery = Math.max(1, Math.round(timing.orphanSweepMs / MINUTE_MS));
  return { orphanSweep: timing.orphanSweepMs > 0 && minute % sweepEvery === 0, housekeeping: minute % HOUSEKEEPING_EVERY_MINUTES === 0 };
}

/** The passes a scheduled event runs (a `TokenServer` has them, the webhook delivery pass too). */
export type ScheduledPasses = BackgroundPasses;

/**
 * Runs the passes due, side by side; one that fails (or throws) is logged and does not keep
 * the others from running. Resolves with the names of those that failed.
 *
 * @example
 * await runScheduledPasses(server, passesDue(controller.scheduledTime, settings.reaper), logger);
 */
export async function runScheduledPasses(passes: ScheduledPasses, due: PassesDue, logger: Logger): Promise<string[]> {
  const runs: Array<[name: string, pass: () => Promise<unknown>]> = [
    ['reaper', () => passes.reapOnce()],
    ['early-orphan-sweep', () => passes.sweepIfDue()],
  ];
  if (due.orphanSweep) runs.push(['orphan-sweep', () => passes.sweepOnce()]);
  if (due.housekeeping) runs.push(['housekeeping', () => passes.housekeepOnce()]);
  const deliver = passes.deliverWebhooksOnce?.bind(passes);
  if (deliver) runs.push(['webhooks', deliver]);
  const outcomes = await Promise.allSettled(runs.map(([, pass]) => Promise.resolve().then(pass)));
  const failed: string[] = [];
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.status === 'fulfilled') continue;
    const name = runs[index]![0];
    failed.push(name);
    logger.error('scheduled.pass.failed', { pass: name, error: outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason) });
  }
  return failed;
}
