/**
 * LiveKit-style resource ids: a type prefix and 12 random base62 characters, like the real
 * server's `RM_`, `PA_` and `TR_` sids. livekit-client reads these prefixes: a stream id
 * `PA_…|TR_…` tells it which participant and track a media stream belongs to.
 */

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The kinds of sid this server hands out. */
export type SidPrefix = 'RM_' | 'PA_' | 'TR_';

/** A new random sid with `prefix`. */
export function newSid(prefix: SidPrefix): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let id = prefix;
  // 256 % 62 leaves a small bias; fine for ids that only need to be unique, not secret.
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}
