/**
 * Connection quality as the LiveKit server reports it (livekit-server pkg/rtc/room.go,
 * `connectionQualityWorker`, and participant.go `GetConnectionQuality`): on a tick (5 s there),
 * each active participant's quality is the worst of its published tracks' and of the tracks it
 * receives; only when some participant's quality changed (or one is new) does each participant
 * hear its own and those of the participants it is subscribed to.
 *
 * The sandbox has no network statistics to score. A track whose packets have stopped while
 * it is not muted (the avatar's media interrupted) makes its publisher LOST and whoever
 * receives it POOR; a `network` fault (../control/actions.ts) sets a participant's own link
 * to a quality, as loss and jitter on it would.
 */
import { ConnectionQuality, ConnectionQualityInfo, ParticipantInfo_State } from '@livekit/protocol';
import type { PublishedTrack, RoomParticipant } from './participant.js';

/** A track that has sent nothing for this long, unmuted, counts as stopped. */
const STARVED_MS = 2000;

/** Worst first: LiveKit's enum is not ordered by quality (LOST is 3). */
const RANK: Record<ConnectionQuality, number> = {
  [ConnectionQuality.LOST]: 0,
  [ConnectionQuality.POOR]: 1,
  [ConnectionQuality.GOOD]: 2,
  [ConnectionQuality.EXCELLENT]: 3,
};

/** A mean-opinion score in LiveKit's range (1–4.5) for each quality, as its scorer gives. */
const SCORE: Record<ConnectionQuality, number> = {
  [ConnectionQuality.LOST]: 0,
  [ConnectionQuality.POOR]: 2.5,
  [ConnectionQuality.GOOD]: 3.8,
  [ConnectionQuality.EXCELLENT]: 4.5,
};

const worse = (a: ConnectionQuality, b: ConnectionQuality) => (RANK[b] < RANK[a] ? b : a);

/** Scores one room's participants. */
export class ConnectionQualityTracker {
  /** When each published track last sent a packet (or was published), by track sid. */
  readonly #lastPacketAt = new Map<string, number>();
  readonly #unwatch = new Map<string, () => void>();
  /** The tracks each participant receives, by subscriber sid. */
  readonly #received = new Map<string, Set<string>>();
  /** Links set to a quality by a fault, by participant sid. */
  readonly #faults = new Map<string, ConnectionQuality>();
  /** What was last reported, by participant sid. */
  #reported = new Map<string, ConnectionQuality>();

  /** Starts timing `track`'s packets. */
  watch(track: PublishedTrack, now = Date.now()): void {
    const sid = track.info.sid;
    this.#lastPacketAt.set(sid, now);
    this.#unwatch.set(sid, track.source.subscribe(() => this.#lastPacketAt.set(sid, Date.now())));
  }

  /** Stops timing the track `trackSid` (unpublished). */
  unwatch(trackSid: string): void {
    this.#unwatch.get(trackSid)?.();
    this.#unwatch.delete(trackSid);
    this.#lastPacketAt.delete(trackSid);
    for (const tracks of this.#received.values()) tracks.delete(trackSid);
  }

  /** `subscriberSid` now receives `trackSid` (or no longer does). */
  receiving(subscriberSid: string, trackSid: string, receives: boolean): void {
    let tracks = this.#received.get(subscriberSid);
    if (!tracks) this.#received.set(subscriberSid, (tracks = new Set()));
    if (receives) tracks.add(trackSid);
    else tracks.delete(trackSid);
  }

  /** The sids of the participants whose tracks `subscriberSid` receives. */
  sources(subscriberSid: string, participants: readonly RoomParticipant[]): Set<string> {
    const tracks = this.#received.get(subscriberSid) ?? new Set<string>();
    return new Set(participants.filter((participant) => [...participant.tracks.keys()].some((sid) => tracks.has(sid))).map((participant) => participant.sid));
  }

  /** Sets the link of `participantSid` to `quality`, or back to what its media says (`undefined`). */
  setFault(participantSid: string, quality: ConnectionQuality | undefined): void {
    if (quality === undefined) this.#faults.delete(participantSid);
    else this.#faults.set(participantSid, quality);
  }

  /**
   * Scores every active participant; returns the scores when one changed (or is new) since
   * the last call, as LiveKit sends them, else `undefined`.
   */
  update(participants: readonly RoomParticipant[], now = Date.now()): ConnectionQualityInfo[] | undefined {
    const active = participants.filter((participant) => participant.state === ParticipantInfo_State.ACTIVE);
    const scored = new Map(active.map((participant) => [participant.sid, this.#quality(participant, participants, now)]));
    const changed = [...scored].some(([sid, quality]) => this.#reported.get(sid) !== quality);
    this.#reported = scored;
    if (!changed) return undefined;
    return [...scored].map(([participantSid, quality]) => new ConnectionQualityInfo({ participantSid, quality, score: SCORE[quality] }));
  }

  #quality(participant: RoomParticipant, everyone: readonly RoomParticipant[], now: number): ConnectionQuality {
    let quality = this.#faults.get(participant.sid) ?? ConnectionQuality.EXCELLENT;
    for (const track of participant.tracks.values()) {
      if (this.#starved(track, now)) quality = worse(quality, ConnectionQuality.LOST);
    }
    const received = this.#received.get(participant.sid);
    for (const other of everyone) {
      for (const track of other.tracks.values()) {
        if (received?.has(track.info.sid) && this.#starved(track, now)) quality = worse(quality, ConnectionQuality.POOR);
      }
    }
    return quality;
  }

  #starved(track: PublishedTrack, now: number): boolean {
    const last = this.#lastPacketAt.get(track.info.sid);
    return !track.info.muted && last !== undefined && now - last > STARVED_MS;
  }
}

/** What a client of `protocol` is told for `quality`: LOST only from protocol 11 (LiveKit's `SupportsConnectionQualityLost`). */
export function qualityFor(protocol: number, quality: ConnectionQuality): ConnectionQuality {
  return quality === ConnectionQuality.LOST && protocol <= 10 ? ConnectionQuality.POOR : quality;
}

/** Whether a client of `protocol` is sent quality updates at all (LiveKit's `SupportsConnectionQuality`). */
export const receivesQuality = (protocol: number) => protocol > 4;
