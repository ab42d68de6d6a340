/**
 * A webhook receiver for tests and benchmarks: a real `node:http` server on loopback that
 * records every delivery (headers and body exactly as they came) and answers each with the
 * status `respond` gives (which may wait first, to hold a delivery in flight).
 *
 * Test support, not product code.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Standard Webhooks secret for tests: `whsec_` and 32 bytes in base64. */
export const TEST_WEBHOOK_SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789ABCDEF').toString('base64')}`;

/** One request as the receiver got it. */
export interface ReceivedDelivery {
  /** `webhook-id`, `webhook-timestamp`, `webhook-signature`. */
  id: string;
  timestamp: string;
  signature: string;
  /** Every header, lower-case names. */
  headers: Record<string, string>;
  /** The raw body. */
  body: string;
  /** What it was answered. */
  status: number;
}

/** How a delivery is answered: its status, after whatever wait. */
export type Respond = (delivery: Omit<ReceivedDelivery, 'status'>, index: number) => number | Promise<number>;

/** A running receiver. */
export interface WebhookReceiver {
  /** Its URL, e.g. `http://127.0.0.1:41234/hooks/equos`. */
  url: string;
  /** Every delivery so far, in the order they arrived. */
  received: ReceivedDelivery[];
  /** How deliveries are answered from now on [204]. */
  respond: Respond;
  /** Requests that arrived and are not answered yet. */
  pending(): number;
  /** Resolves once `count` deliveries have been answered; rejects after `timeoutMs` [30 s]. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts a receiver on 127.0.0.1 [port 0: a free one].
 *
 * @example
 * const receiver = await startWebhookReceiver();
 * receiver.respond = (_delivery, index) => (index === 0 ? 500 : 204);
 */
export async function startWebhookReceiver(options: { port?: number; respond?: Respond } = {}): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  let waiting = 0;
  let arrived = 0;
  const waiters = new Set<() => void>();
  const receiver: WebhookReceiver = {
    url: '',
    received,
    respond: options.respond ?? (() => 204),
    pending: () => waiting,
    waitFor(count, timeoutMs = 30_000) {
      if (received.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the receiver got ${received.length} deliveries, not ${count}, in ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (received.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      waiting += 1;
      const index = arrived++;
      const body = await bodyOf(request);
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
      const delivery = { id: headers['webhook-id'] ?? '', timestamp: headers['webhook-timestamp'] ?? '', signature: headers['webhook-signature'] ?? '', headers, body };
      const status = await receiver.respond(delivery, index);
      waiting -= 1;
      received.push({ ...delivery, status });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? '' : 'not now');
      for (const waiter of [...waiters]) waiter();
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/equos`;
  return receiver;
}
