/**
 * Runs a token server's background passes on timers, for runtimes that keep a process
 * running (Node, Bun, Deno): a reaper pass and a due early sweep every REAPER_INTERVAL_S, an
 * orphan sweep every ORPHAN_SWEEP_S, housekeeping hourly, a webhook pass every 2 s (retries,
 * and what a predecessor left; new events start one at once). A cron-driven runtime calls the
 * same passes from its scheduled handler instead.
 */
import type { ReaperTiming } from '../config/settings.js';

/** The passes the scheduler runs (a `TokenServer` has them). */
export interface BackgroundPasses {
  reapOnce(): Promise<unknown>;
  sweepIfDue(): Promise<unknown>;
  sweepOnce(): Promise<unknown>;
  housekeepOnce(): Promise<unknown>;
  /** Sends the webhook's due events [none: no webhook pass]. */
  deliverWebhooksOnce?(): Promise<unknown>;
}

/** A running scheduler. */
export interface Scheduler {
  /** Stops the timers and waits for the passes under way. */
  stop(): Promise<void>;
}

const HOUSEKEEPING_EVERY_MS = 3600 * 1000;
/** The webhook pass's interval, in ms: the shortest retry (5 s) is not kept waiting long. */
export const WEBHOOK_PASS_EVERY_MS = 2000;

/**
 * Starts the timers, and a first reaper pass, housekeeping and webhook pass at once (a
 * restarted instance resumes from the ledger without waiting). `timing.webhookIntervalMs`
 * [WEBHOOK_PASS_EVERY_MS] sets the webhook pass's interval.
 *
 * @example
 * const scheduler = startScheduler(server, settings.reaper);
 * // on shutdown: await scheduler.stop();
 */
export function startScheduler(passes: BackgroundPasses, timing: Pick<ReaperTiming, 'intervalMs' | 'orphanSweepMs'> & { webhookIntervalMs?: number }): Scheduler {
  const underWay = new Set<Promise<unknown>>();
  let stopped = false;
  const run = (pass: () => Promise<unknown>) => {
    if (stopped) return;
    // Each pass reports its own failures; a rejection here must not end the process.
    const running = pass().catch(() => {});
    underWay.add(running);
    void running.finally(() => underWay.delete(running));
  };
  const every = (ms: number, pass: () => Promise<unknown>) => {
    const timer = setInterval(() => run(pass), ms);
    // Timers never keep the process alive: the HTTP server does, and shutdown is explicit.
    (timer as { unref?: () => void }).unref?.();
    return timer;
  };
  const timers = [
    every(timing.intervalMs, () => Promise.all([passes.reapOnce(), passes.sweepIfDue()])),
    every(HOUSEKEEPING_EVERY_MS, () => passes.housekeepOnce()),
    ...(timing.orphanSweepMs > 0 ? [every(timing.orphanSweepMs, () => passes.sweepOnce())] : []),
  ];
  const deliver = passes.deliverWebhooksOnce?.bind(passes);
  if (deliver) timers.push(every(timing.webhookIntervalMs ?? WEBHOOK_PASS_EVERY_MS, deliver));
  run(() => passes.reapOnce());
  run(() => passes.housekeepOnce());
  if (deliver) run(deliver);
  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await Promise.all(underWay);
    },
  };
}
