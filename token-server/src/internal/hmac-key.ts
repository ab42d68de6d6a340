/** HMAC keys made from a secret that may have to be read first (it may live in the ledger). */

/** A key and its uses, as every runtime's Web Crypto types them. */
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
type KeyUses = Parameters<typeof crypto.subtle.importKey>[4];

/** A secret as given (SESSION_SECRET), or how to read it. */
export type SecretSource = string | (() => Promise<string>);

/**
 * An HMAC-SHA256 key of `prefix + secret`, imported on first use; a failed read of the
 * secret (a ledger that is down) is tried again on the next use.
 */
export function lazyHmacKey(secret: SecretSource, prefix: string, usages: KeyUses): () => Promise<HmacKey> {
  const readSecret = typeof secret === 'string' ? async () => secret : secret;
  let imported: Promise<HmacKey> | undefined;
  return () =>
    (imported ??= readSecret()
      .then((text) => crypto.subtle.importKey('raw', new TextEncoder().encode(prefix + text), { name: 'HMAC', hash: 'SHA-256' }, false, usages))
      .catch((error: unknown) => {
        imported = undefined;
        throw error;
      }));
}
