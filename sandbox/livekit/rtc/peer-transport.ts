/**
 * What a signal session needs from one peer connection, whatever WebRTC library implements
 * it. The server never starts the publisher connection's negotiation (the client offers,
 * the server answers); it offers only on the subscriber connection of the two-connection
 * mode.
 */
import type { MediaSource } from '../media-source.js';
import type { PushSource } from '../media-source.js';

/** A track to deliver to this client: another participant's publication. */
export interface DownTrack {
  trackSid: string;
  participantSid: string;
  kind: 'audio' | 'video';
  source: MediaSource;
}

/** Media the client sends us: one of its published tracks, matched by the SDP. */
export interface UpTrack {
  mid: string;
  kind: 'audio' | 'video';
  /** The `a=msid` track id in the client's offer: its local track id, the `cid` of AddTrack. */
  msidTrackId: string;
  /** Where the received packets go. */
  source: PushSource;
}

/** A negotiated description and the mid → track sid map livekit-client needs with it. */
export interface Negotiated {
  sdp: string;
  midToTrackId: Record<string, string>;
}

/**
 * The two LiveKit data channels that carry `DataPacket`s: `_reliable` (ordered) and `_lossy`
 * (unordered, no retransmits).
 */
export type DataKind = 'reliable' | 'lossy';

/** Connection states reported to the session. */
export type TransportState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

/** One peer connection with the client. */
export interface PeerTransport {
  /** Answers a client offer; down tracks waiting for a section are bound to free ones. */
  answer(offerSdp: string): Promise<Negotiated>;
  /** Creates an offer carrying every down track (subscriber connection, two-connection mode). */
  createOffer(): Promise<Negotiated>;
  /** Applies the client's answer to our offer. */
  setAnswer(answerSdp: string): Promise<void>;
  /** Queues a track for delivery; it is bound at the next negotiation. */
  addDownTrack(track: DownTrack): void;
  /** Stops delivering a track (its section goes inactive at the next negotiation). */
  removeDownTrack(trackSid: string): void;
  /** Down tracks not yet bound to a media section, by kind. */
  unboundDownTracks(): { audio: number; video: number };
  /** Pauses or resumes forwarding of one down track (adaptive stream). */
  setDownTrackPaused(trackSid: string, paused: boolean): void;
  /**
   * Sends one serialised `DataPacket` to the client on its `kind` channel: ours when we opened
   * one on this connection (the subscriber connection of the two-connection mode), else the
   * client's own (single-connection mode, where livekit-client also reads its publisher
   * channels). Reliable packets wait, in order and bounded, for a channel to open; lossy ones
   * are dropped until then.
   */
  sendData(kind: DataKind, bytes: Uint8Array): void;
  /** Called for each new track the client sends. */
  onUpTrack?: (track: UpTrack) => void;
  /** Called for each message the client sends on a `_reliable` or `_lossy` channel. */
  onData?: (kind: DataKind, bytes: Uint8Array) => void;
  onStateChange?: (state: TransportState) => void;
  readonly state: TransportState;
  close(): Promise<void>;
}
