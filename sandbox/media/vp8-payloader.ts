/**
 * Cuts a VP8 frame into RTP payloads (RFC 7741 §4.2). Each payload starts with a 4-byte
 * descriptor:
 *
 *   X=1 S=? PartID=0 | I=1 | M=1 and a 15-bit PictureID
 *
 * The PictureID goes up by one per frame, so a receiver can tell a lost frame from a late
 * one and ask for a keyframe. The caller sets the RTP marker bit on the last payload and
 * gives all of a frame's payloads the same timestamp.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7741#section-4.2
 */

/** Options of {@link payloadVp8}. */
export interface Vp8PayloadOptions {
  /** The largest payload, descriptor included, in bytes [1100: fits a 1200-byte MTU with RTP, SRTP and extension headers]. */
  maxPayloadSize?: number;
  /** This frame's PictureID; taken modulo 2^15, so a frame counter can be passed as is [0]. */
  pictureId?: number;
}

const DESCRIPTOR_SIZE = 4;
const X_BIT = 0x80;
const S_BIT = 0x10;
const I_BIT = 0x80;
const M_BIT = 0x80;

/**
 * Splits `frame` into RTP payloads of at most `maxPayloadSize` bytes each. The frame is cut
 * into equal parts rather than full packets plus a runt, like libwebrtc, so the packets of
 * a frame cost the network the same.
 *
 * @param frame one VP8 frame (an IVF frame's data)
 * @param options {@link Vp8PayloadOptions}
 * @throws {RangeError} on an empty frame, a `maxPayloadSize` with no room after the
 *   descriptor, or a negative or fractional `pictureId`
 * @example
 * const payloads = payloadVp8(frame.data, { pictureId: frameNumber });
 * payloads.forEach((payload, i) => send(payload, { timestamp, marker: i === payloads.length - 1 }));
 */
export function payloadVp8(frame: Uint8Array, options: Vp8PayloadOptions = {}): Uint8Array[] {
  const { maxPayloadSize = 1100, pictureId = 0 } = options;
  if (frame.length === 0) throw new RangeError('payloadVp8: the frame is empty');
  if (!Number.isInteger(maxPayloadSize) || maxPayloadSize <= DESCRIPTOR_SIZE) {
    throw new RangeError(`payloadVp8: maxPayloadSize must be an integer over ${DESCRIPTOR_SIZE} (the descriptor), got ${maxPayloadSize}`);
  }
  if (!Number.isInteger(pictureId) || pictureId < 0) throw new RangeError(`payloadVp8: pictureId must be a non-negative integer, got ${pictureId}`);

  const id = pictureId % 0x8000;
  const count = Math.ceil(frame.length / (maxPayloadSize - DESCRIPTOR_SIZE));
  const partSize = Math.ceil(frame.length / count);
  const payloads: Uint8Array[] = [];
  for (let start = 0; start < frame.length; start += partSize) {
    const part = frame.subarray(start, start + partSize);
    const payload = new Uint8Array(DESCRIPTOR_SIZE + part.length);
    payload[0] = X_BIT | (start === 0 ? S_BIT : 0);
    payload[1] = I_BIT;
    payload[2] = M_BIT | (id >> 8);
    payload[3] = id & 0xff;
    payload.set(part, DESCRIPTOR_SIZE);
    payloads.push(payload);
  }
  return payloads;
}
