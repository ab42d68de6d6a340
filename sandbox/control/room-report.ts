/**
 * A room described for tests: who is in it, what each publishes, whether it is muted, how
 * many packets the server received for each track, and the data packets relayed.
 */
import { ParticipantInfo_Kind, ParticipantInfo_State, TrackSource, TrackType } from '@livekit/protocol';
import type { PushSource } from '../livekit/media-source.js';
import type { DataRecord, SandboxRoom } from '../livekit/room.js';

/** One track in a report. */
export interface TrackReport {
  sid: string;
  kind: 'audio' | 'video';
  source: string;
  muted: boolean;
  /** Packets that reached the server for this track. */
  packets: number;
}

/** One participant in a report. */
export interface ParticipantReport {
  sid: string;
  identity: string;
  kind: string;
  state: string;
  attributes: Record<string, string>;
  tracks: TrackReport[];
}

/** A room in a report. */
export interface RoomReport {
  name: string;
  sid: string;
  participants: ParticipantReport[];
  speakers: string[];
  /** Recent user data packets, oldest first (`text` holds an `equos_event` message's JSON). */
  data: DataRecord[];
}

/** Describes `room`. */
export function reportRoom(room: SandboxRoom): RoomReport {
  return {
    name: room.name,
    sid: room.sid,
    participants: room.active().map((participant) => ({
      sid: participant.sid,
      identity: participant.identity,
      kind: ParticipantInfo_Kind[participant.kind] ?? String(participant.kind),
      state: ParticipantInfo_State[participant.state] ?? String(participant.state),
      attributes: participant.attributes,
      tracks: [...participant.tracks.values()].map(({ info, source }) => ({
        sid: info.sid,
        kind: info.type === TrackType.VIDEO ? 'video' : 'audio',
        source: TrackSource[info.source] ?? String(info.source),
        muted: info.muted,
        packets: (source as Partial<PushSource>).packets ?? 0,
      })),
    })),
    speakers: room.speakers.active().map((speaker) => speaker.sid),
    data: [...room.data],
  };
}
