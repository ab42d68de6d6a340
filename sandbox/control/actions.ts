/**
 * Faults and events injected into a live session's room, for tests and demos: the
 * signalling socket dropping, media stopping, the avatar leaving, the server ending the room,
 * removing the visitor, or asking it to reconnect from scratch.
 */
import { DisconnectReason, ParticipantInfo_Kind } from '@livekit/protocol';
import type { DemoAvatar } from '../avatar/demo-avatar.js';
import type { RunningLiveKitServer } from '../livekit/server.js';

/** Something to do to a room. */
export type RoomAction =
  | { type: 'drop-signal' }
  | { type: 'interrupt-media'; ms: number }
  | { type: 'end-room' }
  | { type: 'avatar-leave' }
  | { type: 'remove-visitor' }
  | { type: 'request-reconnect' };

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
    default:
      return 'type must be one of drop-signal, interrupt-media, end-room, avatar-leave, remove-visitor, request-reconnect';
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
  }
  return true;
}
