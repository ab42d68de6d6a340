/**
 * The token server's metrics, in one place: every metric's name, help, labels and buckets
 * (`METRICS`), and the small recording interface the use cases call (`MetricsRecorder`), so
 * none of them knows which library exports the numbers. `NO_METRICS` records nothing: what the
 * use cases get when METRICS_TOKEN is unset. ./prometheus.ts is the implementation on
 * prom-client; each scrape of `GET /metrics` (./routes.ts) reads the ledger-wide gauges
 * (`readLedgerGauges`, wired in ../token-server.ts) and hands them to it.
 *
 * Counters and histograms count what this instance did; the gauges are read from the ledger,
 * so every instance of a deployment reports the deployment's own numbers (sum the former,
 * take any one of the latter).
 *
 * To add a metric: its spec in `METRICS`, a method in `MetricsRecorder` (and `NO_METRICS`),
 * its implementation in ./prometheus.ts, a line in the README's table.
 *
 * Runtime-neutral: nothing here imports Node or prom-client.
 */
import type { EquosDeadlines } from '../config/settings.js';
import type { EquosApiError } from '../equos/errors.js';
import { budgetDay, type LedgerStore } from '../ledger/store.js';
import type { limitProblem } from '../sessions/admission.js';
import type { StopCause } from '../sessions/stop-session.js';

/** A call to Equos, as the gateway names them. */
export type EquosCallName = keyof EquosDeadlines;

/** What came of one call to Equos: `ok`, or how it failed. */
export type EquosCallOutcome = 'ok' | 'http-4xx' | 'http-5xx' | 'timeout' | 'network' | 'invalid-response';

/** The problem codes a limit refuses with (sessions/admission.ts, sessions/action-limits.ts). */
export type LimitCode = Parameters<typeof limitProblem>[0];

/** What each label's values are, where they are a known set (so their series start at 0). */
const STOP_CAUSE_SET: Record<StopCause, true> = {
  visitor: true,
  deadline: true,
  heartbeat: true,
  idle: true,
  retry: true,
  orphan: true,
  reconcile: true,
  'failed-create': true,
  'browser-gone': true,
};
/** Every stop cause (sessions/stop-session.ts). */
export const STOP_CAUSES = Object.keys(STOP_CAUSE_SET) as readonly StopCause[];

const LIMIT_CODE_SET: Record<LimitCode, true> = { 'rate-limited': true, 'too-many-sessions': true, 'capacity-reached': true, 'budget-exhausted': true };
/** Every code a limit refuses with. */
export const LIMIT_CODES = Object.keys(LIMIT_CODE_SET) as readonly LimitCode[];

/** Whether a problem code is a limit's refusal. */
export function isLimitCode(code: string): code is LimitCode {
  return Object.hasOwn(LIMIT_CODE_SET, code);
}

/**
 * The outcome label of an Equos call: `ok` (no error), else the failure's kind, an HTTP one
 * split by class (a 404 to a check is routine; a 5xx is Equos failing).
 */
export function equosOutcome(error: EquosApiError | null): EquosCallOutcome {
  if (error === null) return 'ok';
  if (error.kind !== 'http') return error.kind;
  return error.status !== undefined && error.status < 500 ? 'http-4xx' : 'http-5xx';
}

/** One metric: what Prometheus shows of it. */
export interface MetricSpec {
  type: 'counter' | 'gauge' | 'histogram';
  name: string;
  help: string;
  labelNames: readonly string[];
  /** Upper bounds of a histogram's buckets, in its unit. */
  buckets?: readonly number[];
}

/** Every metric the token server exports. */
export const METRICS = {
  sessionsCreated: {
    type: 'counter',
    name: 'equos_avatar_sessions_created_total',
    help: 'Sessions started at Equos and handed to a browser, by preset.',
    labelNames: ['preset'],
  },
  sessionsStopped: {
    type: 'counter',
    name: 'equos_avatar_sessions_stopped_total',
    help: 'Sessions whose end Equos confirmed, by why they were stopped (orphan, reconcile: by the orphan sweep; retry: an earlier stop was not confirmed).',
    labelNames: ['cause'],
  },
  sessionsUnconfirmed: {
    type: 'counter',
    name: 'equos_avatar_sessions_unconfirmed_total',
    help: 'Sessions the ledger stopped retrying without a confirmed end (Equos answered 404 for a day past their deadline), by cause.',
    labelNames: ['cause'],
  },
  stopFailures: {
    type: 'counter',
    name: 'equos_avatar_session_stop_failures_total',
    help: 'Stops Equos did not confirm, by cause; retrying="true": the ledger holds the session and the reaper retries it, "false": the ledger could not, and the orphan sweep is left to find it.',
    labelNames: ['cause', 'retrying'],
  },
  overrun: {
    type: 'histogram',
    name: 'equos_avatar_session_overrun_seconds',
    help: 'How long past its deadline each stopped session ended, in seconds (0: at or before it).',
    labelNames: [],
    buckets: [0, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
  },
  limitRefusals: {
    type: 'counter',
    name: 'equos_avatar_limit_refusals_total',
    help: 'Requests a limit refused (creates, stops and heartbeats), by problem code.',
    labelNames: ['code'],
  },
  reaperLag: {
    type: 'histogram',
    name: 'equos_avatar_reaper_lag_seconds',
    help: 'For each reaper pass: how long the most overdue session had been due when the pass began, in seconds (0: none was due).',
    labelNames: [],
    buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
  },
  reaperFailures: {
    type: 'counter',
    name: 'equos_avatar_reaper_pass_failures_total',
    help: 'Reaper passes that failed (the ledger could not be listed).',
    labelNames: [],
  },
  orphanSweeps: {
    type: 'counter',
    name: 'equos_avatar_orphan_sweeps_total',
    help: "Sweeps of Equos' sessions for orphans, by outcome (failed: Equos or the ledger could not be read).",
    labelNames: ['outcome'],
  },
  equosRequests: {
    type: 'histogram',
    name: 'equos_avatar_equos_request_duration_seconds',
    help: 'Each request to Equos (every attempt), in seconds, by call and outcome.',
    labelNames: ['call', 'outcome'],
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
  },
  equosRetries: {
    type: 'counter',
    name: 'equos_avatar_equos_retries_total',
    help: 'Attempts after the first of the idempotent Equos calls (stop, get, list; a create is never retried), by call.',
    labelNames: ['call'],
  },
  ledgerUp: {
    type: 'gauge',
    name: 'equos_avatar_ledger_up',
    help: 'Whether this scrape could read the ledger (1) or not (0: the other ledger gauges are absent).',
    labelNames: [],
  },
  sessionsOpen: {
    type: 'gauge',
    name: 'equos_avatar_sessions_open',
    help: 'Sessions counted against MAX_CONCURRENT_SESSIONS now (starting, running or stopping), in the whole deployment.',
    labelNames: [],
  },
  sessionsStopping: {
    type: 'gauge',
    name: 'equos_avatar_sessions_stopping',
    help: 'Sessions whose stop Equos has not confirmed yet (the reaper retries them), in the whole deployment.',
    labelNames: [],
  },
  sessionsOverdue: {
    type: 'gauge',
    name: 'equos_avatar_sessions_overdue',
    help: "Sessions due for the reaper now (past deadline and grace, silent, or a retry's time come), in the whole deployment.",
    labelNames: [],
  },
  createsUnresolved: {
    type: 'gauge',
    name: 'equos_avatar_creates_unresolved',
    help: 'Creates whose outcome was never learnt, waiting for the orphan sweep, in the whole deployment.',
    labelNames: [],
  },
  budgetMinutesUsed: {
    type: 'gauge',
    name: 'equos_avatar_budget_minutes_used',
    help: 'Session minutes reserved today (UTC) against DAILY_BUDGET_MINUTES (0 without a budget).',
    labelNames: [],
  },
  webhookDeliveries: {
    type: 'counter',
    name: 'equos_avatar_webhook_deliveries_total',
    help: 'Attempts to deliver a session event to WEBHOOK_URL, by outcome (failed: retried later; gave-up: dropped after three days).',
    labelNames: ['outcome'],
  },
  webhookOutbox: {
    type: 'gauge',
    name: 'equos_avatar_webhook_outbox_events',
    help: 'Session events waiting in the ledger for WEBHOOK_URL (new, or failed and waiting for their retry), in the whole deployment.',
    labelNames: [],
  },
} as const satisfies Record<string, MetricSpec>;

/** What came of one webhook delivery attempt (webhooks/delivery.ts). */
export type WebhookOutcome = 'delivered' | 'failed' | 'gave-up';
/** Every webhook outcome. */
export const WEBHOOK_OUTCOMES: readonly WebhookOutcome[] = ['delivered', 'failed', 'gave-up'];

/**
 * What the use cases record. Every method is cheap and synchronous and never throws: a metric
 * must not fail a stop.
 */
export interface MetricsRecorder {
  /** A session was handed to a browser (sessions/create-session.ts). */
  sessionCreated(preset: string): void;
  /** Equos confirmed a session's end; `overrunMs`: how long past its deadline (undefined: the ledger could not say). */
  sessionStopped(cause: StopCause, overrunMs: number | undefined): void;
  /** The ledger gave up on a session Equos kept answering 404 for. */
  sessionUnconfirmed(cause: StopCause): void;
  /** A stop Equos did not confirm; `retrying`: the reaper will try again. */
  stopFailed(cause: StopCause, retrying: boolean): void;
  /** A limit refused a request. */
  limitRefused(code: LimitCode): void;
  /** A reaper pass began; `lagMs`: how long its most overdue session had been due (0: none). */
  reaperPass(lagMs: number): void;
  /** A reaper pass failed. */
  reaperFailed(): void;
  /** An orphan sweep ended. */
  orphanSweep(outcome: 'ok' | 'failed'): void;
  /** One request to Equos ended (each attempt of a retried call is one). */
  equosCall(call: EquosCallName, outcome: EquosCallOutcome, seconds: number): void;
  /** An idempotent Equos call is tried again. */
  equosRetried(call: EquosCallName): void;
  /** A webhook delivery attempt ended. */
  webhookDelivery(outcome: WebhookOutcome): void;
}

/**
 * The ledger-wide numbers, read at each scrape (`readLedgerGauges`): `open` always; each other
 * one unless its read failed or missed the deadline (undefined: left out of the scrape).
 */
export interface LedgerGauges {
  /** Sessions counted against the global cap. */
  open: number;
  /** Sessions whose stop is not confirmed yet. */
  stopping: number | undefined;
  /** Sessions due for the reaper now. */
  overdue: number | undefined;
  /** Creates whose outcome was never learnt. */
  unresolved: number | undefined;
  /** Minutes reserved from today's budget. */
  budgetMinutesUsed: number | undefined;
  /** Events waiting for the webhook. */
  outbox: number | undefined;
}

/** A recorder that also exports what it recorded. */
export interface Metrics extends MetricsRecorder {
  /** The media type of `scrape()`'s text. */
  readonly contentType: string;
  /**
   * The metrics as text, with the ledger's gauges as just read (null: the ledger could not be
   * read, and its gauges are left out, as is each one undefined).
   */
  scrape(ledger: LedgerGauges | null): Promise<string>;
}

const nothing = () => {};

/** Records nothing: the use cases' recorder when metrics are off. */
export const NO_METRICS: MetricsRecorder = Object.freeze({
  sessionCreated: nothing,
  sessionStopped: nothing,
  sessionUnconfirmed: nothing,
  stopFailed: nothing,
  limitRefused: nothing,
  reaperPass: nothing,
  reaperFailed: nothing,
  orphanSweep: nothing,
  equosCall: nothing,
  equosRetried: nothing,
  webhookDelivery: nothing,
});

/** The most entries one of a scrape's listings counts (it reads them: the ledger holds far fewer unconfirmed or overdue ones). */
export const LEDGER_SCAN_LIMIT = 10_000;

/** How long a scrape waits for the ledger before reporting it down. */
export const LEDGER_SCRAPE_DEADLINE_MS = 2000;

/**
 * Reads the ledger-wide gauges: null when the ledger does not count its open sessions within
 * `deadlineMs` (a scrape must answer, and say the ledger is down, rather than hang with it);
 * each other gauge whose read fails or is late is left undefined (a slow listing costs its own
 * gauge, not all of them).
 *
 * @param deadlineMs [LEDGER_SCRAPE_DEADLINE_MS]
 * @example
 * const text = await metrics.scrape(await readLedgerGauges(store, Date.now()));
 */
export async function readLedgerGauges(store: LedgerStore, now: number, deadlineMs = LEDGER_SCRAPE_DEADLINE_MS): Promise<LedgerGauges | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), deadlineMs)));
  const within = <T>(read: Promise<T>): Promise<T | undefined> => {
    // A read that lost the race must not become an unhandled rejection.
    read.catch(() => {});
    return Promise.race([read, late]).catch(() => undefined);
  };
  // Every entry that is not stopped is in the due index: "due by the end of time" lists all
  // of some states. Stopping and unresolved entries are few, and so are overdue ones, unless
  // something is wrong (which is what these gauges are for). SQLite and memory read only
  // those; Redis pages through the index (every open session) to find them.
  const [open, unconfirmed, overdue, budgetMinutesUsed, outbox] = await Promise.all([
    within(store.countOpen(now)),
    within(store.listDue(Number.MAX_SAFE_INTEGER, ['stopping', 'unresolved'], LEDGER_SCAN_LIMIT)),
    within(store.listDue(now, ['running', 'stopping'], LEDGER_SCAN_LIMIT)),
    within(store.budgetUsed(budgetDay(now))),
    within(store.outboxSize()),
  ]);
  clearTimeout(timer);
  if (open === undefined) return null;
  const stopping = unconfirmed?.filter((entry) => entry.state === 'stopping').length;
  return {
    open,
    stopping,
    unresolved: unconfirmed && stopping !== undefined ? unconfirmed.length - stopping : undefined,
    overdue: overdue?.length,
    budgetMinutesUsed,
    outbox,
  };
}
