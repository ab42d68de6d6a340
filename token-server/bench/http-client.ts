/**
 * The benchmarks' HTTP client: requests on kept-alive `node:http` connections (lighter than
 * `fetch`, so the load generator takes less of the machine than the server it measures), their
 * bodies read as text.
 */
import { Agent, request } from 'node:http';

/** What a request got. */
export interface BenchResponse {
  status: number;
  text: string;
}

/** Sends requests to `base`, at most `sockets` at once; `close()` ends its connections. */
export type BenchSend = ((method: string, path: string, headers: Record<string, string>, body?: string) => Promise<BenchResponse>) & { close(): void };

/**
 * A client of the server at `base`.
 *
 * @example
 * const send = keptAliveClient(new URL(url), 16);
 * const { status } = await send('POST', '/api/sessions', { origin, 'content-type': 'application/json' }, '{}');
 */
export function keptAliveClient(base: URL, sockets: number): BenchSend {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<BenchResponse>((resolve, reject) => {
      const length = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
      const outgoing = request({ agent, host: base.hostname, port: base.port, method, path, headers: { ...headers, ...length } }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  return Object.assign(send, { close: () => agent.destroy() });
}
