/**
 * User data "from the avatar" for browser tests: a packet sent in the avatar's name through
 * the room's in-process API (`SandboxRoom.sendUserData`, what the demo avatar itself uses),
 * either now or at the moment the next visitor joins, which is before that visitor has any
 * data channel open.
 */
import { ParticipantInfo_Kind, ParticipantInfo_State } from '@livekit/protocol';
import type { RoomParticipant } from '../livekit/participant.js';
import type { SandboxRoom, UserData } from '../livekit/room.js';

/** When the packet is sent. */
export type AvatarDataTiming = 'now' | 'next-visitor-join';

/**
 * Sends `data` from the room's avatar (its agent participant).
 *
 * @returns whether the room relayed it (`now`), or true once armed (`next-visitor-join`)
 * @throws Error when the room has no avatar
 */
export function sendAvatarData(room: SandboxRoom, data: UserData, timing: AvatarDataTiming): boolean {
  const avatar = room.active().find((participant) => participant.kind === ParticipantInfo_Kind.AGENT);
  if (!avatar) throw new Error(`room ${room.name} has no avatar`);
  if (timing === 'now') return room.sendUserData(avatar, data);
  const unsubscribe = room.subscribe((event) => {
    if (event.type !== 'participant' || !isJoiningVisitor(event.participant)) return;
    unsubscribe();
    room.sendUserData(avatar, data);
  });
  return true;
}

/** A visitor at `room.join`: its socket is open, its peer connection not even offered yet. */
function isJoiningVisitor(participant: RoomParticipant): boolean {
  return participant.kind !== ParticipantInfo_Kind.AGENT && participant.state === ParticipantInfo_State.JOINED;
}
