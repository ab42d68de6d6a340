import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Vp8RtpPayload } from 'werift';
import { parseIvf } from './ivf.js';
import { payloadVp8 } from './vp8-payloader.js';

const DESCRIPTOR = 4;

/** Frames of the committed talking clip: a keyframe (several KB) and small deltas. */
const talking = parseIvf(await readFile(new URL('../avatar/media/talking.ivf', import.meta.url)));

/** What a receiver rebuilds: the payloads without their descriptors, in order. */
const reassemble = (payloads: Uint8Array[]) => Buffer.concat(payloads.map((payload) => payload.subarray(DESCRIPTOR)));

/** The 15-bit PictureID of a payload (M bit set). */
const pictureIdOf = (payload: Uint8Array) => ((payload[2]! & 0x7f) << 8) | payload[3]!;

describe('payloadVp8', () => {
  it('cuts a real keyframe into payloads a receiver reassembles into the same frame', () => {
    const frame = talking.frames[0]!.data;
    expect(frame.length).toBeGreaterThan(3 * 1100);
    const payloads = payloadVp8(frame, { pictureId: 1234 });
    expect(payloads.length).toBe(Math.ceil(frame.length / (1100 - DESCRIPTOR)));
    expect(reassemble(payloads).equals(frame)).toBe(true);
    for (const [index, payload] of payloads.entries()) {
      expect(payload.length).toBeLessThanOrEqual(1100);
      // X=1, S only on the first packet, PartID 0; I=1; M=1.
      expect(payload[0]).toBe(index === 0 ? 0x90 : 0x80);
      expect(payload[1]).toBe(0x80);
      expect(payload[2]! & 0x80).toBe(0x80);
      expect(pictureIdOf(payload)).toBe(1234);
    }
  });

  it('is read back by an independent RFC 7741 parser (werift)', () => {
    const keyframe = payloadVp8(talking.frames[0]!.data, { pictureId: 0x7abc }).map((payload) => Vp8RtpPayload.deSerialize(Buffer.from(payload)));
    expect(keyframe.map((packet) => [packet.xBit, packet.sBit, packet.pid, packet.iBit, packet.mBit, packet.pictureId])).toEqual(
      keyframe.map((_, index) => [1, index === 0 ? 1 : 0, 0, 1, 1, 0x7abc]),
    );
    expect(keyframe[0]!.isKeyframe).toBe(true);
    expect(Buffer.concat(keyframe.map((packet) => packet.payload)).equals(talking.frames[0]!.data)).toBe(true);
    const delta = Vp8RtpPayload.deSerialize(Buffer.from(payloadVp8(talking.frames[1]!.data)[0]!));
    expect([delta.sBit, delta.isKeyframe]).toEqual([1, false]);
  });

  it('spreads a frame evenly instead of leaving a runt packet', () => {
    const frame = new Uint8Array(2300).map((_, i) => i & 0xff);
    const sizes = payloadVp8(frame).map((payload) => payload.length);
    expect(sizes).toEqual([771, 771, 770]);
    expect(payloadVp8(new Uint8Array(2192)).map((payload) => payload.length)).toEqual([1100, 1100]);
  });

  it('keeps a small frame in one payload and honours a tiny maxPayloadSize', () => {
    const frame = Uint8Array.of(0x10, 2, 3);
    expect(payloadVp8(frame).map((payload) => [...payload])).toEqual([[0x90, 0x80, 0x80, 0x00, 0x10, 2, 3]]);
    const single = payloadVp8(frame, { maxPayloadSize: 5, pictureId: 7 });
    expect(single.map((payload) => [...payload])).toEqual([
      [0x90, 0x80, 0x80, 7, 0x10],
      [0x80, 0x80, 0x80, 7, 2],
      [0x80, 0x80, 0x80, 7, 3],
    ]);
  });

  it('every payload of every frame of a clip fits and reassembles', () => {
    for (const [index, frame] of talking.frames.entries()) {
      const payloads = payloadVp8(frame.data, { maxPayloadSize: 600, pictureId: index });
      expect(Math.max(...payloads.map((payload) => payload.length))).toBeLessThanOrEqual(600);
      expect(reassemble(payloads).equals(frame.data)).toBe(true);
      expect(payloads.filter((payload) => payload[0]! & 0x10)).toHaveLength(1);
    }
  });

  it('writes the PictureID in 15 bits, wrapping a counter past 0x7fff', () => {
    const frame = Uint8Array.of(0x11);
    expect(pictureIdOf(payloadVp8(frame, { pictureId: 0x7fff })[0]!)).toBe(0x7fff);
    expect([...payloadVp8(frame, { pictureId: 0x7fff })[0]!.subarray(2, 4)]).toEqual([0xff, 0xff]);
    expect(pictureIdOf(payloadVp8(frame, { pictureId: 0x8000 + 5 })[0]!)).toBe(5);
  });

  it.each([
    ['an empty frame', new Uint8Array(0), {}, /frame is empty/],
    ['no room after the descriptor', Uint8Array.of(1), { maxPayloadSize: 4 }, /maxPayloadSize must be an integer over 4/],
    ['a fractional maxPayloadSize', Uint8Array.of(1), { maxPayloadSize: 100.5 }, /maxPayloadSize/],
    ['a negative pictureId', Uint8Array.of(1), { pictureId: -1 }, /pictureId must be a non-negative integer, got -1/],
    ['a fractional pictureId', Uint8Array.of(1), { pictureId: 1.5 }, /pictureId/],
  ])('throws a RangeError on %s', (_, frame, options, message) => {
    expect(() => payloadVp8(frame, options)).toThrow(RangeError);
    expect(() => payloadVp8(frame, options)).toThrow(message);
  });
});
