import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { MediaFormatError } from './errors.js';
import { opusPacketDurationMs, parseOggOpus } from './ogg-opus.js';
import { joinBytes, lacing, oggOpusFile, oggPage, opusHead, opusPacket, opusTags } from './test-fixtures.js';

const asset = (name: string) => readFile(new URL(`../avatar/media/${name}`, import.meta.url));

/** The header pages every hand-built stream starts with. */
const headerPages = (head = opusHead()) => [
  oggPage({ lacing: lacing(head.length), body: head, sequence: 0, first: true }),
  oggPage({ lacing: lacing(opusTags().length), body: opusTags(), sequence: 1 }),
];

describe('parseOggOpus', () => {
  it.each([
    ['greeting.ogg', 8000],
    ['heard.ogg', 1000],
  ])('reads the committed %s: mono 48 kHz, 20 ms packets', async (name, atLeastMs) => {
    const speech = parseOggOpus(await asset(name));
    expect(speech).toMatchObject({ channels: 1, inputSampleRate: 48_000 });
    // libopus's encoder delay: 6.5 ms at 48 kHz.
    expect(speech.preSkip).toBe(312);
    expect(new Set(speech.packets.map(opusPacketDurationMs))).toEqual(new Set([20]));
    expect(speech.packets.length * 20).toBeGreaterThan(atLeastMs);
  });

  it('reads the header fields and leaves OpusHead and OpusTags out of the packets', () => {
    const packets = [opusPacket(3, 1), opusPacket(40, 2)];
    const speech = parseOggOpus(oggOpusFile(packets, opusHead(2, 120, 44_100)));
    expect(speech).toEqual({ channels: 2, preSkip: 120, inputSampleRate: 44_100, packets });
  });

  it('reassembles packets across lacing values of 255 and across pages', () => {
    const a = opusPacket(300, 1); // lacing 255, 45
    const b = opusPacket(255, 2); // lacing 255, 0: the 0 ends it
    const c = opusPacket(700, 3); // 255, 255 on one page, 190 continued on the next
    const d = opusPacket(510, 4); // 255, 255 on one page, then only its closing 0 on the next
    const e = opusPacket(1, 5);
    const pages = [
      ...headerPages(),
      oggPage({ lacing: [255, 45, 255, 0, 255, 255], body: joinBytes(a, b, c.subarray(0, 510)), sequence: 2 }),
      oggPage({ lacing: [190, 255, 255], body: joinBytes(c.subarray(510), d), sequence: 3, continued: true }),
      oggPage({ lacing: [0, 1], body: e, sequence: 4, continued: true, last: true }),
    ];
    expect(parseOggOpus(joinBytes(...pages)).packets).toEqual([a, b, c, d, e]);
  });

  it('accepts a page sequence number that wraps around 2^32', () => {
    const packet = opusPacket(10);
    const pages = [
      oggPage({ lacing: lacing(19), body: opusHead(), sequence: 0xfffffffe, first: true }),
      oggPage({ lacing: lacing(opusTags().length), body: opusTags(), sequence: 0xffffffff }),
      oggPage({ lacing: lacing(10), body: packet, sequence: 0 }),
    ];
    expect(parseOggOpus(joinBytes(...pages)).packets).toEqual([packet]);
  });

  describe('throws a MediaFormatError', () => {
    const good = () => oggOpusFile([opusPacket(20), opusPacket(30)]);
    const expectFailure = (bytes: Uint8Array, message: RegExp) => {
      expect(() => parseOggOpus(bytes)).toThrow(MediaFormatError);
      expect(() => parseOggOpus(bytes)).toThrow(message);
    };

    it('on a missing capture pattern', () => {
      const bytes = good();
      bytes[0] = 0x6f;
      expectFailure(bytes, /page at byte 0: no "OggS" capture pattern/);
    });

    it('on a CRC mismatch, naming the page', () => {
      const bytes = good();
      bytes[bytes.length - 1]! ^= 0xff;
      expectFailure(bytes, /page at byte \d+: CRC mismatch/);
    });

    it('on an unknown version', () => {
      expectFailure(Object.assign(good(), { 4: 1 }), /unknown version 1/);
    });

    it('on a truncated page', () => {
      const bytes = good();
      expectFailure(bytes.subarray(0, bytes.length - 5), /truncated/);
      expectFailure(bytes.subarray(0, 10), /header truncated/);
    });

    it('on a missing page', () => {
      const pages = [...headerPages(), oggPage({ lacing: [20], body: opusPacket(20), sequence: 3 })];
      expectFailure(joinBytes(...pages), /sequence 3 follows 1 \(a page is missing\)/);
    });

    it('on a second logical stream', () => {
      const pages = [...headerPages(), oggPage({ lacing: [20], body: opusPacket(20), sequence: 2, serial: 99 })];
      expectFailure(joinBytes(...pages), /second logical stream/);
    });

    it('on a continued page with no open packet, or an open packet and a fresh page', () => {
      const stray = [...headerPages(), oggPage({ lacing: [20], body: opusPacket(20), sequence: 2, continued: true })];
      expectFailure(joinBytes(...stray), /continued flag is true but a packet is not open/);
      const dropped = [
        ...headerPages(),
        oggPage({ lacing: [255], body: opusPacket(255), sequence: 2 }),
        oggPage({ lacing: [20], body: opusPacket(20), sequence: 3 }),
      ];
      expectFailure(joinBytes(...dropped), /continued flag is false but a packet is open/);
    });

    it('when the stream ends inside a packet', () => {
      const pages = [...headerPages(), oggPage({ lacing: [255], body: opusPacket(255), sequence: 2 })];
      expectFailure(joinBytes(...pages), /ends inside a packet/);
    });

    it('without OpusHead or OpusTags, or with an unsupported OpusHead', () => {
      expectFailure(joinBytes(oggPage({ lacing: [20], body: opusPacket(20), sequence: 0 })), /first packet is not an OpusHead/);
      expectFailure(new Uint8Array(0), /first packet is not an OpusHead/);
      expectFailure(joinBytes(headerPages()[0]!), /second packet is not an OpusTags/);
      expectFailure(oggOpusFile([], Object.assign(opusHead(), { 8: 0x10 })), /unsupported OpusHead version 16/);
      expectFailure(oggOpusFile([], opusHead(0)), /0 channels/);
    });

    it('on an audio packet that is not valid Opus', () => {
      expectFailure(oggOpusFile([opusPacket(5), new Uint8Array(0)]), /audio packet 1 is not a valid Opus packet \(0 bytes/);
      expectFailure(oggOpusFile([Uint8Array.of(0x7b, 0)]), /audio packet 0 is not a valid Opus packet \(2 bytes, TOC 0x7b\)/);
    });
  });
});

describe('parseOggOpus on a Buffer', () => {
  it('leaves the caller\'s bytes untouched (Buffer#slice is a view, not a copy)', async () => {
    const bytes = await asset('heard.ogg');
    const before = Buffer.from(bytes);
    parseOggOpus(bytes);
    parseOggOpus(bytes);
    expect(bytes.equals(before)).toBe(true);
  });
});
