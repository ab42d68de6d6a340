/**
 * Hand-built IVF and Ogg Opus bytes for the media readers' tests: the committed assets
 * cover the happy path as ffmpeg writes it, these cover the edge cases ffmpeg never writes.
 * @internal
 */
import { oggCrc32 } from './ogg-crc.js';

/** An IVF file holding `frames`, with the given header fields. @internal */
export function ivfFile(frames: Uint8Array[], header: { fourcc?: string; width?: number; height?: number; rate?: number; scale?: number; timestamps?: bigint[] } = {}): Uint8Array {
  const { fourcc = 'VP80', width = 640, height = 360, rate = 30, scale = 1, timestamps } = header;
  const size = 32 + frames.reduce((sum, frame) => sum + 12 + frame.length, 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(`DKIF`), 0);
  view.setUint16(6, 32, true);
  bytes.set(new TextEncoder().encode(fourcc), 8);
  view.setUint16(12, width, true);
  view.setUint16(14, height, true);
  view.setUint32(16, rate, true);
  view.setUint32(20, scale, true);
  view.setUint32(24, frames.length, true);
  let offset = 32;
  frames.forEach((frame, index) => {
    view.setUint32(offset, frame.length, true);
    view.setBigUint64(offset + 4, timestamps?.[index] ?? BigInt(index), true);
    bytes.set(frame, offset + 12);
    offset += 12 + frame.length;
  });
  return bytes;
}

/** Ogg lacing values for one whole packet: 255s, then the remainder (0 if none). @internal */
export function lacing(packetSize: number): number[] {
  return [...Array<number>(Math.floor(packetSize / 255)).fill(255), packetSize % 255];
}

/** One Ogg page with a correct CRC. @internal */
export function oggPage(page: { lacing: number[]; body: Uint8Array; sequence: number; continued?: boolean; first?: boolean; last?: boolean; serial?: number }): Uint8Array {
  const { serial = 0x1234, continued = false, first = false, last = false } = page;
  const bytes = new Uint8Array(27 + page.lacing.length + page.body.length);
  const view = new DataView(bytes.buffer);
  bytes.set([0x4f, 0x67, 0x67, 0x53]);
  bytes[5] = (continued ? 1 : 0) | (first ? 2 : 0) | (last ? 4 : 0);
  view.setUint32(14, serial, true);
  view.setUint32(18, page.sequence, true);
  bytes[26] = page.lacing.length;
  bytes.set(page.lacing, 27);
  bytes.set(page.body, 27 + page.lacing.length);
  view.setUint32(22, oggCrc32(bytes), true);
  return bytes;
}

/** An OpusHead packet (RFC 7845 §5.1). @internal */
export function opusHead(channels = 1, preSkip = 312, inputSampleRate = 48_000): Uint8Array {
  const head = new Uint8Array(19);
  const view = new DataView(head.buffer);
  head.set(new TextEncoder().encode('OpusHead'));
  head[8] = 1;
  head[9] = channels;
  view.setUint16(10, preSkip, true);
  view.setUint32(12, inputSampleRate, true);
  return head;
}

/** An OpusTags packet with a vendor string and no comments (RFC 7845 §5.2). @internal */
export function opusTags(): Uint8Array {
  const vendor = new TextEncoder().encode('test');
  const tags = new Uint8Array(8 + 4 + vendor.length + 4);
  tags.set(new TextEncoder().encode('OpusTags'));
  new DataView(tags.buffer).setUint32(8, vendor.length, true);
  tags.set(vendor, 12);
  return tags;
}

/** A packet of `size` bytes, TOC 0x78 (CELT fullband, one 20 ms frame), then counting bytes. @internal */
export function opusPacket(size: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i === 0 ? 0x78 : (seed + i) & 0xff));
}

/**
 * Concatenates byte arrays. `Buffer.concat` puts small results inside Node's shared pool, so
 * the readers also get exercised on views with a non-zero `byteOffset`.
 * @internal
 */
export function joinBytes(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

/**
 * A minimal Ogg Opus file: OpusHead and OpusTags pages, then one page per packet.
 * @internal
 */
export function oggOpusFile(packets: Uint8Array[], head = opusHead()): Uint8Array {
  const pages = [head, opusTags(), ...packets].map((packet, sequence) =>
    oggPage({ lacing: lacing(packet.length), body: packet, sequence, first: sequence === 0, last: sequence === packets.length + 1 }),
  );
  return joinBytes(...pages);
}
