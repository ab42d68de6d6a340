import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { MediaFormatError } from './errors.js';
import { parseIvf } from './ivf.js';
import { ivfFile } from './test-fixtures.js';

const asset = (name: string) => readFile(new URL(`../avatar/media/${name}`, import.meta.url));

describe('parseIvf', () => {
  it('reads the committed idle clip as ffmpeg wrote it', async () => {
    const clip = parseIvf(await asset('idle.ivf'));
    expect(clip).toMatchObject({ fourcc: 'VP80', width: 640, height: 360, timebase: { numerator: 1, denominator: 30 } });
    expect(clip.frames).toHaveLength(120);
    expect(clip.frames.map((frame) => frame.timestamp)).toEqual([...Array(120).keys()]);
    const keyframes = clip.frames.flatMap((frame, index) => (frame.keyframe ? [index] : []));
    expect(keyframes).toEqual([0, 30, 60, 90]);
    // VP8 keyframes carry the start code 9d 01 2a after the 3-byte frame tag (RFC 6386 §9.1).
    expect([...clip.frames[0]!.data.subarray(3, 6)]).toEqual([0x9d, 0x01, 0x2a]);
  });

  it('reads header fields, frame data and the keyframe bit from hand-built bytes', () => {
    const key = Uint8Array.of(0x10, 0xaa, 0xbb);
    const delta = Uint8Array.of(0x11, 0xcc);
    const clip = parseIvf(ivfFile([key, delta, new Uint8Array(0)], { fourcc: 'VP80', width: 320, height: 240, rate: 90_000, scale: 3000, timestamps: [0n, 2n ** 40n, 7n] }));
    expect(clip).toMatchObject({ fourcc: 'VP80', width: 320, height: 240, timebase: { numerator: 3000, denominator: 90_000 } });
    expect(clip.frames.map((frame) => [[...frame.data], frame.timestamp, frame.keyframe])).toEqual([
      [[0x10, 0xaa, 0xbb], 0, true],
      [[0x11, 0xcc], 2 ** 40, false],
      [[], 7, false],
    ]);
  });

  it('honours a header longer than 32 bytes and works on a view into a larger buffer', () => {
    const plain = ivfFile([Uint8Array.of(0x10, 1)]);
    const longer = new Uint8Array(plain.length + 8);
    longer.set(plain.subarray(0, 32));
    longer.set(plain.subarray(32), 40);
    new DataView(longer.buffer).setUint16(6, 40, true);
    const padded = new Uint8Array(longer.length + 10);
    padded.set(longer, 5);
    const clip = parseIvf(padded.subarray(5, 5 + longer.length));
    expect(clip.frames.map((frame) => [...frame.data])).toEqual([[0x10, 1]]);
  });

  it('accepts a file with no frames', () => {
    expect(parseIvf(ivfFile([])).frames).toEqual([]);
  });

  it.each([
    ['shorter than the header', () => new Uint8Array(20), /shorter than the 32-byte header/],
    ['a bad signature', () => Object.assign(ivfFile([]), { 0: 0x52 }), /bad signature "RKIF"/],
    ['a header length under 32', () => patch(ivfFile([]), (view) => view.setUint16(6, 16, true)), /bad header length 16/],
    ['a zero timebase', () => patch(ivfFile([]), (view) => view.setUint32(16, 0, true)), /zero term/],
    ['a truncated frame header', () => ivfFile([Uint8Array.of(1)]).subarray(0, 40), /frame 0 header truncated at byte 32/],
    ['a truncated frame', () => ivfFile([Uint8Array.of(0x10), Uint8Array.of(1, 2, 3)]).subarray(0, 32 + 13 + 12 + 2), /frame 1 truncated: needs 3 bytes, 2 left/],
  ])('throws a MediaFormatError on %s', (_, bytes, message) => {
    expect(() => parseIvf(bytes())).toThrow(MediaFormatError);
    expect(() => parseIvf(bytes())).toThrow(message);
  });
});

/** Returns `bytes` after `edit` changed its header. */
function patch(bytes: Uint8Array, edit: (view: DataView) => void): Uint8Array {
  edit(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return bytes;
}
