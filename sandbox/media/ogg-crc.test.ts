import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { oggCrc32 } from './ogg-crc.js';

describe('oggCrc32', () => {
  it('matches the catalogue check value of CRC-32 with poly 04C11DB7, init 0, no reflection, no final XOR', () => {
    // CRC-32/CKSUM (same but final XOR ffffffff) has check value 765e7680; Ogg's is its complement.
    expect(oggCrc32(new TextEncoder().encode('123456789'))).toBe(0x89a1897f);
    expect(oggCrc32(new Uint8Array(0))).toBe(0);
  });

  it('reproduces the CRC ffmpeg stored in every page of the committed greeting', async () => {
    const bytes = await readFile(new URL('../avatar/media/greeting.ogg', import.meta.url));
    let pages = 0;
    for (let offset = 0; offset < bytes.length; pages += 1) {
      const segments = bytes[offset + 26]!;
      const bodySize = bytes.subarray(offset + 27, offset + 27 + segments).reduce((sum, value) => sum + value, 0);
      const page = Uint8Array.from(bytes.subarray(offset, offset + 27 + segments + bodySize));
      const stored = new DataView(page.buffer).getUint32(22, true);
      page.fill(0, 22, 26);
      expect(oggCrc32(page)).toBe(stored);
      offset += page.length;
    }
    expect(pages).toBeGreaterThan(2);
  });
});
