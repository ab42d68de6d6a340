/**
 * Who is asking: the client's IP address, taken from a proxy header only when the operator
 * said which proxy to trust (otherwise anyone could claim any address and dodge the limits),
 * and turned into an opaque visitor key so that the ledger never stores addresses.
 */
import type { Context } from 'hono';
import { toBase64Url } from '../internal/base64url.js';
import { lazyHmac, type HmacFactory, type SecretSource } from '../internal/hmac-key.js';
import type { Logger } from '../logger.js';

/** Which proxy header to believe, and how many proxies sit in front of the server. */
export interface TrustedProxy {
  /** In lower case: e.g. `x-forwarded-for`, `cf-connecting-ip`, `fly-client-ip`, or `forwarded` (RFC 7239). */
  header: string;
  /** For a list header (X-Forwarded-For, Forwarded): the entry this many hops from the right [1]. */
  hops: number;
}

/** The standard header (RFC 7239), whose entries are `for=` parameters, not bare addresses. */
const FORWARDED = 'forwarded';
/** Longer than any address with brackets, zone and port: not worth parsing. */
const MAX_ENTRY_LENGTH = 128;

/**
 * Reads the address of the connection a request came on, as the runtime tells it (undefined
 * when it cannot): each runtime's server hands it over differently (`c.env`).
 *
 * @example
 * import { getConnInfo } from 'hono/bun';
 * const connectionAddress: ConnectionAddress = (c) => getConnInfo(c).remote.address;
 */
export type ConnectionAddress = (c: Context) => string | undefined;

/**
 * Node's (`@hono/node-server` passes the `IncomingMessage` as `c.env.incoming`), undefined
 * elsewhere. The default, so callers that serve on Node need not say it.
 *
 * @example nodeConnectionAddress(c) // '::ffff:203.0.113.5'
 */
export const nodeConnectionAddress: ConnectionAddress = (c) => {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
};

/** What `clientAddress` answers when neither the trusted proxy nor the connection names an address. */
export const UNKNOWN_CLIENT = 'unknown';

/**
 * The client's address, or `UNKNOWN_CLIENT`. With a trusted proxy, its header's entry `proxy.hops`
 * from the right (the first one if there are fewer), when that entry is an address; otherwise,
 * and without a trusted proxy, the connection's. Ports, brackets and zone ids are dropped, so
 * a visitor is the same whichever source port a connection came from.
 *
 * @param connection how the runtime tells the connection's address [Node's socket]
 * @example
 * // Forwarded: for=198.51.100.9;proto=https, for="[2001:db8::7]:4711"   (hops: 1)
 * clientAddress(c, { header: 'forwarded', hops: 1 }) // '2001:db8::7'
 */
export function clientAddress(c: Context, proxy: TrustedProxy | null, connection: ConnectionAddress = nodeConnectionAddress): string {
  if (proxy) {
    const header = c.req.header(proxy.header) ?? '';
    const entries = proxy.header === FORWARDED ? forwardedFor(header) : listEntries(header);
    const candidate = entries[entries.length - proxy.hops] ?? entries[0];
    const address = candidate ? parseAddress(candidate) : null;
    if (address) return address;
  }
  const socket = connection(c);
  return (socket && parseAddress(socket)) || UNKNOWN_CLIENT;
}

/** Options of `createClientAddress`. */
export interface ClientAddressOptions {
  trustedProxy: TrustedProxy | null;
  /** [Node's socket: `nodeConnectionAddress`] */
  connectionAddress?: ConnectionAddress;
  /** Told, once, when a request's address cannot be told. */
  logger: Logger;
}

/**
 * `clientAddress` with the host's way of reading connections, saying so once when a request
 * comes without any address: a host that calls `server.fetch` without telling the connection
 * (and no trusted proxy header), or a connection that has none (a Unix socket).
 *
 * Such requests all count as one visitor, `UNKNOWN_CLIENT`: the per-visitor limits then hold
 * for all of them together. That fails closed: they can never start more sessions than one
 * visitor may (a key per request would lift the limits altogether), at the price that one of
 * them can use up the others' share, until the operator follows the warning.
 *
 * @example
 * const addressOf = createClientAddress({ trustedProxy: settings.trustedProxy, logger });
 * const key = await visitorKey(addressOf(c));
 */
export function createClientAddress(options: ClientAddressOptions): (c: Context) => string {
  const { trustedProxy, logger } = options;
  const connection = options.connectionAddress ?? nodeConnectionAddress;
  let warned = false;
  return (c) => {
    const address = clientAddress(c, trustedProxy, connection);
    if (address === UNKNOWN_CLIENT && !warned) {
      warned = true;
      logger.warn('visitors.address.unknown', {
        note:
          'A request came without a client address: the runtime did not tell its connection\'s' +
          (trustedProxy ? `, and it had no ${trustedProxy.header} header naming one` : ' and no TRUSTED_PROXY_HEADER is set') +
          '. Every such request counts as one visitor, so the per-visitor limits are shared among them.' +
          ' Fix: pass deps.connectionAddress to createTokenServer (how your runtime tells the connection\'s address),' +
          ' or set TRUSTED_PROXY_HEADER to the header your proxy or platform sets. Said once.',
      });
    }
    return address;
  };
}

/** The entries of a comma-separated list header such as X-Forwarded-For, empty ones skipped. */
function listEntries(header: string): string[] {
  return header.split(',').map((entry) => entry.trim()).filter(Boolean);
}

/**
 * The `for=` value of each element of a Forwarded header (RFC 7239 §4), unquoted; '' for an
 * element without exactly one (an element a proxy added still counts as a hop).
 *
 * Commas and semicolons split even inside quotes: no node name contains them, and the left
 * of the header is the client's to write, so an unclosed quote there must not swallow the
 * elements the trusted proxies appended.
 */
function forwardedFor(header: string): string[] {
  return listEntries(header).map((element) => {
    const values = element.split(';').flatMap((pair) => {
      const equals = pair.indexOf('=');
      return equals > 0 && pair.slice(0, equals).trim().toLowerCase() === 'for' ? [unquote(pair.slice(equals + 1).trim())] : [];
    });
    return values.length === 1 ? values[0]! : '';
  });
}

/** A token or an RFC 9110 quoted-string, as its plain value ('' when a quote is unbalanced). */
function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  return value.length >= 2 && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : '';
}

// RFC 7239 §6 also allows an obfuscated port (`_p1`); either way the port is dropped.
const PORT = String.raw`(?::(\d{1,5}|_[\w.-]{1,32}))?`;
const IPV4_WITH_PORT = new RegExp(String.raw`^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})${PORT}$`);
const BRACKETED_WITH_PORT = new RegExp(String.raw`^\[([^\]]+)\]${PORT}$`);
// RFC 4007 §11 zone ids: `fe80::1%eth0`, or `%25eth0` inside a URI's brackets (RFC 6874).
const ZONE = /%[\w.~-]{1,64}$/;

/**
 * The address an entry names, or null when it names none (an obfuscated `_hidden`, `unknown`,
 * a host name, garbage): IPv4 with an optional port; IPv6 bare, or in brackets with an
 * optional port; a zone id dropped. IPv4 written as IPv6 (`::ffff:192.0.2.7`) is given as IPv4.
 *
 * @example parseAddress('[2001:DB8::1%25eth0]:443') // '2001:db8::1'
 */
export function parseAddress(entry: string): string | null {
  if (entry.length > MAX_ENTRY_LENGTH) return null;
  const ipv4 = IPV4_WITH_PORT.exec(entry);
  if (ipv4) {
    const octets = ipv4.slice(1, 5).map(Number);
    return octets.every((octet) => octet <= 255) && isPort(ipv4[5]) ? octets.join('.') : null;
  }
  const bracketed = BRACKETED_WITH_PORT.exec(entry);
  if (bracketed && !isPort(bracketed[2])) return null;
  const ipv6 = (bracketed ? bracketed[1]! : entry).replace(ZONE, '').toLowerCase();
  const groups = ipv6.includes(':') ? expandIPv6(ipv6) : null;
  if (!groups) return null;
  return mappedIPv4(groups) ?? ipv6;
}

/** Whether a port as the patterns above capture it (absent, obfuscated, or numeric) is one. */
function isPort(port: string | undefined): boolean {
  return port === undefined || port.startsWith('_') || Number(port) <= 65535;
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
  return mappedIPv4(groups) ?? `${groups.slice(0, 4).map((group) => group.toString(16)).join(':')}::/64`;
}

/** The IPv4 host an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2) stands for, or null. */
function mappedIPv4(groups: readonly number[]): string | null {
  if (!groups.slice(0, 5).every((group) => group === 0) || groups[5] !== 0xffff) return null;
  return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
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

/** Visitor networks whose keys are kept: every create, stop and heartbeat asks for one. */
const VISITOR_KEY_MEMO_SIZE = 10_000;

/**
 * Turns addresses into keyed hashes of their visitor network (see `visitorNetwork`): stable
 * per deployment, meaningless outside it. The keys of recent networks are kept (a bounded
 * memo, oldest out first): a visitor's create, heartbeats and stop all ask for the same one,
 * and Web Crypto's round trip to the thread pool is not free (issue 13).
 *
 * @param hmac how to compute HMAC-SHA256 [Web Crypto]
 */
export function createVisitorKeys(secret: SecretSource, hmac?: HmacFactory): (address: string) => Promise<string> {
  const signerOf = lazyHmac(secret, 'visitor-key\u0000', hmac);
  const known = new Map<string, string>();
  return async (address) => {
    const network = visitorNetwork(address);
    const kept = known.get(network);
    if (kept !== undefined) return kept;
    const key = toBase64Url((await (await signerOf())(new TextEncoder().encode(network))).slice(0, 12));
    if (known.size >= VISITOR_KEY_MEMO_SIZE) known.delete(known.keys().next().value!);
    known.set(network, key);
    return key;
  };
}
