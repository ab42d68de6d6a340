/**
 * Reads IVF, the minimal container libvpx and ffmpeg write VP8 into: a 32-byte file header,
 * then frames, each a 12-byte header (size, 64-bit timestamp) and the codec data.
 *
 * @see https://wiki.multimedia.cx/index.php/Duck_IVF
 */
import { MediaFormatError } from './errors.js';

/** One frame of an IVF file. */
export interface IvfFrame {
  /** The codec frame, as an RTP payloader takes it (a view into the file's bytes). */
  data: Uint8Array;
  /** Presentation time in units of the file's `timebase`. */
  timestamp: number;
  /** A VP8 keyframe (frame tag bit 0 is 0, RFC 6386 §9.1); only meaningful for VP8. */
  keyframe: boolean;
}

/** A parsed IVF file. */
export interface IvfFile {
  /** Codec, e.g. `VP80`. */
  fourcc: string;
  width: number;
  height: number;
  /** Seconds per timestamp unit, as a fraction: 1/30 for a 30 fps file. */
  timebase: { numerator: number; denominator: number };
  frames: IvfFrame[];
}

const FILE_HEADER_SIZE = 32;
const FRAME_HEADER_SIZE = 12;

/**
 * Parses an IVF file. Frames are views into `bytes`, not copies.
 *
 * @param bytes the whole file
 * @throws {MediaFormatError} on a bad signature or header, or a truncated frame
 * @example
 * const clip = parseIvf(await readFile('idle.ivf'));
 * clip.frames[0].keyframe; // true
 */
export function parseIvf(bytes: Uint8Array): IvfFile {
  if (bytes.length < FILE_HEADER_SIZE) throw new MediaFormatError(`IVF: ${bytes.length} bytes is shorter than the ${FILE_HEADER_SIZE}-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (ascii(0) !== 'DKIF') throw new MediaFormatError(`IVF: bad signature "${ascii(0)}", expected "DKIF"`);
  const headerSize = view.getUint16(6, true);
  if (headerSize < FILE_HEADER_SIZE || headerSize > bytes.length) throw new MediaFormatError(`IVF: bad header length ${headerSize}`);
  // The header stores the rate (denominator) before the scale (numerator).
  const timebase = { numerator: view.getUint32(20, true), denominator: view.getUint32(16, true) };
  if (timebase.numerator === 0 || timebase.denominator === 0) throw new MediaFormatError('IVF: the timebase has a zero term');

  const frames: IvfFrame[] = [];
  let offset = headerSize;
  while (offset < bytes.length) {
    const index = frames.length;
    if (offset + FRAME_HEADER_SIZE > bytes.length) throw new MediaFormatError(`IVF: frame ${index} header truncated at byte ${offset}`);
    const size = view.getUint32(offset, true);
    const timestamp = Number(view.getBigUint64(offset + 4, true));
    const start = offset + FRAME_HEADER_SIZE;
    if (start + size > bytes.length) {
      throw new MediaFormatError(`IVF: frame ${index} truncated: needs ${size} bytes, ${bytes.length - start} left`);
    }
    const data = bytes.subarray(start, start + size);
    frames.push({ data, timestamp, keyframe: size > 0 && (data[0]! & 0x01) === 0 });
    offset = start + size;
  }
  // Bytes 24–27 are not checked against the frames read: libvpx stores a frame count there
  // but ffmpeg stores the duration in timebase units, so neither is a reliable length.
  return { fourcc: ascii(8), width: view.getUint16(12, true), height: view.getUint16(14, true), timebase, frames };
}
