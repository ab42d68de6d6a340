/**
 * Data packets between one participant's connection and its room, by the LiveKit server's
 * rules (livekit/livekit `pkg/rtc/participant.go`, `onReceivedDataMessage` and
 * `handleReceivedDataMessage`; `pkg/rtc/room.go`, `BroadcastDataPacketForRoom`): what a client
 * may send, which payloads are forwarded to other participants, and who receives them.
 */
import { DataPacket, DataPacket_Kind, ParticipantInfo_Kind } from '@livekit/protocol';
import type { RoomParticipant } from './participant.js';
import type { DataKind } from './rtc/peer-transport.js';
import type { RoomEvent, SandboxRoom } from './room.js';

/** The room's announcement of a data packet. */
export type RoomDataEvent = Extract<RoomEvent, { type: 'data' }>;

/** Decodes a packet a client sent; `undefined` for bytes that are not a `DataPacket`. */
export function decodeDataPacket(bytes: Uint8Array): DataPacket | undefined {
  try {
    return DataPacket.fromBinary(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Whether the LiveKit server forwards a packet of this payload from `sender` to the other
 * participants.
 */
export function isForwardedBetweenParticipants(packet: DataPacket, sender: RoomParticipant): boolean {
  const payload = packet.value;
  switch (payload.case) {
    case 'user':
    case 'sipDtmf':
    case 'chatMessage':
    case 'rpcRequest':
    case 'rpcAck':
    case 'rpcResponse':
    case 'streamHeader':
    case 'streamChunk':
    case 'streamTrailer':
    case 'encryptedPacket':
      return true;
    case 'transcription':
      // Only agents publish transcriptions; from anyone else LiveKit drops them.
      return sender.kind === ParticipantInfo_Kind.AGENT;
    case 'metrics':
      // LiveKit hands these to its metrics listeners, never to participants as data.
      return false;
    case 'speaker':
      // Active speakers are the server's to announce (the sandbox sends SpeakersChanged);
      // LiveKit only logs a client's as "unsupported", and relaying it would let a client fake
      // who is speaking.
      return false;
    case undefined:
      // A payload newer than @livekit/protocol 1.52.1 (from a newer livekit-client): LiveKit
      // forwards what it does not know, and protobuf-es keeps the unknown field, so it reaches
      // the others intact. A packet without any payload is only garbage that happened to parse.
      return DataPacket.runtime.bin.listUnknownFields(packet).length > 0;
    default: {
      const unknown: never = payload;
      return unknown;
    }
  }
}

/** Whether `recipient` receives a packet `event.from` sent (never the sender itself). */
export function isAddressedTo(event: RoomDataEvent, recipient: RoomParticipant): boolean {
  if (event.from === recipient) return false;
  return event.destinations.length === 0 || event.destinations.includes(recipient.identity);
}

/** The channel a packet travels on. */
export function dataKindOf(packet: DataPacket): DataKind {
  return packet.kind === DataPacket_Kind.LOSSY ? 'lossy' : 'reliable';
}

/** What a relay needs. */
export interface DataRelayOptions {
  room: SandboxRoom;
  participant: RoomParticipant;
  /** Sends a serialised packet to the participant's client. */
  deliver(kind: DataKind, bytes: Uint8Array): void;
}

/** The data packets of one participant connection, both ways. */
export class ParticipantDataRelay {
  readonly #options: DataRelayOptions;
  #lastReliableSequence = 0;

  constructor(options: DataRelayOptions) {
    this.#options = options;
  }

  /**
   * The highest reliable sequence received from the client. A resumed client is told it
   * (`ReconnectResponse.lastMessageSeq`) and re-sends only what came after.
   */
  get lastReliableSequence(): number {
    return this.#lastReliableSequence;
  }

  /** Handles bytes the client sent on its `kind` channel. */
  receive(kind: DataKind, bytes: Uint8Array): void {
    const { room, participant } = this.#options;
    // Checked before decoding, as LiveKit does: a client without the grant costs nothing.
    if (!participant.permission.canPublishData) return;
    const packet = decodeDataPacket(bytes);
    if (!packet) return;
    if (kind === 'reliable' && packet.sequence > 0) {
      // A repeat (a resumed client replays what it was not sure had arrived).
      if (packet.sequence <= this.#lastReliableSequence) return;
      this.#lastReliableSequence = packet.sequence;
    }
    // The channel it came on is the truth, whatever the packet says.
    packet.kind = kind === 'lossy' ? DataPacket_Kind.LOSSY : DataPacket_Kind.RELIABLE;
    if (!isForwardedBetweenParticipants(packet, participant)) return;
    room.sendData(participant, packet);
  }

  /** Passes a packet of the room to the client when it is addressed to this participant. */
  deliver(event: RoomDataEvent): void {
    if (!isAddressedTo(event, this.#options.participant)) return;
    this.#options.deliver(dataKindOf(event.packet), event.packet.toBinary());
  }
}
