/**
 * The demo avatar's end of Equos' real-time channel: JSON messages in LiveKit user data
 * packets on the topic `equos_event`, sent reliably (contract/equos/realtime.ts).
 */
import { EQUOS_TOPIC, encodeMessage, parsePageMessage, type AgentMessage, type PageMessage } from '../../contract/equos/realtime.js';
import type { RoomParticipant } from '../livekit/participant.js';
import type { RoomEvent, SandboxRoom } from '../livekit/room.js';

/**
 * The page message a room event carries for `self`, or `undefined`: only user packets on
 * `equos_event` addressed to everyone or to `self`, never `self`'s own, and only messages
 * the contract knows (anything else is ignored, as Equos ignores what it does not know).
 */
export function pageMessageFor(self: RoomParticipant, event: RoomEvent): PageMessage | undefined {
  if (event.type !== 'data' || event.from === self || event.from.identity === self.identity) return undefined;
  if (event.destinations.length > 0 && !event.destinations.includes(self.identity)) return undefined;
  const value = event.packet.value;
  if (value.case !== 'user' || value.value.topic !== EQUOS_TOPIC) return undefined;
  return parsePageMessage(value.value.payload);
}

/** Publishes `message` from `self` to everyone else in the room, reliably; false when the room refused it. */
export function sendAgentMessage(room: SandboxRoom, self: RoomParticipant, message: AgentMessage): boolean {
  return room.sendUserData(self, { payload: encodeMessage(message), topic: EQUOS_TOPIC, reliable: true });
}
