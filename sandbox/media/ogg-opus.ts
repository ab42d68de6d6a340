/**
 * Reads an Ogg Opus file (what ffmpeg and opusenc write) into its Opus packets, which are
 * exactly the RTP payloads WebRTC sends (RFC 7587).
 *
 * Ogg splits packets into 255-byte segments listed in each page's lacing table: a lacing
 * value of 255 means "the packet goes on", anything less ends it, and a packet still open at
 * the end of a page continues on the next one, which carries the "continued" flag.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3533 (Ogg)
 * @see https://www.rfc-editor.org/rfc/rfc7845 (Opus in Ogg)
 */
import { MediaFormatError } from './errors.js';
import { oggCrc32 } from './ogg-crc.js';
import { opusPacketDurationMs } from './opus-packet.js';

/** Re-exported so that readers of Ogg Opus files find the packet helper where they look. */
export { opusPacketDurationMs };

/** The audio of an Ogg Opus file. */
export interface OggOpusStream {
  channels: number;
  /** Samples (at 48 kHz) the decoder discards at the start (encoder delay), RFC 7845 §4.2. */
  preSkip: number;
  /** The sample rate of the encoder's input; informational, Opus always decodes at 48 kHz. */
  inputSampleRate: number;
  /** The audio packets in order, OpusHead and OpusTags left out. */
  packets: Uint8Array[];
}

const PAGE_HEADER_SIZE = 27;
const FLAG_CONTINUED = 0x01;

/** One Ogg page: its fields and its body split by the lacing table. */
interface OggPage {
  continued: boolean;
  serial: number;
  sequence: number;
  /** The lacing values, in order. */
  lacing: Uint8Array;
  body: Uint8Array;
}

/** Reads and checks the page starting at `offset`; returns it and where the next begins. */
function readPage(bytes: Uint8Array, offset: number): { page: OggPage; next: number } {
  const where = `Ogg page at byte ${offset}`;
  if (offset + PAGE_HEADER_SIZE > bytes.length) throw new MediaFormatError(`${where}: header truncated`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, PAGE_HEADER_SIZE);
  if (view.getUint32(0) !== 0x4f676753) throw new MediaFormatError(`${where}: no "OggS" capture pattern`);
  if (view.getUint8(4) !== 0) throw new MediaFormatError(`${where}: unknown version ${view.getUint8(4)}`);
  const segments = view.getUint8(26);
  const lacing = bytes.subarray(offset + PAGE_HEADER_SIZE, offset + PAGE_HEADER_SIZE + segments);
  const bodyStart = offset + PAGE_HEADER_SIZE + segments;
  const bodySize = lacing.reduce((sum, value) => sum + value, 0);
  if (lacing.length < segments || bodyStart + bodySize > bytes.length) throw new MediaFormatError(`${where}: truncated`);

  const next = bodyStart + bodySize;
  const stored = view.getUint32(22, true);
  // A copy, not `bytes.slice()`: on a Buffer (what readFile returns) slice is a view, and
  // zeroing the CRC field would corrupt the caller's file.
  const unchecked = Uint8Array.from(bytes.subarray(offset, next));
  unchecked.fill(0, 22, 26);
  const computed = oggCrc32(unchecked);
  if (stored !== computed) {
    throw new MediaFormatError(`${where}: CRC mismatch (stored 0x${stored.toString(16)}, computed 0x${computed.toString(16)})`);
  }
  const page = {
    continued: (view.getUint8(5) & FLAG_CONTINUED) !== 0,
    serial: view.getUint32(14, true),
    sequence: view.getUint32(18, true),
    lacing,
    body: bytes.subarray(bodyStart, next),
  };
  return { page, next };
}

/** Joins the segments of one packet. */
function concat(parts: Uint8Array[]): Uint8Array {
  const packet = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    packet.set(part, at);
    at += part.length;
  }
  return packet;
}

/**
 * Reassembles the packets of a single-stream Ogg file, checking each page's CRC and that no
 * page is missing.
 */
function readPackets(bytes: Uint8Array): Uint8Array[] {
  const packets: Uint8Array[] = [];
  let pending: Uint8Array[] = [];
  let previous: OggPage | undefined;
  let offset = 0;
  while (offset < bytes.length) {
    const { page, next } = readPage(bytes, offset);
    if (previous && page.serial !== previous.serial) {
      throw new MediaFormatError(`Ogg page at byte ${offset}: a second logical stream; only one is supported`);
    }
    if (previous && page.sequence !== ((previous.sequence + 1) >>> 0)) {
      throw new MediaFormatError(`Ogg page at byte ${offset}: sequence ${page.sequence} follows ${previous.sequence} (a page is missing)`);
    }
    previous = page;
    if (page.continued !== pending.length > 0) {
      throw new MediaFormatError(`Ogg page at byte ${offset}: continued flag is ${page.continued} but a packet is${pending.length > 0 ? '' : ' not'} open`);
    }
    let at = 0;
    for (const value of page.lacing) {
      pending.push(page.body.subarray(at, at + value));
      at += value;
      if (value < 255) {
        packets.push(concat(pending));
        pending = [];
      }
    }
    offset = next;
  }
  if (pending.length > 0) throw new MediaFormatError('Ogg: the stream ends inside a packet (truncated file)');
  return packets;
}

/** Whether `packet` starts with the ASCII `magic`. */
function startsWith(packet: Uint8Array | undefined, magic: string): packet is Uint8Array {
  return packet !== undefined && packet.length >= magic.length && [...magic].every((char, i) => packet[i] === char.charCodeAt(0));
}

/**
 * Parses an Ogg Opus file into its header fields and audio packets (copies, safe to keep).
 * Each packet's TOC is checked, so a sender can trust `opusPacketDurationMs` on all of them.
 *
 * @param bytes the whole file
 * @throws {MediaFormatError} on a bad capture pattern or CRC, a missing page, a packet cut
 *   off, a missing or unsupported OpusHead / OpusTags, or an invalid Opus packet
 *   (empty, or a TOC that `opusPacketDurationMs` rejects)
 * @example
 * const greeting = parseOggOpus(await readFile('greeting.ogg'));
 * greeting.packets.length; // 445 (20 ms each)
 */
export function parseOggOpus(bytes: Uint8Array): OggOpusStream {
  const [head, tags, ...packets] = readPackets(bytes);
  // RFC 7845 §5.1: magic, version, channel count, pre-skip, input rate, gain, mapping family.
  if (!startsWith(head, 'OpusHead') || head.length < 19) throw new MediaFormatError('Ogg Opus: the first packet is not an OpusHead');
  if (head[8]! >> 4 !== 0) throw new MediaFormatError(`Ogg Opus: unsupported OpusHead version ${head[8]}`);
  const channels = head[9]!;
  if (channels === 0) throw new MediaFormatError('Ogg Opus: OpusHead declares 0 channels');
  if (!startsWith(tags, 'OpusTags')) throw new MediaFormatError('Ogg Opus: the second packet is not an OpusTags');
  packets.forEach((packet, index) => {
    if (opusPacketDurationMs(packet) === 0) {
      throw new MediaFormatError(`Ogg Opus: audio packet ${index} is not a valid Opus packet (${packet.length} bytes, TOC 0x${(packet[0] ?? 0).toString(16)})`);
    }
  });
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return { channels, preSkip: view.getUint16(10, true), inputSampleRate: view.getUint32(12, true), packets };
}
