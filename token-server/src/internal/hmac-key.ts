/** HMAC-SHA256 signers made from a secret that may have to be read first (it may live in the ledger). */

/** A key and its uses, as every runtime's Web Crypto types them. */
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/** Signs `data` with one key: the HMAC-SHA256's 32 bytes. */
export type HmacSign = (data: Uint8Array<ArrayBuffer>) => Promise<ArrayBuffer | Uint8Array>;

/**
 * Makes the signer of a raw key. Web Crypto's (`webCryptoHmac`) runs on every runtime Hono
 * runs on; a runtime may offer a cheaper one with the same results: the Node entry passes
 * `node:crypto`'s (../node/node-hmac.ts), which signs in microseconds, without Web Crypto's
 * round trip to the thread pool (issue 13).
 */
export type HmacFactory = (key: Uint8Array<ArrayBuffer>) => HmacSign;

/** HMAC-SHA256 on Web Crypto, the key imported once. */
export const webCryptoHmac: HmacFactory = (key) => {
  let imported: Promise<HmacKey> | undefined;
  return async (data) => crypto.subtle.sign('HMAC', await (imported ??= crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])), data);
};

/** A secret as given (SESSION_SECRET), or how to read it. */
export type SecretSource = string | (() => Promise<string>);

/**
 * An HMAC-SHA256 signer under the key `prefix + secret`, made on first use; a failed read of
 * the secret (a ledger that is down) is tried again on the next use.
 *
 * @param hmac [webCryptoHmac]
 */
export function lazyHmac(secret: SecretSource, prefix: string, hmac: HmacFactory = webCryptoHmac): () => Promise<HmacSign> {
  const readSecret = typeof secret === 'string' ? async () => secret : secret;
  let made: Promise<HmacSign> | undefined;
  return () =>
    (made ??= readSecret()
      .then((text) => hmac(new TextEncoder().encode(prefix + text)))
      .catch((error: unknown) => {
        made = undefined;
        throw error;
      }));
}
