/**
 * The CRC-32 in every Ogg page header: polynomial 0x04C11DB7, initial value 0, no bit
 * reflection and no final XOR (unlike zlib's CRC-32, which reflects), computed over the
 * whole page with its CRC field set to zero.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3533#section-6
 */

/** The 256 partial remainders, one per byte value, for the byte-at-a-time loop. */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte += 1) {
    let remainder = byte << 24;
    for (let bit = 0; bit < 8; bit += 1) {
      remainder = remainder & 0x80000000 ? (remainder << 1) ^ 0x04c11db7 : remainder << 1;
    }
    table[byte] = remainder >>> 0;
  }
  return table;
})();

/**
 * Ogg's CRC-32 of `bytes`.
 *
 * @param bytes a whole page, its CRC field (bytes 22–25) zeroed
 * @example
 * oggCrc32(new TextEncoder().encode('123456789')); // 0x89a1897f
 */
export function oggCrc32(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  return crc;
}
