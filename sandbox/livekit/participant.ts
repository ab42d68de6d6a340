/**
 * A participant as the room knows it, whether it joined over WebRTC (a browser) or lives in
 * this process (the demo avatar). Every change bumps `version`, because livekit-client drops
 * a `ParticipantInfo` whose version is not newer than the one it has.
 */
import {
  DisconnectReason,
  ParticipantInfo,
  ParticipantInfo_Kind,
  ParticipantInfo_State,
  ParticipantPermission,
  type TrackInfo,
} from '@livekit/protocol';
import { newSid } from './ids.js';
import type { MediaSource } from './media-source.js';

/** A track a participant publishes, with where its media comes from. */
export interface PublishedTrack {
  info: TrackInfo;
  source: MediaSource;
}

/** How a participant is created. */
export interface ParticipantInit {
  identity: string;
  name?: string;
  kind?: ParticipantInfo_Kind;
  metadata?: string;
  attributes?: Record<string, string>;
  canPublish?: boolean;
  canSubscribe?: boolean;
  canPublishData?: boolean;
  /** The client's feature level, shown to the others (see JoinParams.clientProtocol) [0]. */
  clientProtocol?: number;
}

/** One participant of a room. */
export class RoomParticipant {
  readonly sid = newSid('PA_');
  readonly identity: string;
  readonly kind: ParticipantInfo_Kind;
  readonly joinedAtMs = Date.now();
  readonly permission: ParticipantPermission;
  readonly clientProtocol: number;
  readonly tracks = new Map<string, PublishedTrack>();
  name: string;
  metadata: string;
  attributes: Record<string, string>;
  state = ParticipantInfo_State.JOINING;
  disconnectReason = DisconnectReason.UNKNOWN_REASON;
  #version = 1;

  constructor(init: ParticipantInit) {
    this.identity = init.identity;
    this.name = init.name ?? '';
    this.kind = init.kind ?? ParticipantInfo_Kind.STANDARD;
    this.metadata = init.metadata ?? '';
    this.attributes = { ...init.attributes };
    this.clientProtocol = init.clientProtocol ?? 0;
    this.permission = new ParticipantPermission({
      canSubscribe: init.canSubscribe ?? true,
      canPublish: init.canPublish ?? true,
      canPublishData: init.canPublishData ?? true,
      canUpdateMetadata: false,
    });
  }

  /** Marks a change; the next `toInfo()` carries a newer version. */
  touch(): void {
    this.#version += 1;
  }

  /** The participant's public description, as sent to every client. */
  toInfo(): ParticipantInfo {
    return new ParticipantInfo({
      sid: this.sid,
      identity: this.identity,
      name: this.name,
      state: this.state,
      tracks: [...this.tracks.values()].map((track) => track.info),
      metadata: this.metadata,
      attributes: this.attributes,
      joinedAt: BigInt(Math.floor(this.joinedAtMs / 1000)),
      joinedAtMs: BigInt(this.joinedAtMs),
      version: this.#version,
      permission: this.permission,
      isPublisher: this.tracks.size > 0,
      kind: this.kind,
      disconnectReason: this.disconnectReason,
      region: 'sandbox',
      clientProtocol: this.clientProtocol,
    });
  }
}
