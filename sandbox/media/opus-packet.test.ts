import { describe, expect, it } from 'vitest';
import { opusPacketDurationMs } from './opus-packet.js';

/** A TOC byte: config (0–31), stereo flag, frame-count code (0–3). */
const toc = (config: number, code: number) => (config << 3) | code;

describe('opusPacketDurationMs', () => {
  it.each([
    ['SILK NB 10 ms', [toc(0, 0)], 10],
    ['SILK NB 60 ms', [toc(3, 0)], 60],
    ['SILK WB 20 ms', [toc(9, 0)], 20],
    ['Hybrid SWB 10 ms', [toc(12, 0)], 10],
    ['Hybrid FB 20 ms', [toc(15, 0)], 20],
    ['CELT NB 2.5 ms', [toc(16, 0)], 2.5],
    ['CELT FB 20 ms, stereo flag set', [toc(31, 0) | 0x04], 20],
    ['code 1: two equal frames', [toc(31, 1)], 40],
    ['code 2: two frames of different sizes', [toc(1, 2), 5], 40],
    ['code 3: M frames from the count byte', [toc(19, 3), 3], 60],
    ['code 3: padding and VBR flags ignored', [toc(16, 3), 0xc0 | 48], 120],
    ['code 3 over 120 ms', [toc(3, 3), 3], 0],
    ['code 3 with zero frames', [toc(19, 3), 0], 0],
    ['code 3 without its count byte', [toc(19, 3)], 0],
    ['an empty packet', [], 0],
  ])('%s', (_, bytes, expected) => {
    expect(opusPacketDurationMs(Uint8Array.from(bytes))).toBe(expected);
  });
});
