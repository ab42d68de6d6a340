/**
 * The Node entry's transport to Equos: the part of `fetch` our Equos clients use
 * (../equos/http.ts), on `node:http` and `node:https` with kept-alive connections.
 *
 * Node's `fetch` builds a WHATWG `Request`, `Headers`, `Response` and web streams for every
 * call: with two Equos calls per create and stop, about a tenth of the token server's CPU in
 * `npm run bench` (issue 13). Here one request is one write (headers and body together) on a
 * connection kept open for the next, and the small JSON answer is read as one buffer.
 *
 * It keeps what the clients rely on from `fetch`: a redirect is a network error (never
 * followed, so the API key goes nowhere else), an aborted signal rejects with its reason,
 * a compressed answer (gzip, deflate, br) is decoded, and a failure rejects with a
 * `TypeError` whose `cause` says what happened, as `fetch` does.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { EquosFetch } from '../equos/http.js';

/** Options of `createEquosFetch`. */
export interface EquosFetchOptions {
  /** Connections kept open per Equos host, at most [64]. */
  maxSockets?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** `fetch`'s failure: a TypeError, with what happened as its cause. */
const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });

function decoded(body: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case undefined:
    case '':
    case 'identity':
      return body;
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(body);
    case 'deflate':
      return inflateSync(body);
    case 'br':
      return brotliDecompressSync(body);
    default:
      throw new Error(`unsupported content-encoding ${String(encoding).slice(0, 32)}`);
  }
}

/**
 * Creates the transport (one pool of connections per instance: make one per process).
 *
 * @example
 * const client = createEquosClient({ apiKey, endpoint, fetch: createEquosFetch() });
 */
export function createEquosFetch(options: EquosFetchOptions = {}): EquosFetch & { close(): void } {
  const maxSockets = options.maxSockets ?? 64;
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets }), https: new HttpsAgent({ keepAlive: true, maxSockets }) };

  const equosFetch: EquosFetch = (url, init) =>
    new Promise((resolve, reject) => {
      const { signal } = init;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') {
        reject(fetchFailed(new Error(`unsupported protocol ${target.protocol}`)));
        return;
      }
      const headers: Record<string, string | number> = { ...init.headers };
      if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        reject(signal?.aborted ? signal.reason : fetchFailed(error));
      };
      const onAbort = () => outgoing.destroy(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
      const onResponse = (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        if (REDIRECTS.has(status)) {
          response.resume();
          fail(new Error(`unexpected redirect (${status})`));
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', fail);
        response.once('close', () => {
          if (!response.complete) fail(new Error('the answer was cut off'));
        });
        response.once('end', () => {
          if (settled) return;
          let text: string;
          try {
            const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
            text = decoded(body, response.headers['content-encoding']).toString('utf8');
          } catch (error) {
            fail(error);
            return;
          }
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          resolve({ ok: status >= 200 && status <= 299, status, text: async () => text });
        });
      };
      const outgoing = (secure ? httpsRequest : httpRequest)(target, { method: init.method, headers, agent: secure ? agents.https : agents.http }, onResponse);
      outgoing.once('error', fail);
      signal?.addEventListener('abort', onAbort, { once: true });
      outgoing.end(init.body);
    });

  return Object.assign(equosFetch, {
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}
