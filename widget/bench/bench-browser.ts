/**
 * Helpers shared by the widget's browser benchmarks (page-load, live-call): statistics, tiny
 * loopback HTTP servers, CDP metrics, and reading Chromium traces (main-thread tasks of the
 * renderer that shows a page).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CDPSession, Page } from 'puppeteer-core';

/** Median, min and max of some numbers (null when there are none). */
export interface Summary {
  n: number;
  median: number | null;
  min: number | null;
  max: number | null;
}

/** Rounds to `digits` decimals. */
export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Median (upper median for an even count, as the other benches), min and max. */
export function summarize(values: readonly (number | null | undefined)[], digits = 1): Summary {
  const sorted = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return { n: 0, median: null, min: null, max: null };
  return { n: sorted.length, median: round(sorted[Math.floor(sorted.length / 2)]!, digits), min: round(sorted[0]!, digits), max: round(sorted.at(-1)!, digits) };
}

/** `a / b` of two medians, or null when either is missing or b is 0. */
export function ratio(a: Summary | undefined, b: Summary | undefined): number | null {
  if (!a || !b || a.median === null || b.median === null || b.median === 0) return null;
  return round(a.median / b.median, 2);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A node:http server on 127.0.0.1 (an origin of its own). */
export async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Performance.getMetrics as a name → value map (durations in seconds, sizes in bytes). */
export async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((metric) => [metric.name, metric.value]));
}

/** One Chromium trace event (the fields read here). */
export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; data?: { frames?: { url?: string; processId?: number; isOutermostMainFrame?: boolean }[] } };
}

/** Categories for main-thread tasks and user-timing marks. */
export const TASK_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'];

/** Stops a page's trace and parses it. */
export async function stopTrace(page: Page): Promise<TraceEvent[]> {
  const buffer = await page.tracing.stop();
  if (!buffer) return [];
  return (JSON.parse(Buffer.from(buffer).toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
}

/**
 * The renderer process and its main thread that show the page's main frame in a trace (from
 * TracingStartedInBrowser, which lists the traced page's frames and their processes).
 */
export function rendererMainThread(events: readonly TraceEvent[], pageUrlPrefix: string): { pid: number; tid: number } | null {
  for (const event of events) {
    if (event.name !== 'TracingStartedInBrowser') continue;
    const frame = event.args?.data?.frames?.find((candidate) => candidate.isOutermostMainFrame && candidate.url?.startsWith(pageUrlPrefix));
    if (frame?.processId === undefined) continue;
    const pid = frame.processId;
    const thread = events.find((candidate) => candidate.name === 'thread_name' && candidate.pid === pid && candidate.args?.name === 'CrRendererMain');
    return { pid, tid: thread?.tid ?? pid };
  }
  return null;
}

/** Top-level main-thread tasks (RunTask) of one thread, as [start µs, duration µs]. */
export function mainThreadTasks(events: readonly TraceEvent[], thread: { pid: number; tid: number }): [number, number][] {
  return events
    .filter((event) => event.name === 'RunTask' && event.ph === 'X' && event.pid === thread.pid && event.tid === thread.tid && event.dur !== undefined)
    .map((event) => [event.ts, event.dur!] as [number, number])
    .sort((a, b) => a[0] - b[0]);
}

/** The timestamp (µs) of a performance.mark() in a trace. */
export function markTs(events: readonly TraceEvent[], name: string): number | null {
  return events.find((event) => event.name === name && event.cat?.includes('blink.user_timing'))?.ts ?? null;
}
