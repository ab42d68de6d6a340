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
export function clientAddress(c: Context, proxy: TrustedProxy | null): string {
  if (proxy) {
    const entries = (c.req.header(proxy.header) ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
    const candidate = entries[entries.length - proxy.hops] ?? entries[0];
    if (candidate && IP.test(candidate)) return candidate;
  }
  const address = socketAddress(c);
  return address && IP.test(address) ? address.replace(/^::ffff:/, '') : 'unknown';
}

/**
 * The network a visitor's limits apply to: an IPv4 address, or the /64 an IPv6 address sits
 * in. One home or one phone gets a whole /64 (RFC 6177) and may pick any address inside it
 * at will, so counting IPv6 addresses one by one would give a single script 2^64 visitors'
 * worth of sessions. Anything unparsable is returned as it is (one visitor).
 *
 * @example visitorNetwork('2001:db8:0:1:a::7') // '2001:db8:0:1::/64'
 */
export function visitorNetwork(address: string): string {
  const bare = address.replace(/%.*$/, '').toLowerCase();
  if (!bare.includes(':')) return bare;
  const groups = expandIPv6(bare);
  if (!groups) return bare;
  // An IPv4 address written as IPv6 (::ffff:a.b.c.d) is that IPv4 host.
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
  }
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (`::` and a trailing dotted IPv4 allowed), or null. */
function expandIPv6(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (!part) return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes('.')) {
        const octets = piece.split('.').map(Number);
        if (octets.length !== 4 || octets.some((octet) => !Number.isInteger(octet) || octet > 255)) return null;
        groups.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
      } else if (/^[0-9a-f]{1,4}$/.test(piece)) groups.push(parseInt(piece, 16));
      else return null;
    }
    return groups;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...Array<number>(missing).fill(0), ...tail];
}

/**
 * Turns addresses into keyed hashes of their visitor network (see `visitorNetwork`): stable
 * per deployment, meaningless outside it.
 */
export function createVisitorKeys(secret: string): (address: string) => Promise<string> {
  const key = crypto.subtle.importKey('raw', new TextEncoder().encode(`visitor-key\u0000${secret}`), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return async (address) => toBase64Url((await crypto.subtle.sign('HMAC', await key, new TextEncoder().encode(visitorNetwork(address)))).slice(0, 12));
}
