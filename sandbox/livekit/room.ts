/**
 * A room: who is in it, what they publish, who is speaking, and its end. Participant connections and
 * in-process participants (the demo avatar) subscribe to its events; the room itself knows
 * nothing about WebSockets or WebRTC.
 */
import { DisconnectReason, ParticipantInfo_State, Room as RoomInfo, SpeakerInfo } from '@livekit/protocol';
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
  | { type: 'ended'; reason: DisconnectReason };

/** How often speaker changes are computed, in ms. */
const SPEAKER_INTERVAL_MS = 100;
/** Seconds an empty room stays open (reported to clients). */
const EMPTY_TIMEOUT_S = 300;

/** One LiveKit room. */
export class SandboxRoom {
  readonly sid = newSid('RM_');
  readonly name: string;
  readonly createdAtMs = Date.now();
  readonly participants = new Map<string, RoomParticipant>();
  readonly speakers = new SpeakerTracker();
  ended = false;
  readonly #listeners = new Set<(event: RoomEvent) => void>();
  readonly #speakerTimer: ReturnType<typeof setInterval>;

  constructor(name: string) {
    this.name = name;
    this.#speakerTimer = setInterval(() => this.#publishSpeakerChanges(), SPEAKER_INTERVAL_MS);
    this.#speakerTimer.unref?.();
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
    participant.touch();
    this.#emit({ type: 'track-published', participant, track });
    this.#emit({ type: 'participant', participant });
  }

  /** Removes a track from `participant` and announces it. */
  unpublish(participant: RoomParticipant, trackSid: string): void {
    const track = participant.tracks.get(trackSid);
    if (!track) return;
    participant.tracks.delete(trackSid);
    participant.touch();
    this.#emit({ type: 'track-unpublished', participant, track });
    this.#emit({ type: 'participant', participant });
  }

  /** Records that `subscriber` receives `trackSid`. */
  markSubscribed(subscriber: RoomParticipant, trackSid: string): void {
    this.#emit({ type: 'track-subscribed', subscriber, trackSid });
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

  #publishSpeakerChanges(): void {
    const changes = this.speakers.update();
    if (changes.length) this.#emit({ type: 'speakers', speakers: changes.map((speaker) => new SpeakerInfo(speaker)) });
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
