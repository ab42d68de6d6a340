/**
 * The token server's webhook events on the wire: what it POSTs to the operator's `WEBHOOK_URL`
 * (a CRM, a billing system) when a session starts and when it ends, and what the usage export
 * (`GET api/usage`) answers. The server builds these bodies through this file, and a receiver
 * written in TypeScript can read them through it, so a field cannot change on one side only.
 *
 * Delivery follows Standard Webhooks (https://www.standardwebhooks.com): every request is a
 * `POST` with `Content-Type: application/json` and three headers,
 * - `webhook-id`: the event's id, the same on every retry (the receiver's idempotency key:
 *   an event may arrive more than once, never with another id);
 * - `webhook-timestamp`: the attempt's time, whole seconds since the epoch;
 * - `webhook-signature`: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed by the
 *   bytes of `WEBHOOK_SECRET` after its `whsec_` prefix (the standardwebhooks libraries,
 *   for most languages, verify it in one call).
 * Any 2xx answer is a delivery; anything else (or none within the deadline) is retried.
 *
 * Types, constants and shape checks only: no DOM, no Node.
 */

/** The headers of a delivery (Standard Webhooks' names). */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/** What happened. */
export type WebhookEventType = 'session.started' | 'session.ended';

/** Every event type. */
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = ['session.started', 'session.ended'];

/**
 * Why a session ended: the cause of the stop that Equos confirmed.
 * - `visitor`: the visitor hung up, closed the page or the widget was removed;
 * - `deadline`: it ran past its maximum duration (and the grace);
 * - `heartbeat`: its browser went silent (a crashed tab, a lost network);
 * - `idle`: its browser still beat but nobody spoke or typed for `IDLE_STOP_S`;
 * - `retry`: an earlier stop (of any cause above) was not confirmed at once, and this later
 *   attempt was; the earlier cause is in the server's `session.stop.failed` log line;
 * - `reconcile`: Equos still ran it although the ledger had it ended (not sent: the session
 *   has had its `session.ended` already);
 * - `orphan`: Equos ran it for this deployment, the ledger never recorded it (not sent either:
 *   there is no record to report; the server logs it);
 * - `failed-create`: its create could not hand it to the browser;
 * - `browser-gone`: the browser that asked for it went away before the answer.
 */
export type SessionEndCause = 'visitor' | 'deadline' | 'heartbeat' | 'idle' | 'retry' | 'orphan' | 'reconcile' | 'failed-create' | 'browser-gone';

/** Every end cause. */
export const SESSION_END_CAUSES: readonly SessionEndCause[] = ['visitor', 'deadline', 'heartbeat', 'idle', 'retry', 'orphan', 'reconcile', 'failed-create', 'browser-gone'];

/** The visitor's consent to the site's AI disclosure, as the ledger recorded it at the create. */
export interface WebhookConsent {
  /** The site's consent text version (the server's `CONSENT_VERSION`, the widget's `consent-version`). */
  version: string;
  /** ISO 8601 UTC. */
  accepted_at: string;
}

/** What `session.started` tells: the session as Equos started it. */
export interface SessionStartedData {
  /** The Equos session's id (the same in its `session.ended`). */
  session_id: string;
  /** The token server's preset name. */
  preset: string;
  /** The page's origin; null for a create sent without one (a server-side caller). */
  origin: string | null;
  /** When Equos started billing, ISO 8601 UTC. */
  started_at: string;
  /** When its maximum duration ends, ISO 8601 UTC. */
  deadline_at: string;
  /** null: the visitor gave none (or the site asks for none). */
  consent: WebhookConsent | null;
}

/** What `session.ended` tells: the start's fields, and how it ended. */
export interface SessionEndedData extends SessionStartedData {
  /**
   * When billing ended, ISO 8601 UTC: Equos' own time when it confirmed the end. When Equos no
   * longer knew the session (`unknown_at_equos`), the latest it can have ended: its deadline.
   */
  ended_at: string;
  /** `ended_at − started_at`, in seconds (milliseconds as decimals), at least 0. */
  duration_seconds: number;
  end_cause: SessionEndCause;
  /** Stops of it that Equos did not confirm before the one that ended it (0: the first did). */
  stop_attempts: number;
  /**
   * Equos answered 404 to the stops and to the checks for a day past its deadline: the server
   * settled it without a confirmation (and logged `session.stop.unconfirmed`, an error).
   */
  unknown_at_equos: boolean;
}

/** A `session.started` event: the body of one delivery. */
export interface SessionStartedEvent {
  type: 'session.started';
  /** When the token server recorded it (the same on every retry, unlike `webhook-timestamp`), ISO 8601 UTC. */
  timestamp: string;
  data: SessionStartedData;
}

/** A `session.ended` event: the body of one delivery. */
export interface SessionEndedEvent {
  type: 'session.ended';
  /** When the token server recorded it (the same on every retry, unlike `webhook-timestamp`), ISO 8601 UTC. */
  timestamp: string;
  data: SessionEndedData;
}

/** The body of a delivery. */
export type WebhookEvent = SessionStartedEvent | SessionEndedEvent;

/** One line of the usage export: the sessions that started on `day`, of one preset and origin, that have ended. */
export interface UsageExportRow {
  /** `YYYY-MM-DD`, the UTC day the sessions started. */
  day: string;
  preset: string;
  /** null: creates sent without an origin. */
  origin: string | null;
  sessions: number;
  /** Their billed minutes together (start to end), to three decimals. */
  minutes: number;
}

/** The JSON answer of `GET api/usage?from=YYYY-MM-DD&to=YYYY-MM-DD`. */
export interface UsageExport {
  from: string;
  to: string;
  /** By day, then preset, then origin (null first). */
  rows: UsageExportRow[];
  totals: { sessions: number; minutes: number };
}

/** The columns of the export as CSV (`Accept: text/csv`), in order: one header line, then one line per row. */
export const USAGE_CSV_COLUMNS = ['day', 'preset', 'origin', 'sessions', 'minutes'] as const;

/** The most days one export may span. */
export const USAGE_MAX_DAYS = 400;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isTime = (value: unknown): value is string => isText(value) && Number.isFinite(Date.parse(value));
const isConsent = (value: unknown): boolean => value === null || (isObject(value) && isText(value.version) && isTime(value.accepted_at));

/**
 * The event in `body` (a delivery's parsed JSON, after its signature was verified), or
 * `undefined` when it is not one of ours. Events of a type this version does not know are
 * `undefined` too: a receiver should answer them 2xx and ignore them.
 */
export function readWebhookEvent(body: unknown): WebhookEvent | undefined {
  if (!isObject(body) || !isTime(body.timestamp) || !isObject(body.data)) return undefined;
  const data = body.data;
  const started =
    isText(data.session_id) &&
    isText(data.preset) &&
    (data.origin === null || isText(data.origin)) &&
    isTime(data.started_at) &&
    isTime(data.deadline_at) &&
    isConsent(data.consent);
  if (!started) return undefined;
  if (body.type === 'session.started') return body as unknown as SessionStartedEvent;
  if (body.type !== 'session.ended') return undefined;
  const ended =
    isTime(data.ended_at) &&
    typeof data.duration_seconds === 'number' &&
    data.duration_seconds >= 0 &&
    SESSION_END_CAUSES.includes(data.end_cause as SessionEndCause) &&
    typeof data.stop_attempts === 'number' &&
    typeof data.unknown_at_equos === 'boolean';
  return ended ? (body as unknown as SessionEndedEvent) : undefined;
}
