/**
 * Faults and events injected into a live session's room, for tests and demos: the
 * signalling socket dropping, media stopping, the avatar leaving, the server ending the room,
 * removing the visitor, asking it to reconnect from scratch, or the visitor's link turning
 * weak (the connection quality LiveKit reports).
 */
import { ConnectionQuality, DisconnectReason, ParticipantInfo_Kind } from '@livekit/protocol';
import type { DemoAvatar } from '../avatar/demo-avatar.js';
import type { RunningLiveKitServer } from '../livekit/server.js';

/** Something to do to a room. */
export type RoomAction =
  | { type: 'drop-signal' }
  | { type: 'interrupt-media'; ms: number }
  | { type: 'end-room' }
  | { type: 'avatar-leave' }
  | { type: 'remove-visitor' }
  | { type: 'request-reconnect' }
  /** The visitors' links score `quality` (for `ms`, else until the next `network` action). */
  | { type: 'network'; quality: NetworkQuality; ms?: number };

/** The qualities a `network` action can set, as LiveKit names them. */
export type NetworkQuality = 'excellent' | 'good' | 'poor' | 'lost';

const QUALITIES: Record<NetworkQuality, ConnectionQuality> = {
  excellent: ConnectionQuality.EXCELLENT,
  good: ConnectionQuality.GOOD,
  poor: ConnectionQuality.POOR,
  lost: ConnectionQuality.LOST,
};

/** What actions need to reach. */
export interface ActionTargets {
  livekit: RunningLiveKitServer;
  avatars: ReadonlyMap<string, DemoAvatar>;
}

/** Reads an action from untrusted JSON; returns a message when it is not one. */
export function parseAction(value: unknown): RoomAction | string {
  const action = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  switch (action.type) {
    case 'drop-signal':
    case 'end-room':
    case 'avatar-leave':
    case 'remove-visitor':
    case 'request-reconnect':
      return { type: action.type };
    case 'interrupt-media':
      return typeof action.ms === 'number' && action.ms > 0 && action.ms <= 120_000
        ? { type: 'interrupt-media', ms: action.ms }
        : 'interrupt-media needs ms from 1 to 120000';
    case 'network': {
      if (typeof action.quality !== 'string' || !(action.quality in QUALITIES)) return 'network needs quality: excellent, good, poor or lost';
      if (action.ms !== undefined && !(typeof action.ms === 'number' && action.ms > 0 && action.ms <= 600_000)) return 'network ms must be from 1 to 600000';
      return { type: 'network', quality: action.quality as NetworkQuality, ...(action.ms !== undefined ? { ms: action.ms } : {}) };
    }
    default:
      return 'type must be one of drop-signal, interrupt-media, end-room, avatar-leave, remove-visitor, request-reconnect, network';
  }
}

/**
 * Applies `action` to the room named `roomName`.
 *
 * @returns `false` when there is no such open room
 */
export function applyAction(targets: ActionTargets, roomName: string, action: RoomAction): boolean {
  const room = targets.livekit.rooms.get(roomName);
  if (!room) return false;
  const visitors = [...targets.livekit.connections.values()].filter(
    (session) => session.room === room && session.participant.kind !== ParticipantInfo_Kind.AGENT,
  );
  const avatar = targets.avatars.get(roomName);
  switch (action.type) {
    case 'drop-signal':
      for (const session of visitors) session.dropSignal();
      break;
    case 'interrupt-media': {
      avatar?.setMediaPaused(true);
      const timer = setTimeout(() => avatar?.setMediaPaused(false), action.ms);
      timer.unref?.();
      break;
    }
    case 'end-room':
      targets.livekit.rooms.end(roomName, DisconnectReason.ROOM_DELETED);
      break;
    case 'avatar-leave':
      avatar?.leave();
      break;
    case 'remove-visitor':
      for (const session of visitors) void session.end(DisconnectReason.PARTICIPANT_REMOVED);
      break;
    case 'request-reconnect':
      for (const session of visitors) session.requestFullReconnect();
      break;
    case 'network': {
      // `excellent` is a link with nothing wrong: back to what the media says.
      const quality = action.quality === 'excellent' ? undefined : QUALITIES[action.quality];
      const sids = visitors.map((session) => session.participant.sid);
      for (const sid of sids) room.quality.setFault(sid, quality);
      if (action.ms !== undefined && quality !== undefined) {
        const timer = setTimeout(() => sids.forEach((sid) => room.quality.setFault(sid, undefined)), action.ms);
        timer.unref?.();
      }
      break;
    }
  }
  return true;
}
