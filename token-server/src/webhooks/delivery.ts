/**
 * Delivers the ledger's outbox to the operator's webhook (WEBHOOK_URL), the Standard Webhooks
 * way (contract/webhooks.ts): each event POSTed with its stable id, the attempt's timestamp and
 * an HMAC-SHA256 signature over both and the body (the `standardwebhooks` package signs).
 *
 * Events are written to the ledger in the same step as the change that causes them
 * (../sessions/session-ledger.ts), and leave it only when a receiver answered 2xx or they are
 * given up on: so a crash, a SIGKILL or a receiver that is down loses none; a restarted or
 * another instance carries on from the ledger. Delivery is at least once (a crash between the
 * receiver's 2xx and the removal sends it again, with the same `webhook-id`).
 *
 * A failed attempt (no answer within the deadline, or anything but 2xx) is tried again after
 * a backoff: 5 s doubling to 1 h, each wait ±20 % so that instances and events spread out.
 * An event still failing when its next try would be past its maximum age (3 days, Standard
 * Webhooks' usual window) is given up on: removed, and logged as an error with its id.
 *
 * With several instances on one ledger, each event is claimed before it is sent (a claim in
 * the store, as the reaper claims sessions): one instance sends it at a time. A delivered
 * event's claim is held a while longer, so an instance that listed it just before cannot
 * claim it again and send it twice.
 *
 * It owns no timer: `deliverOnce()` is one pass (run by the scheduler on Node, by a cron
 * trigger elsewhere); `kick()` starts one now, as the ledger does right after it writes an event.
 */
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_HEADERS } from '../../../contract/webhooks.js';
import type { LedgerStore, OutboxEvent } from '../ledger/store.js';
import type { Logger } from '../logger.js';

/** How deliveries are retried, in ms. */
export interface WebhookRetryPolicy {
  /** The wait after the first failure; it doubles after each one. */
  baseMs: number;
  /** The longest wait. */
  maxMs: number;
  /** An event is given up on when its next try would be this long after it was written. */
  maxAgeMs: number;
}

/** The defaults: 5 s doubling to 1 h, for 3 days. */
export const WEBHOOK_RETRY: WebhookRetryPolicy = { baseMs: 5000, maxMs: 3600 * 1000, maxAgeMs: 3 * 24 * 3600 * 1000 };

/** A receiver must answer within this long, in ms. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** What became of one attempt (for logs and metrics). */
export type DeliveryOutcome = 'delivered' | 'failed' | 'gave-up';

/** Options of `createWebhookDelivery`. */
export interface WebhookDeliveryOptions {
  /** The ledger: its outbox, and claims. */
  store: LedgerStore;
  /** Where events are POSTed (WEBHOOK_URL). */
  url: string;
  /** The signing secret, `whsec_<base64>` (WEBHOOK_SECRET). */
  secret: string;
  logger: Logger;
  /** This instance's name in claims. */
  instanceId: string;
  now: () => number;
  /** How requests are sent [globalThis.fetch]. */
  fetch?: typeof fetch;
  /** The receiver's deadline, in ms [WEBHOOK_TIMEOUT_MS]. */
  timeoutMs?: number;
  /** [WEBHOOK_RETRY] */
  retry?: WebhookRetryPolicy;
  /** Events sent at once [8]. */
  concurrency?: number;
  /** A number in [0, 1) for the backoff's jitter [Math.random]. */
  random?: () => number;
  /** Told of every attempt's outcome (metrics) [nothing]. */
  onOutcome?: (outcome: DeliveryOutcome) => void;
}

/** A webhook delivery. */
export interface WebhookDelivery {
  /**
   * One pass: sends every event due now (joining a pass under way, then running another that
   * sees what was written since); resolves with how many were delivered.
   */
  deliverOnce(): Promise<number>;
  /** Starts a pass without waiting for it (never throws): an event was just written. */
  kick(): void;
}

/** Events listed per round trip. */
const BATCH = 100;
/** A claim outlives one attempt by this much. */
const LEASE_MARGIN_MS = 2000;
/** An event listed longer ago than this is left to the next pass (another instance may have delivered it since). */
const LISTING_FRESH_MS = 60_000;
/** A delivered or given-up event's claim is held this long, longer than any listing is used: nobody sends it again. */
const DONE_HOLD_MS = 5 * 60_000;

/**
 * Creates the delivery; it sends nothing until called.
 *
 * @throws TypeError when `url` is not an http(s) URL or `secret` is not a Standard Webhooks secret (`whsec_<base64>`)
 * @example
 * const webhooks = createWebhookDelivery({ store, url: 'https://crm.example/hooks/equos', secret: 'whsec_…', logger, instanceId: 'web-1', now: Date.now });
 * await webhooks.deliverOnce();
 */
export function createWebhookDelivery(options: WebhookDeliveryOptions): WebhookDelivery {
  const { store, url, logger, instanceId, now, timeoutMs = WEBHOOK_TIMEOUT_MS, retry = WEBHOOK_RETRY, concurrency = 8, random = Math.random, onOutcome = () => {} } = options;
  if (!URL.canParse(url) || !['http:', 'https:'].includes(new URL(url).protocol)) throw new TypeError('createWebhookDelivery: url must be an http(s) URL, the receiver (WEBHOOK_URL).');
  const send = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  let signer: Webhook;
  try {
    signer = new Webhook(options.secret);
  } catch {
    // Never the secret itself in the message.
    throw new TypeError('createWebhookDelivery: secret must be a Standard Webhooks secret, whsec_ followed by base64 (try: echo whsec_$(openssl rand -base64 32)).');
  }
  const leaseMs = timeoutMs + LEASE_MARGIN_MS;

  /** The wait after the `attempt`th failure: base doubling to the cap, ±20 %. */
  const backoff = (attempt: number) => Math.round(Math.min(retry.maxMs, retry.baseMs * 2 ** Math.min(attempt - 1, 30)) * (0.8 + 0.4 * random()));

  /** POSTs `event` signed at `sentAt`; the answer's status (null: none), and what went wrong. */
  async function post(event: OutboxEvent, sentAt: number): Promise<{ status: number | null; error?: string }> {
    const timestamp = new Date(sentAt);
    try {
      const response = await send(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [WEBHOOK_HEADERS.id]: event.id,
          [WEBHOOK_HEADERS.timestamp]: String(Math.floor(sentAt / 1000)),
          [WEBHOOK_HEADERS.signature]: signer.sign(event.id, timestamp, event.body),
          'user-agent': 'equos-avatar-token-server',
        },
        body: event.body,
        // A redirect is not a delivery: the receiver's URL is configured, not discovered.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Read (a few bytes, within the deadline) so the connection can be used again.
      await response.arrayBuffer().catch(() => {});
      return response.status >= 200 && response.status < 300 ? { status: response.status } : { status: response.status, error: `HTTP ${response.status}` };
    } catch (error) {
      return { status: null, error: failureText(error) };
    }
  }

  /** Sends one event under its claim; what came of it (null: another instance has it, or the listing is stale). */
  async function deliverOne(event: OutboxEvent, listedAt: number): Promise<DeliveryOutcome | null> {
    if (now() - listedAt > LISTING_FRESH_MS) return null;
    const claim = `webhook:${event.id}`;
    if (!(await store.claim(claim, instanceId, now(), leaseMs))) return null;
    let done = false;
    try {
      const attempt = event.attempts + 1;
      const sentAt = now();
      const answer = await post(event, sentAt);
      const fields = { event_id: event.id, type: event.type, attempt, status: answer.status };
      if (answer.error === undefined) {
        await store.removeOutbox(event.id);
        done = true;
        logger.info('webhook.delivered', { ...fields, duration_ms: now() - sentAt });
        return 'delivered';
      }
      const delay = backoff(attempt);
      if (now() + delay - event.createdAt > retry.maxAgeMs) {
        await store.removeOutbox(event.id);
        done = true;
        logger.error('webhook.gave-up', { ...fields, error: answer.error, age_ms: now() - event.createdAt, note: 'The receiver did not take this event within the retry window; it is dropped from the outbox.' });
        return 'gave-up';
      }
      await store.rescheduleOutbox(event.id, attempt, now() + delay);
      logger.warn('webhook.failed', { ...fields, error: answer.error, retry_in_ms: delay });
      return 'failed';
    } finally {
      if (done) await store.claim(claim, instanceId, now(), DONE_HOLD_MS).catch(() => {});
      else await store.releaseClaim(claim, instanceId).catch(() => {});
    }
  }

  /** Sends `due` with `concurrency` workers, the events of one session in order (started before ended). */
  async function deliverAll(due: OutboxEvent[], listedAt: number): Promise<number> {
    const chains = new Map<string, OutboxEvent[]>();
    for (const event of due) {
      const session = event.id.slice(event.id.indexOf(':') + 1);
      chains.set(session, [...(chains.get(session) ?? []), event]);
    }
    const queue = [...chains.values()];
    let delivered = 0;
    let next = 0;
    const worker = async () => {
      while (next < queue.length) {
        for (const event of queue[next++]!) {
          const outcome = await deliverOne(event, listedAt).catch((error: unknown) => {
            logger.warn('webhook.attempt.failed', { event_id: event.id, error: failureText(error) });
            return null;
          });
          if (outcome) onOutcome(outcome);
          if (outcome === 'delivered') delivered += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    return delivered;
  }

  /** Lists and sends until nothing due is left that this pass has not tried. */
  async function pass(): Promise<number> {
    const tried = new Set<string>();
    let delivered = 0;
    for (;;) {
      const listedAt = now();
      const due = (await store.listOutboxDue(listedAt, BATCH)).filter((event) => !tried.has(event.id));
      if (due.length === 0) return delivered;
      for (const event of due) tried.add(event.id);
      delivered += await deliverAll(due, listedAt);
    }
  }

  let current: Promise<number> | undefined;
  let queued: Promise<number> | undefined;
  const run = (): Promise<number> => {
    const running: Promise<number> = pass()
      .catch((error: unknown) => {
        logger.error('webhook.pass.failed', { error: failureText(error) });
        return 0;
      })
      .finally(() => {
        if (current === running) current = undefined;
      });
    current = running;
    return running;
  };
  const deliverOnce = (): Promise<number> => {
    if (!current) return run();
    // The pass under way may have listed before the caller's events were written: one more
    // pass after it, shared by every caller meanwhile.
    return (queued ??= current.then(() => {
      queued = undefined;
      return run();
    }));
  };
  return {
    deliverOnce,
    kick() {
      void deliverOnce();
    },
  };
}

/** A short, secret-free description of a failed request. */
function failureText(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timeout';
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? code : `${error.name}: ${error.message}`.slice(0, 200);
  }
  return String(error).slice(0, 200);
}
