/**
 * Stop tokens: proof that a caller is the browser a session was created for.
 *
 * A token is an HMAC-SHA256 of the session id under `SESSION_SECRET`, so every instance of a
 * deployment can verify it without shared state, and a token for one session is worthless
 * for any other. Web Crypto keeps this portable to every runtime Hono runs on.
 */
import { fromBase64Url, toBase64Url } from '../internal/base64url.js';
import { lazyHmacKey, type SecretSource } from '../internal/hmac-key.js';

/** Signs and verifies stop tokens under one secret. */
export interface StopTokens {
  sign(sessionId: string): Promise<string>;
  /** Constant-time; `false` for any malformed token, including another spelling of a valid one. */
  verify(sessionId: string, token: string): Promise<boolean>;
}

const VERSION = 'v1';
// Domain separation: the same secret may one day sign other things.
const CONTEXT = 'equos-avatar/stop-token/v1\u0000';
const MAX_TOKEN_LENGTH = 128;
const encoder = new TextEncoder();

/**
 * Creates a signer for `secret` (or for the secret `secret()` reads, once).
 *
 * @example
 * const tokens = createStopTokens(config.sessionSecret);
 * const token = await tokens.sign(session.id);
 * await tokens.verify(session.id, token); // true
 */
export function createStopTokens(secret: SecretSource): StopTokens {
  const keyOf = lazyHmacKey(secret, '', ['sign', 'verify']);
  const message = (sessionId: string) => encoder.encode(CONTEXT + sessionId);

  return {
    async sign(sessionId) {
      const mac = await crypto.subtle.sign('HMAC', await keyOf(), message(sessionId));
      return `${VERSION}.${toBase64Url(mac)}`;
    },
    async verify(sessionId, token) {
      if (token.length > MAX_TOKEN_LENGTH || !token.startsWith(`${VERSION}.`)) return false;
      const encoded = token.slice(VERSION.length + 1);
      if (!/^[\w-]{43}$/.test(encoded)) return false;
      const mac = fromBase64Url(encoded);
      // 43 characters carry 258 bits for the MAC's 256: the last one's two spare bits would let
      // four spellings of every token verify. Only the one `sign` writes is the token.
      if (toBase64Url(mac) !== encoded) return false;
      return crypto.subtle.verify('HMAC', await keyOf(), mac, message(sessionId));
    },
  };
}
