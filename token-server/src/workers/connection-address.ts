/** Who is asking, on Workers. */
import type { ConnectionAddress } from '../visitors/client-address.js';

/**
 * The visitor's address on Workers: Cloudflare sets `CF-Connecting-IP` on every request that
 * reaches a Worker from the internet, replacing any the client sent, so it cannot be forged
 * (it is what `getConnInfo` of `hono/cloudflare-workers` reads, too). Each visitor is then
 * counted on its own by the per-visitor limits, as the socket's address does on Node.
 *
 * @example cloudflareConnectionAddress(c) // '203.0.113.7'
 */
export const cloudflareConnectionAddress: ConnectionAddress = (c) => c.req.header('cf-connecting-ip');
