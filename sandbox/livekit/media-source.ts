/**
 * The unit of media inside the sandbox: one RTP payload with the timing the sender gave it,
 * independent of any WebRTC library, so that sources (the demo avatar's clips, a visitor's
 * microphone) and sinks (a subscriber's peer connection, the avatar listening) meet here.
 */

/** One RTP payload and its timing. */
export interface MediaPacket {
  payload: Uint8Array;
  /** RTP timestamp in the codec's clock (90 kHz video, 48 kHz Opus). */
  timestamp: number;
  /** Last packet of a video frame. */
  marker: boolean;
  /** Audio level in -dBov (0 loudest … 127 silence), from RFC 6464, when known. */
  audioLevel?: number;
}

/** Something that produces packets for a published track. */
export interface MediaSource {
  readonly kind: 'audio' | 'video';
  /** Receives every packet from now on; returns the unsubscribe. */
  subscribe(sink: (packet: MediaPacket) => void): () => void;
  /** Asks for a keyframe soon (a subscriber joined, or reported loss). */
  requestKeyframe(): void;
}

/**
 * A source fed by code: `push()` delivers to every current subscriber. Used for a visitor's
 * microphone (fed by its peer connection) and for the demo avatar's tracks (fed by its player).
 */
export class PushSource implements MediaSource {
  readonly kind: 'audio' | 'video';
  readonly #sinks = new Set<(packet: MediaPacket) => void>();
  readonly #onKeyframeRequest: () => void;
  /** Packets pushed so far. */
  packets = 0;

  constructor(kind: 'audio' | 'video', onKeyframeRequest: () => void = () => {}) {
    this.kind = kind;
    this.#onKeyframeRequest = onKeyframeRequest;
  }

  subscribe(sink: (packet: MediaPacket) => void): () => void {
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }

  requestKeyframe(): void {
    this.#onKeyframeRequest();
  }

  /** Delivers `packet` to every subscriber. */
  push(packet: MediaPacket): void {
    this.packets += 1;
    for (const sink of this.#sinks) sink(packet);
  }
}
