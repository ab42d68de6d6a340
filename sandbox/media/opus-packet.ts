/**
 * Reads an Opus packet's TOC byte for its duration, which an RTP sender needs to advance
 * its timestamps and pace packets (RFC 6716 §3.1).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6716#section-3.1
 */

/** Frame duration in ms for each of the 32 TOC configurations (SILK, Hybrid, CELT). */
const FRAME_MS = [
  10, 20, 40, 60, 10, 20, 40, 60, 10, 20, 40, 60, // SILK-only, NB / MB / WB
  10, 20, 10, 20, // Hybrid, SWB / FB
  2.5, 5, 10, 20, 2.5, 5, 10, 20, 2.5, 5, 10, 20, 2.5, 5, 10, 20, // CELT-only, NB / WB / SWB / FB
] as const;

/** RFC 6716 §3.4 R5: no packet holds more than 120 ms of audio. */
const MAX_PACKET_MS = 120;

/**
 * How many milliseconds of audio `packet` holds: its frame size times its frame count.
 * Returns 0 for a packet that is not valid Opus (empty, a code 3 packet without its frame
 * count byte, zero frames, or over 120 ms) rather than throwing, because senders call it on
 * packets from the network (the visitor's microphone) inside their timing loop.
 *
 * @param packet one Opus packet (as in Ogg, or an RTP payload)
 * @example
 * opusPacketDurationMs(Uint8Array.of(0x78)); // 20 (CELT fullband, one 20 ms frame)
 * opusPacketDurationMs(new Uint8Array(0)); // 0
 */
export function opusPacketDurationMs(packet: Uint8Array): number {
  const toc = packet[0];
  if (toc === undefined) return 0;
  const code = toc & 0x03;
  const frames = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2;
  const duration = FRAME_MS[toc >> 3]! * frames;
  return duration > MAX_PACKET_MS ? 0 : duration;
}
