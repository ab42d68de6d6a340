/**
 * Stop tokens: proof that a caller is the browser a session was created for.
 *
 * A token is an HMAC-SHA256 of the session id under `SESSION_SECRET`, so every instance of a
 * deployment can verify it without shared state, and a token for one session is worthless
 * for any other. Web Crypto keeps this portable to every runtime Hono runs on.
 *
 * The HMAC is Web Crypto's unless the runtime offers a cheaper one (the Node entry passes
 * `node:crypto`'s: ../internal/hmac-key.ts). The tokens this instance signed lately are kept (a
 * bounded memo), so the stop of a session created here compares the token with the one it was
 * given instead of computing the HMAC again (issue 13). Either way the comparison is
 * constant-time, and a token is only ever the one spelling `sign` wrote.
 */
import { toBase64Url } from '../internal/base64url.js';
import { lazyHmac, type HmacFactory, type SecretSource } from '../internal/hmac-key.js';

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
/** Tokens kept for their stops: far more sessions than an instance runs at once. */
const SIGNED_MEMO_SIZE = 10_000;
const encoder = new TextEncoder();

/** Whether two strings are equal, in a time that depends only on their lengths. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index += 1) difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  return difference === 0;
}

/**
 * Creates a signer for `secret` (or for the secret `secret()` reads, once).
 *
 * @param hmac how to compute HMAC-SHA256 [Web Crypto]
 * @example
 * const tokens = createStopTokens(config.sessionSecret);
 * const token = await tokens.sign(session.id);
 * await tokens.verify(session.id, token); // true
 */
export function createStopTokens(secret: SecretSource, hmac?: HmacFactory): StopTokens {
  const signerOf = lazyHmac(secret, '', hmac);
  const message = (sessionId: string) => encoder.encode(CONTEXT + sessionId);
  // Only `sign` adds to it (a flood of forged stops cannot push real sessions out); oldest out first.
  const signed = new Map<string, string>();

  return {
    async sign(sessionId) {
      const mac = await (await signerOf())(message(sessionId));
      const token = `${VERSION}.${toBase64Url(mac)}`;
      if (signed.size >= SIGNED_MEMO_SIZE) signed.delete(signed.keys().next().value!);
      signed.set(sessionId, token);
      return token;
    },
    async verify(sessionId, token) {
      if (token.length > MAX_TOKEN_LENGTH || !token.startsWith(`${VERSION}.`)) return false;
      const encoded = token.slice(VERSION.length + 1);
      if (!/^[\w-]{43}$/.test(encoded)) return false;
      // The token is the very string `sign` writes: 43 characters carry 258 bits for the MAC's
      // 256, so comparing MACs would let the last character's two spare bits give four
      // spellings of every token.
      const expected = signed.get(sessionId) ?? `${VERSION}.${toBase64Url(await (await signerOf())(message(sessionId)))}`;
      return constantTimeEqual(token, expected);
    },
  };
}
