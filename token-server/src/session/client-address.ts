/**
 * Who is asking: the client's IP address, taken from a proxy header only when the operator
 * said which proxy to trust (otherwise anyone could claim any address and dodge the limits),
 * and turned into an opaque visitor key so that the ledger never stores addresses.
 */
import type { Context } from 'hono';
import { toBase64Url } from '../internal/base64url.js';

/** Which proxy header to believe, and how many proxies sit in front of the server. */
export interface TrustedProxy {
  /** e.g. `x-forwarded-for`, `cf-connecting-ip`, `fly-client-ip` (lower case). */
  header: string;
  /** For a list header (X-Forwarded-For): the entry this many hops from the right [1]. */
  hops: number;
}

const IP = /^[0-9a-fA-F.:]{2,45}$/;

/** The socket's address, when the runtime tells (Node: `c.env.incoming`). */
function socketAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/** The client's address, or 'unknown'. */
export function clientAddress(c: Context, proxy: TrustedProxy | undefined): string {
  if (proxy) {
    const entries = (c.req.header(proxy.header) ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
    const candidate = entries[entries.length - proxy.hops] ?? entries[0];
    if (candidate && IP.test(candidate)) return candidate;
  }
  const address = socketAddress(c);
  return address && IP.test(address) ? address.replace(/^::ffff:/, '') : 'unknown';
}

/** Turns addresses into keyed hashes: stable per deployment, meaningless outside it. */
export function createVisitorKeys(secret: string): (address: string) => Promise<string> {
  const key = crypto.subtle.importKey('raw', new TextEncoder().encode(`visitor-key\u0000${secret}`), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return async (address) => toBase64Url((await crypto.subtle.sign('HMAC', await key, new TextEncoder().encode(address))).slice(0, 12));
}
