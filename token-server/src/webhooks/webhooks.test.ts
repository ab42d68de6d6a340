/**
 * Session webhooks over real HTTP: the token server (with the Equos double) creates and stops
 * sessions through its API, and a real receiver on a loopback port gets the events, signed the
 * Standard Webhooks way (verified with the `standardwebhooks` package, as a receiver would).
 * Time is the stack's clock: backoff and give-up are driven by moving it, never by waiting.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readWebhookEvent, type SessionEndedEvent, type SessionStartedEvent } from '../../../contract/webhooks.js';
import { SITE_ORIGIN, startStack, stopInit, type Stack, type StackOptions } from '../../test/harness.js';
import { startRedis, type RunningRedis } from '../../test/redis-server.js';
import { createMemoryStore } from '../ledger/memory-store.js';
import { createRedisStore } from '../ledger/redis-store.js';
import { entry as storeEntry } from '../ledger/testing/store-contract.js';
import { createLogger } from '../logger.js';
import { createPrometheusMetrics } from '../observability/prometheus.js';
import type { LedgerStore } from '../ledger/store.js';
import { createWebhookDelivery } from './delivery.js';
import { sessionStarted } from './events.js';
import { startWebhookReceiver, TEST_WEBHOOK_SECRET, type ReceivedDelivery, type Respond, type WebhookReceiver } from './testing/receiver.js';

const WEBHOOK_SECRET = TEST_WEBHOOK_SECRET;

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const each of opened.splice(0).reverse()) await each.close();
});

/** A receiver, closed after the test. */
async function receiver(respond?: Respond): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(respond ? { respond } : {});
  opened.push(started);
  return started;
}

/** A stack sending to `to`, on a clock the test moves (Equos' too), closed after the test. */
async function stackFor(to: WebhookReceiver, clock: { now: number }, options: StackOptions = {}): Promise<Stack> {
  const now = () => clock.now;
  const stack = await startStack({
    ...options,
    config: { webhook: { url: to.url, secret: WEBHOOK_SECRET }, ...options.config },
    deps: { now, ...options.deps },
    equosNow: now,
  });
  opened.push({
    close: async () => {
      await stack.close();
      expect(stack.secretLeaks()).toEqual([]);
    },
  });
  return stack;
}

const verify = (delivery: ReceivedDelivery, body = delivery.body, secret = WEBHOOK_SECRET) =>
  new Webhook(secret).verify(body, { 'webhook-id': delivery.id, 'webhook-timestamp': delivery.timestamp, 'webhook-signature': delivery.signature });

/** Log lines of `event`, parsed. */
const logged = (stack: Stack, event: string) => stack.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === event);

async function stop(stack: Stack, created: Record<string, string | number>): Promise<void> {
  const response = await stack.request(`/api/sessions/${created.session_id}/stop`, stopInit(created.stop_token));
  expect(response.status).toBe(200);
}

describe('session webhooks', () => {
  it('sends session.started, then session.ended with the cause and the billed duration, each signed', async () => {
    const to = await receiver();
    const clock = { now: Date.now() };
    const stack = await stackFor(to, clock);
    const createdAt = clock.now;
    const acceptedAt = new Date(clock.now - 3_600_000).toISOString();
    const created = await stack.createSession({ preset: 'sales', consent: { version: '2026-11', accepted_at: acceptedAt } });
    clock.now += 95_250;
    await stop(stack, created);
    await stack.server.deliverWebhooksOnce();

    expect(to.received.map((delivery) => [delivery.id, delivery.status])).toEqual([
      [`session.started:${created.session_id}`, 204],
      [`session.ended:${created.session_id}`, 204],
    ]);
    const [started, ended] = to.received.map((delivery) => verify(delivery)) as [SessionStartedEvent, SessionEndedEvent];
    const startedAt = created.started_at as string;
    const data = { session_id: created.session_id, preset: 'sales', origin: SITE_ORIGIN, started_at: startedAt, deadline_at: new Date(Date.parse(startedAt) + 120_000).toISOString(), consent: { version: '2026-11', accepted_at: acceptedAt } };
    expect(started).toEqual({ type: 'session.started', timestamp: expect.any(String), data });
    expect(ended).toEqual({
      type: 'session.ended',
      timestamp: expect.any(String),
      data: { ...data, ended_at: new Date(Date.parse(startedAt) + 95_250).toISOString(), duration_seconds: 95.25, end_cause: 'visitor', stop_attempts: 0, unknown_at_equos: false },
    });
    // The contract's reader takes both; Standard Webhooks' headers and a JSON body.
    expect([readWebhookEvent(started), readWebhookEvent(ended)]).toEqual([started, ended]);
    for (const delivery of to.received) {
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(delivery.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    }
    // Each sent as soon as it was written (the create and the stop started a pass), stamped with its attempt's time.
    expect(to.received.map((delivery) => Number(delivery.timestamp))).toEqual([Math.floor(createdAt / 1000), Math.floor(clock.now / 1000)]);

    // A body changed on the way, another id, or another secret: refused.
    const [first] = to.received as [ReceivedDelivery];
    expect(() => verify(first, first.body.replace('"sales"', '"default"'))).toThrow(/signature/i);
    expect(() => verify({ ...first, id: `session.ended:${created.session_id}` })).toThrow(/signature/i);
    expect(() => verify(first, first.body, `whsec_${Buffer.from('another secret of thirty-two b..').toString('base64')}`)).toThrow(/signature/i);

    expect(await stack.store.outboxSize()).toBe(0);
    expect(logged(stack, 'webhook.delivered').map((line) => [line.event_id, line.attempt, line.status])).toEqual([
      [`session.started:${created.session_id}`, 1, 204],
      [`session.ended:${created.session_id}`, 1, 204],
    ]);
    // Neither the secret nor a signature is ever logged.
    const secretForms = [WEBHOOK_SECRET, WEBHOOK_SECRET.slice('whsec_'.length), ...to.received.map((delivery) => delivery.signature.slice(3))];
    expect(stack.logs.filter((line) => secretForms.some((form) => line.includes(form)))).toEqual([]);
  });

  it('sends nothing, and writes no event, without WEBHOOK_URL; usage is counted all the same', async () => {
    const to = await receiver();
    const clock = { now: Date.now() };
    const stack = await stackFor(to, clock, { config: { webhook: null } });
    const created = await stack.createSession();
    clock.now += 60_000;
    await stop(stack, created);
    expect(await stack.server.deliverWebhooksOnce()).toBe(0);
    expect(await stack.store.outboxSize()).toBe(0);
    expect(to.received).toEqual([]);
    const day = new Date(clock.now - 60_000).toISOString().slice(0, 10);
    expect(await stack.store.usage(day, day)).toEqual([{ day, preset: 'default', origin: SITE_ORIGIN, sessions: 1, minutes: 1 }]);
  });

  it('tries a failed delivery again after the backoff, with the same webhook-id and a later timestamp', async () => {
    const to = await receiver((_delivery, index) => (index === 0 ? 500 : 200));
    const clock = { now: Date.now() };
    const stack = await stackFor(to, clock);
    const created = await stack.createSession();
    // The create started a pass at once (without waiting for it): this joins it.
    await stack.server.deliverWebhooksOnce();
    expect(to.received.map((delivery) => delivery.status)).toEqual([500]);
    const [failed] = logged(stack, 'webhook.failed');
    expect(failed).toMatchObject({ level: 'warn', event_id: `session.started:${created.session_id}`, status: 500, attempt: 1 });
    expect(failed!.retry_in_ms).toBeGreaterThanOrEqual(4000);
    expect(failed!.retry_in_ms).toBeLessThanOrEqual(6000);
    expect((await stack.store.listOutboxDue(clock.now + 10_000, 10)).map((event) => [event.id, event.attempts])).toEqual([[`session.started:${created.session_id}`, 1]]);

    // Not due yet: nothing is sent.
    clock.now += 3000;
    await stack.server.deliverWebhooksOnce();
    expect(to.received).toHaveLength(1);
    clock.now += 4000;
    expect(await stack.server.deliverWebhooksOnce()).toBe(1);
    const [first, second] = to.received as [ReceivedDelivery, ReceivedDelivery];
    expect(second.id).toBe(first.id);
    expect(second.body).toBe(first.body);
    expect(Number(second.timestamp) - Number(first.timestamp)).toBe(7);
    expect(second.signature).not.toBe(first.signature);
    expect(verify(second)).toMatchObject({ type: 'session.started' });
    expect(logged(stack, 'webhook.delivered')).toMatchObject([{ event_id: first.id, attempt: 2, status: 200 }]);
    expect(await stack.store.outboxSize()).toBe(0);
  });

  it('counts deliveries by outcome, and shows the events waiting, in /metrics', async () => {
    const to = await receiver((_delivery, index) => (index === 0 ? 503 : 204));
    const clock = { now: Date.now() };
    const token = 'metrics-token-0123456789-abcdefghijklmnopqrstuvwxyz';
    const stack = await stackFor(to, clock, { config: { metricsToken: token }, deps: { metrics: createPrometheusMetrics() } });
    const scrape = async () => (await stack.request('/metrics', { origin: null, headers: { authorization: `Bearer ${token}` } })).text;
    const created = await stack.createSession();
    await stack.server.deliverWebhooksOnce();
    let text = await scrape();
    expect(text).toMatch(/^equos_avatar_webhook_deliveries_total\{outcome="failed"\} 1$/m);
    expect(text).toMatch(/^equos_avatar_webhook_deliveries_total\{outcome="delivered"\} 0$/m);
    expect(text).toMatch(/^equos_avatar_webhook_outbox_events 1$/m);
    await stop(stack, created);
    clock.now += 10_000;
    await stack.server.deliverWebhooksOnce();
    text = await scrape();
    expect(text).toMatch(/^equos_avatar_webhook_deliveries_total\{outcome="delivered"\} 2$/m);
    expect(text).toMatch(/^equos_avatar_webhook_deliveries_total\{outcome="gave-up"\} 0$/m);
    expect(text).toMatch(/^equos_avatar_webhook_outbox_events 0$/m);
  });

  it('takes anything but a 2xx within the deadline as a failure: a redirect, a connection refused', async () => {
    const to = await receiver(() => 302);
    const clock = { now: Date.now() };
    const stack = await stackFor(to, clock);
    await stack.createSession();
    await stack.server.deliverWebhooksOnce();
    expect(logged(stack, 'webhook.failed')).toMatchObject([{ status: 302, error: 'HTTP 302', attempt: 1 }]);
    await to.close();
    clock.now += 10_000;
    await stack.server.deliverWebhooksOnce();
    expect(logged(stack, 'webhook.failed')).toMatchObject([{ status: 302 }, { status: null, error: 'ECONNREFUSED', attempt: 2 }]);
    expect(await stack.store.outboxSize()).toBe(1);
  });

  it('takes a receiver that does not answer within the deadline as a failure, and tries again', async () => {
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const to = await receiver(async () => {
      await answered;
      return 204;
    });
    const store = createMemoryStore();
    const now = Date.now();
    const entry = { ...storeEntry('ses_slow'), createdAt: now };
    await store.insertWithinCaps(entry, { perVisitor: 10, global: 10 }, now);
    await store.update(entry, ['running'], { event: sessionStarted(entry, now) });
    const lines: string[] = [];
    const delivery = createWebhookDelivery({ store, url: to.url, secret: WEBHOOK_SECRET, logger: createLogger({ write: (line) => lines.push(line) }), instanceId: 'test', now: () => now, timeoutMs: 200 });
    expect(await delivery.deliverOnce()).toBe(0);
    answer();
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toMatchObject([{ event: 'webhook.failed', status: null, error: 'timeout', attempt: 1 }]);
    expect((await store.listOutboxDue(now + 60_000, 10)).map((event) => event.attempts)).toEqual([1]);
  });

  it('gives up on an event its receiver has not taken within three days: removed, and logged as an error with its id', async () => {
    const to = await receiver(() => 503);
    const clock = { now: Date.now() };
    const stack = await stackFor(to, clock);
    const created = await stack.createSession();
    await stack.server.deliverWebhooksOnce();
    // Two days on, it is still tried (and fails).
    clock.now += 2 * 24 * 3600 * 1000;
    await stack.server.deliverWebhooksOnce();
    expect(logged(stack, 'webhook.failed').map((line) => line.attempt)).toEqual([1, 2]);
    expect(logged(stack, 'webhook.gave-up')).toEqual([]);
    // Past three days, the next failure is the last.
    clock.now += 24 * 3600 * 1000;
    await stack.server.deliverWebhooksOnce();
    expect(logged(stack, 'webhook.gave-up')).toMatchObject([{ level: 'error', event_id: `session.started:${created.session_id}`, attempt: 3, status: 503 }]);
    expect(await stack.store.outboxSize()).toBe(0);
    clock.now += 24 * 3600 * 1000;
    await stack.server.deliverWebhooksOnce();
    expect(to.received).toHaveLength(3);
  });

  it('reports a session settled as unknown at Equos as ended by its deadline at the latest', async () => {
    const to = await receiver();
    const clock = { now: Date.now() };
    const stack = await stackFor(to, clock);
    const created = await stack.createSession();
    // Equos forgets it: stops and checks answer 404 from now on.
    stack.equos.state.sessions.delete(created.session_id as string);
    const response = await stack.request(`/api/sessions/${created.session_id}/stop`, stopInit(created.stop_token));
    expect(response.json()).toMatchObject({ status: 'stopping' });
    // A day past its deadline, the reaper settles it without a confirmation.
    clock.now += 300_000 + 24 * 3600 * 1000 + 60_000;
    expect(await stack.server.reapOnce()).toBe(1);
    await stack.server.deliverWebhooksOnce();
    // (No signature check: the stack's clock is a day ahead of the real one, past the receiver's tolerance.)
    const ended = JSON.parse(to.received.find((delivery) => delivery.id.startsWith('session.ended:'))!.body) as SessionEndedEvent;
    const startedAt = Date.parse(created.started_at as string);
    expect(ended.data).toMatchObject({ end_cause: 'retry', stop_attempts: 1, unknown_at_equos: true, ended_at: new Date(startedAt + 300_000).toISOString(), duration_seconds: 300 });
    const day = (created.started_at as string).slice(0, 10);
    expect(await stack.store.usage(day, day)).toEqual([{ day, preset: 'default', origin: SITE_ORIGIN, sessions: 1, minutes: 5 }]);
  });
});

describe('session webhooks with two token servers on one Redis ledger', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.close());

  it('deliver each event once: every event is claimed by one of them', async () => {
    // Deliveries are held until both servers have some in flight, then all are answered.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const to = await receiver(async () => {
      await released;
      return 204;
    });
    const clock = { now: Date.now() };
    const stores: LedgerStore[] = [];
    const storeFor = async () => {
      const store = await createRedisStore({ url: redis.url, prefix: 'two-webhooks:' });
      stores.push(store);
      opened.push({ close: () => store.close() });
      return store;
    };
    const a = await stackFor(to, clock, { config: { instanceId: 'instance-a' }, deps: { store: await storeFor() } });
    const b = await stackFor(to, clock, { config: { instanceId: 'instance-b' }, deps: { store: await storeFor() } });
    // Sessions live on a's Equos double; b only delivers.
    const created = [];
    for (let index = 0; index < 10; index += 1) created.push(await a.createSession());
    for (const session of created) await stop(a, session);
    expect(await b.store.outboxSize()).toBe(20);
    // a's own pass holds one delivery; b's takes up to 8 more at once.
    const passes = Promise.all([a.server.deliverWebhooksOnce(), b.server.deliverWebhooksOnce()]);
    for (let waited = 0; to.pending() < 9; waited += 1) {
      if (waited > 500) throw new Error(`only ${to.pending()} deliveries in flight`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    release();
    await passes;
    while ((await a.store.outboxSize()) > 0) await Promise.all([a.server.deliverWebhooksOnce(), b.server.deliverWebhooksOnce()]);

    const ids = to.received.map((delivery) => delivery.id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    for (const session of created) expect(ids).toEqual(expect.arrayContaining([`session.started:${session.session_id}`, `session.ended:${session.session_id}`]));
    for (const delivery of to.received) expect(verify(delivery)).toBeTruthy();
    const byA = logged(a, 'webhook.delivered').length;
    const byB = logged(b, 'webhook.delivered').length;
    expect(byA + byB).toBe(20);
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
    // Usage was counted once per session, whichever instance stopped it.
    const day = new Date(clock.now).toISOString().slice(0, 10);
    expect(await b.store.usage(day, day)).toMatchObject([{ sessions: 10 }]);
  });
});
