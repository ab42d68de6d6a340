/**
 * A room: who is in it, what they publish, who is speaking, and its end. Participant connections and
 * in-process participants (the demo avatar) subscribe to its events; the room itself knows
 * nothing about WebSockets or WebRTC.
 */
import { ConnectionQualityInfo, DataPacket, DataPacket_Kind, DisconnectReason, ParticipantInfo_State, Room as RoomInfo, SpeakerInfo, UserPacket } from '@livekit/protocol';
import { ConnectionQualityTracker } from './connection-quality.js';
import { newSid } from './ids.js';
import type { PublishedTrack, RoomParticipant } from './participant.js';
import { SpeakerTracker } from './speaker-tracker.js';

/** What happens in a room. */
export type RoomEvent =
  /** Joined, changed (name, tracks, mute) or left (state DISCONNECTED). */
  | { type: 'participant'; participant: RoomParticipant }
  | { type: 'track-published'; participant: RoomParticipant; track: PublishedTrack }
  | { type: 'track-unpublished'; participant: RoomParticipant; track: PublishedTrack }
  /** `subscriber` now receives `trackSid` (its publisher is told: LiveKit's TrackSubscribed). */
  | { type: 'track-subscribed'; subscriber: RoomParticipant; trackSid: string }
  | { type: 'speakers'; speakers: SpeakerInfo[] }
  /** Every active participant's connection quality, sent when one changed (each connection forwards its own and its sources'). */
  | { type: 'connection-quality'; infos: ConnectionQualityInfo[] }
  /**
   * `from` sent a data packet, already stamped with its identity and sid as the LiveKit server
   * stamps them. Delivered to every other participant, or only to `destinations` when given.
   */
  | { type: 'data'; from: RoomParticipant; packet: DataPacket; destinations: readonly string[] }
  | { type: 'ended'; reason: DisconnectReason };

/** How often speaker changes are computed, in ms. */
const SPEAKER_INTERVAL_MS = 100;
/** How often connection quality is scored, in ms: LiveKit's `connectionquality.UpdateInterval`. */
export const QUALITY_INTERVAL_MS = 5000;
/** Seconds an empty room stays open (reported to clients). */
const EMPTY_TIMEOUT_S = 300;

/** A user data packet as the room recorded it, for the room report. */
export interface DataRecord {
  at: number;
  from: string;
  kind: 'reliable' | 'lossy';
  topic: string;
  destinations: readonly string[];
  bytes: number;
  /** The payload as text when it is UTF-8 (JSON on `equos_event`), otherwise absent. */
  text?: string;
}

/** Data packets a room remembers for its report, newest kept. */
const DATA_RECORDS_KEPT = 200;

/** What an in-process participant sends with `sendUserData`. */
export interface UserData {
  payload: Uint8Array;
  topic?: string;
  /** Lossy packets may be dropped; reliable ones [true] arrive in order. */
  reliable?: boolean;
  /** Only these identities receive it [everyone else]. */
  destinationIdentities?: readonly string[];
}

/** One LiveKit room. */
export class SandboxRoom {
  readonly sid = newSid('RM_');
  readonly name: string;
  readonly createdAtMs = Date.now();
  readonly participants = new Map<string, RoomParticipant>();
  readonly speakers = new SpeakerTracker();
  readonly quality = new ConnectionQualityTracker();
  ended = false;
  /** Recent user data packets, oldest first (at most DATA_RECORDS_KEPT). */
  readonly data: DataRecord[] = [];
  readonly #listeners = new Set<(event: RoomEvent) => void>();
  #dataSequence = 0;
  readonly #speakerTimer: ReturnType<typeof setInterval>;
  readonly #qualityTimer: ReturnType<typeof setInterval>;

  /** @param qualityIntervalMs how often connection quality is scored [QUALITY_INTERVAL_MS] */
  constructor(name: string, qualityIntervalMs = QUALITY_INTERVAL_MS) {
    this.name = name;
    this.#speakerTimer = setInterval(() => this.#publishSpeakerChanges(), SPEAKER_INTERVAL_MS);
    this.#speakerTimer.unref?.();
    this.#qualityTimer = setInterval(() => this.#publishQuality(), qualityIntervalMs);
    this.#qualityTimer.unref?.();
  }

  /** Receives every room event; returns the unsubscribe. */
  subscribe(listener: (event: RoomEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Participants that have joined and not left. */
  active(): RoomParticipant[] {
    return [...this.participants.values()].filter((participant) => participant.state !== ParticipantInfo_State.DISCONNECTED);
  }

  /** The participant with `sid`, if present. */
  bySid(sid: string): RoomParticipant | undefined {
    return [...this.participants.values()].find((participant) => participant.sid === sid);
  }

  /**
   * Adds a participant; it replaces any still present with the same identity (the server
   * ends the older session first: LiveKit's DUPLICATE_IDENTITY rule).
   */
  join(participant: RoomParticipant): void {
    if (this.ended) throw new Error(`room ${this.name} has ended`);
    this.participants.set(participant.identity, participant);
    participant.state = ParticipantInfo_State.JOINED;
    this.#emit({ type: 'participant', participant });
  }

  /** Announces a change of `participant` (state, name, attributes, track mute). */
  changed(participant: RoomParticipant): void {
    participant.touch();
    this.#emit({ type: 'participant', participant });
  }

  /** Adds a track to `participant` and announces it. */
  publish(participant: RoomParticipant, track: PublishedTrack): void {
    participant.tracks.set(track.info.sid, track);
    this.quality.watch(track);
    participant.touch();
    this.#emit({ type: 'track-published', participant, track });
    this.#emit({ type: 'participant', participant });
  }

  /** Removes a track from `participant` and announces it. */
  unpublish(participant: RoomParticipant, trackSid: string): void {
    const track = participant.tracks.get(trackSid);
    if (!track) return;
    participant.tracks.delete(trackSid);
    this.quality.unwatch(trackSid);
    participant.touch();
    this.#emit({ type: 'track-unpublished', participant, track });
    this.#emit({ type: 'participant', participant });
  }

  /** Records that `subscriber` receives `trackSid`. */
  markSubscribed(subscriber: RoomParticipant, trackSid: string): void {
    this.quality.receiving(subscriber.sid, trackSid, true);
    this.#emit({ type: 'track-subscribed', subscriber, trackSid });
  }

  /** Records that `subscriber` no longer receives `trackSid`. */
  markUnsubscribed(subscriber: RoomParticipant, trackSid: string): void {
    this.quality.receiving(subscriber.sid, trackSid, false);
  }

  /**
   * Relays a data packet `from` sent, as the LiveKit server does: the sender's identity and
   * sid replace whatever the packet claimed, the destinations are the packet's (or its user
   * packet's), and the sender does not get its own packet back. Returns false when the packet
   * is not relayed (the sender may not publish data, or has left).
   */
  sendData(from: RoomParticipant, packet: DataPacket): boolean {
    if (this.ended || from.state === ParticipantInfo_State.DISCONNECTED || !from.permission.canPublishData) return false;
    packet.participantIdentity = from.identity;
    packet.participantSid = from.sid;
    const value = packet.value;
    if (value.case === 'user') {
      value.value.participantIdentity = from.identity;
      value.value.participantSid = from.sid;
      // livekit-client's publishData names destinations only in the user packet, RPC only in
      // the packet; LiveKit makes both say the same, the packet's winning.
      if (packet.destinationIdentities.length) value.value.destinationIdentities = [...packet.destinationIdentities];
      else packet.destinationIdentities = [...value.value.destinationIdentities];
      this.#record(from, packet.kind, value.value);
    }
    const destinations: readonly string[] = packet.destinationIdentities;
    this.#emit({ type: 'data', from, packet, destinations });
    return true;
  }

  /** Sends user data from an in-process participant (the demo avatar). */
  sendUserData(from: RoomParticipant, data: UserData): boolean {
    const reliable = data.reliable ?? true;
    const destinationIdentities = [...(data.destinationIdentities ?? [])];
    return this.sendData(
      from,
      new DataPacket({
        kind: reliable ? DataPacket_Kind.RELIABLE : DataPacket_Kind.LOSSY,
        destinationIdentities,
        // Reliable packets carry a sequence per sender: livekit-client drops repeats by it.
        sequence: reliable ? ++this.#dataSequence : 0,
        value: { case: 'user', value: new UserPacket({ payload: data.payload, destinationIdentities, ...(data.topic !== undefined ? { topic: data.topic } : {}) }) },
      }),
    );
  }

  /** Removes `participant` (if it is still the one with its identity) and announces it. */
  leave(participant: RoomParticipant, reason: DisconnectReason): void {
    if (participant.state === ParticipantInfo_State.DISCONNECTED) return;
    for (const trackSid of [...participant.tracks.keys()]) this.unpublish(participant, trackSid);
    participant.state = ParticipantInfo_State.DISCONNECTED;
    participant.disconnectReason = reason;
    participant.touch();
    if (this.participants.get(participant.identity) === participant) this.participants.delete(participant.identity);
    const quiet = this.speakers.remove(participant.sid);
    this.#emit({ type: 'participant', participant });
    if (quiet.length) this.#emit({ type: 'speakers', speakers: quiet.map((speaker) => new SpeakerInfo(speaker)) });
  }

  /** Ends the room: everyone is told `reason` and removed. Idempotent. */
  end(reason: DisconnectReason = DisconnectReason.ROOM_DELETED): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.#speakerTimer);
    clearInterval(this.#qualityTimer);
    this.#emit({ type: 'ended', reason });
    for (const participant of this.active()) {
      participant.state = ParticipantInfo_State.DISCONNECTED;
      participant.disconnectReason = reason;
    }
    this.participants.clear();
    this.#listeners.clear();
  }

  /** The room's public description. */
  toInfo(): RoomInfo {
    const active = this.active();
    return new RoomInfo({
      sid: this.sid,
      name: this.name,
      emptyTimeout: EMPTY_TIMEOUT_S,
      departureTimeout: 20,
      creationTime: BigInt(Math.floor(this.createdAtMs / 1000)),
      creationTimeMs: BigInt(this.createdAtMs),
      numParticipants: active.length,
      numPublishers: active.filter((participant) => participant.tracks.size > 0).length,
    });
  }

  #record(from: RoomParticipant, kind: DataPacket_Kind, user: UserPacket): void {
    const record: DataRecord = {
      at: Date.now(),
      from: from.identity,
      kind: kind === DataPacket_Kind.LOSSY ? 'lossy' : 'reliable',
      topic: user.topic ?? '',
      destinations: [...user.destinationIdentities],
      bytes: user.payload.length,
    };
    try {
      record.text = new TextDecoder('utf-8', { fatal: true }).decode(user.payload);
    } catch {
      // Binary payloads are reported by size only.
    }
    this.data.push(record);
    if (this.data.length > DATA_RECORDS_KEPT) this.data.splice(0, this.data.length - DATA_RECORDS_KEPT);
  }

  #publishSpeakerChanges(): void {
    const changes = this.speakers.update();
    if (changes.length) this.#emit({ type: 'speakers', speakers: changes.map((speaker) => new SpeakerInfo(speaker)) });
  }

  #publishQuality(): void {
    const infos = this.quality.update([...this.participants.values()]);
    if (infos) this.#emit({ type: 'connection-quality', infos });
  }

  #emit(event: RoomEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One broken listener must not stop the others from hearing about the room.
        console.error(`sandbox room ${this.name}: listener failed`, error);
      }
    }
  }
}
