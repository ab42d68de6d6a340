/**
 * Webhook events survive a SIGKILL: the real server (a child process, as users run it)
 * creates and stops a session while its receiver is down, is killed without a chance to
 * flush anything, and a new process on the same ledger delivers both events, each once,
 * signed. Once on the SQLite file, once on Redis.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../../sandbox/equos-api/server.js';
import { TEST_API_KEY } from '../../test/harness.js';
import { startRedis, type RunningRedis } from '../../test/redis-server.js';
import { freePort, LIFTED_LIMITS, spawnTokenServer, type ServerProcess } from '../../test/server-process.js';
import { startWebhookReceiver, TEST_WEBHOOK_SECRET as WEBHOOK_SECRET, type WebhookReceiver } from './testing/receiver.js';

const ORIGIN = 'https://shop.example';

let equos: RunningEquosApiDouble;
let redis: RunningRedis;
beforeAll(async () => {
  [equos, redis] = await Promise.all([startEquosApiDouble({ apiKey: TEST_API_KEY }), startRedis()]);
});
afterAll(async () => {
  await equos?.close();
  await redis?.close();
});

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Creates and stops a session through `server`'s API; its id. */
async function createAndStop(server: ServerProcess): Promise<string> {
  const base = await server.ready();
  const created = (await (await post(`${base}/api/sessions`, {})).json()) as { session_id: string; stop_token: string };
  const stopped = await post(`${base}/api/sessions/${created.session_id}/stop`, { stop_token: created.stop_token });
  expect(stopped.status).toBe(200);
  return created.session_id;
}

/** Waits for `server` to have logged `event` `count` times (its attempts are what the receiver cannot show while it is down). */
async function logged(server: ServerProcess, event: string, count: number): Promise<void> {
  for (let waited = 0; server.output().split(`"event":"${event}"`).length - 1 < count; waited += 50) {
    if (waited > 20_000) throw new Error(`no ${count} × ${event} in:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Both events of `sessionId`, each delivered once, signed. */
function expectDelivered(receiver: WebhookReceiver, sessionId: string): void {
  const delivered = receiver.received.filter((delivery) => delivery.status < 300);
  expect(delivered.map((delivery) => delivery.id).sort()).toEqual([`session.ended:${sessionId}`, `session.started:${sessionId}`]);
  const webhook = new Webhook(WEBHOOK_SECRET);
  for (const delivery of delivered) {
    const event = webhook.verify(delivery.body, { 'webhook-id': delivery.id, 'webhook-timestamp': delivery.timestamp, 'webhook-signature': delivery.signature });
    expect(event).toMatchObject({ data: { session_id: sessionId, preset: 'default', origin: ORIGIN } });
  }
}

// Two server processes start one after the other, and the second waits for the first retry (5 s).
describe('webhook delivery after a SIGKILL', { timeout: 90_000 }, () => {
  it('on SQLite: the receiver was not even listening; the next process delivers both events, once each', async () => {
    const ledger = join(mkdtempSync(join(tmpdir(), 'webhooks-sigkill-')), 'ledger.sqlite');
    const port = await freePort();
    const env = {
      EQUOS_API_KEY: TEST_API_KEY,
      EQUOS_ENDPOINT: equos.url,
      EQUOS_AVATAR_ID: 'avatar-1',
      ALLOWED_ORIGINS: ORIGIN,
      LEDGER_PATH: ledger,
      WEBHOOK_URL: `http://127.0.0.1:${port}/hooks/equos`,
      WEBHOOK_SECRET,
      ...LIFTED_LIMITS,
    };
    const first = spawnTokenServer(env);
    let second: ServerProcess | undefined;
    let receiver: WebhookReceiver | undefined;
    try {
      const sessionId = await createAndStop(first);
      // Both were tried (the connection refused), and wait in the ledger for their retry.
      await logged(first, 'webhook.failed', 2);
      await first.kill('SIGKILL');
      receiver = await startWebhookReceiver({ port });
      second = spawnTokenServer(env);
      await second.ready();
      await receiver.waitFor(2);
      expectDelivered(receiver, sessionId);
      await second.kill('SIGTERM');
      const db = new Database(ledger, { readonly: true });
      expect((db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n).toBe(0);
      db.close();
      // Nothing more came after the removal.
      expect(receiver.received).toHaveLength(2);
    } finally {
      await first.kill('SIGKILL');
      await second?.kill('SIGKILL');
      await receiver?.close();
    }
  });

  it('on Redis: the receiver answered 503; the next process delivers both events, once each', async () => {
    const receiver = await startWebhookReceiver({ respond: () => 503 });
    const env = {
      EQUOS_API_KEY: TEST_API_KEY,
      EQUOS_ENDPOINT: equos.url,
      EQUOS_AVATAR_ID: 'avatar-1',
      ALLOWED_ORIGINS: ORIGIN,
      REDIS_URL: redis.url,
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET,
      ...LIFTED_LIMITS,
    };
    const first = spawnTokenServer(env);
    let second: ServerProcess | undefined;
    try {
      const sessionId = await createAndStop(first);
      await receiver.waitFor(2);
      expect(receiver.received.map((delivery) => delivery.status)).toEqual([503, 503]);
      await first.kill('SIGKILL');
      receiver.respond = () => 204;
      second = spawnTokenServer(env);
      await second.ready();
      await receiver.waitFor(4);
      expectDelivered(receiver, sessionId);
      // The retries carried the same ids as the attempts before the kill.
      expect(receiver.received.slice(2).map((delivery) => delivery.id).sort()).toEqual(receiver.received.slice(0, 2).map((delivery) => delivery.id).sort());
      await second.kill('SIGTERM');
      expect(receiver.received).toHaveLength(4);
    } finally {
      await first.kill('SIGKILL');
      await second?.kill('SIGKILL');
      await receiver.close();
    }
  });
});
