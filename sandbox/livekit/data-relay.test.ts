/**
 * The LiveKit server's data rules, on a real room with in-process participants and recorded
 * deliveries (no WebRTC): what is forwarded, to whom, on which channel, with whose identity.
 */
import {
  ActiveSpeakerUpdate,
  ChatMessage,
  DataPacket,
  DataPacket_Kind,
  MetricsBatch,
  ParticipantInfo_Kind,
  ParticipantInfo_State,
  RpcRequest,
  SipDTMF,
  Transcription,
  UserPacket,
} from '@livekit/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeDataPacket, isForwardedBetweenParticipants, ParticipantDataRelay } from './data-relay.js';
import { RoomParticipant, type ParticipantInit } from './participant.js';
import { SandboxRoom } from './room.js';
import type { DataKind } from './rtc/peer-transport.js';

const rooms: SandboxRoom[] = [];
afterEach(() => {
  for (const room of rooms.splice(0)) room.end();
});

interface Member {
  participant: RoomParticipant;
  relay: ParticipantDataRelay;
  /** Packets delivered to this member's client, decoded. */
  received: Array<{ kind: DataKind; packet: DataPacket }>;
}

/** A room whose members are wired the way ParticipantConnection wires them. */
function roomWith(...inits: ParticipantInit[]): { room: SandboxRoom; members: Member[] } {
  const room = new SandboxRoom(`room-${rooms.length}`);
  rooms.push(room);
  const members = inits.map((init) => {
    const participant = new RoomParticipant(init);
    const received: Member['received'] = [];
    const relay = new ParticipantDataRelay({
      room,
      participant,
      deliver: (kind, bytes) => received.push({ kind, packet: DataPacket.fromBinary(bytes) }),
    });
    room.subscribe((event) => {
      if (event.type === 'data') relay.deliver(event);
    });
    room.join(participant);
    participant.state = ParticipantInfo_State.ACTIVE;
    return { participant, relay, received };
  });
  return { room, members };
}

const userPacket = (text: string, options: { topic?: string; destinations?: string[]; sequence?: number; kind?: DataPacket_Kind } = {}) =>
  new DataPacket({
    kind: options.kind ?? DataPacket_Kind.RELIABLE,
    sequence: options.sequence ?? 0,
    // What livekit-client's publishData puts in: its own identity, destinations in the user packet.
    participantIdentity: 'claimed-by-client',
    value: {
      case: 'user',
      value: new UserPacket({
        payload: new TextEncoder().encode(text),
        participantIdentity: 'claimed-by-client',
        destinationIdentities: options.destinations ?? [],
        ...(options.topic !== undefined ? { topic: options.topic } : {}),
      }),
    },
  });

/** Appends field 99 (length-delimited, one byte): a payload this protocol version does not know. */
const withNewerPayload = (bytes: Uint8Array) => new Uint8Array([...bytes, 0x9a, 0x06, 0x01, 0x2a]);

const textOf = (packet: DataPacket) => (packet.value.case === 'user' ? new TextDecoder().decode(packet.value.value.payload) : `<${packet.value.case}>`);

describe('decodeDataPacket', () => {
  it('decodes what livekit-client sends and rejects bytes that are not a DataPacket', () => {
    expect(textOf(decodeDataPacket(userPacket('hi').toBinary())!)).toBe('hi');
    expect(decodeDataPacket(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toBeUndefined();
    expect(decodeDataPacket(new TextEncoder().encode('{"not":"protobuf"}'))).toBeUndefined();
  });
});

describe('isForwardedBetweenParticipants', () => {
  const visitor = new RoomParticipant({ identity: 'visitor' });
  const agent = new RoomParticipant({ identity: 'agent', kind: ParticipantInfo_Kind.AGENT });
  const packet = (value: DataPacket['value']) => new DataPacket({ value });

  it.each([
    ['user', packet({ case: 'user', value: new UserPacket() }), true],
    ['sipDtmf', packet({ case: 'sipDtmf', value: new SipDTMF({ digit: '1' }) }), true],
    ['chatMessage', packet({ case: 'chatMessage', value: new ChatMessage({ message: 'hi' }) }), true],
    ['rpcRequest', packet({ case: 'rpcRequest', value: new RpcRequest({ id: '1', method: 'm' }) }), true],
    ['metrics', packet({ case: 'metrics', value: new MetricsBatch() }), false],
    ['speaker', packet({ case: 'speaker', value: new ActiveSpeakerUpdate() }), false],
    ['transcription from a visitor', packet({ case: 'transcription', value: new Transcription() }), false],
    ['no payload at all', packet({ case: undefined }), false],
    ['an unknown (newer) payload', DataPacket.fromBinary(withNewerPayload(new DataPacket().toBinary())), true],
  ])('%s → %s', (_name, value, forwarded) => {
    expect(isForwardedBetweenParticipants(value, visitor)).toBe(forwarded);
  });

  it('forwards transcriptions from agents', () => {
    expect(isForwardedBetweenParticipants(packet({ case: 'transcription', value: new Transcription() }), agent)).toBe(true);
  });
});

describe('ParticipantDataRelay', () => {
  it("relays a reliable user packet to the others with the sender's identity and topic, never back to the sender", () => {
    const { members } = roomWith({ identity: 'ada' }, { identity: 'bob' }, { identity: 'cy' });
    const [ada, bob, cy] = members as [Member, Member, Member];
    ada.relay.receive('reliable', userPacket('hello', { topic: 'chat', sequence: 1 }).toBinary());

    expect(ada.received).toEqual([]);
    for (const member of [bob, cy]) {
      expect(member.received).toHaveLength(1);
      const { kind, packet } = member.received[0]!;
      expect(kind).toBe('reliable');
      expect(textOf(packet)).toBe('hello');
      expect(packet).toMatchObject({ participantIdentity: 'ada', participantSid: ada.participant.sid, sequence: 1 });
      expect(packet.value.value).toMatchObject({ participantIdentity: 'ada', participantSid: ada.participant.sid, topic: 'chat' });
    }
  });

  it('delivers only to the destinations, named in the user packet or in the packet', () => {
    const { members } = roomWith({ identity: 'ada' }, { identity: 'bob' }, { identity: 'cy' });
    const [ada, bob, cy] = members as [Member, Member, Member];
    ada.relay.receive('reliable', userPacket('for bob', { destinations: ['bob'] }).toBinary());
    const rpc = new DataPacket({ destinationIdentities: ['cy'], value: { case: 'rpcRequest', value: new RpcRequest({ id: 'r1', method: 'greet' }) } });
    ada.relay.receive('reliable', rpc.toBinary());

    expect(bob.received.map(({ packet }) => textOf(packet))).toEqual(['for bob']);
    expect(cy.received.map(({ packet }) => textOf(packet))).toEqual(['<rpcRequest>']);
    // Both destination lists say the same afterwards, as on the real server.
    expect(bob.received[0]!.packet.destinationIdentities).toEqual(['bob']);
  });

  it('sends lossy packets on the lossy channel: the channel it came on wins over the packet', () => {
    const { members } = roomWith({ identity: 'ada' }, { identity: 'bob' });
    const [ada, bob] = members as [Member, Member];
    ada.relay.receive('lossy', userPacket('cursor', { kind: DataPacket_Kind.RELIABLE }).toBinary());
    expect(bob.received.map(({ kind, packet }) => [kind, packet.kind])).toEqual([['lossy', DataPacket_Kind.LOSSY]]);
  });

  it('relays nothing from a participant whose token does not grant canPublishData, and records nothing', () => {
    const { room, members } = roomWith({ identity: 'muted', canPublishData: false }, { identity: 'bob' });
    const [muted, bob] = members as [Member, Member];
    muted.relay.receive('reliable', userPacket('let me speak').toBinary());
    expect(bob.received).toEqual([]);
    expect(room.data).toEqual([]);
    // It still receives what others send.
    bob.relay.receive('reliable', userPacket('you may listen').toBinary());
    expect(muted.received).toHaveLength(1);
  });

  it('drops malformed bytes and server-only payloads without a sound', () => {
    const { room, members } = roomWith({ identity: 'ada' }, { identity: 'bob' });
    const [ada, bob] = members as [Member, Member];
    expect(() => ada.relay.receive('reliable', new Uint8Array([0x0a, 0xff, 0x01]))).not.toThrow();
    ada.relay.receive('reliable', new DataPacket({ value: { case: 'speaker', value: new ActiveSpeakerUpdate() } }).toBinary());
    ada.relay.receive('reliable', new DataPacket({ value: { case: 'metrics', value: new MetricsBatch() } }).toBinary());
    expect(bob.received).toEqual([]);
    expect(room.data).toEqual([]);
  });

  it('passes on a payload newer than its protocol version intact', () => {
    const { members } = roomWith({ identity: 'ada' }, { identity: 'bob' });
    const [ada, bob] = members as [Member, Member];
    ada.relay.receive('reliable', withNewerPayload(new DataPacket({ kind: DataPacket_Kind.RELIABLE }).toBinary()));
    expect(bob.received).toHaveLength(1);
    const relayed = bob.received[0]!.packet.toBinary();
    expect([...relayed.slice(-4)]).toEqual([0x9a, 0x06, 0x01, 0x2a]);
    expect(bob.received[0]!.packet.participantIdentity).toBe('ada');
  });

  it('drops a reliable packet it already relayed (a resumed client replays) and remembers the last sequence', () => {
    const { members } = roomWith({ identity: 'ada' }, { identity: 'bob' });
    const [ada, bob] = members as [Member, Member];
    for (const sequence of [1, 2, 2, 1, 3]) ada.relay.receive('reliable', userPacket(`#${sequence}`, { sequence }).toBinary());
    expect(bob.received.map(({ packet }) => textOf(packet))).toEqual(['#1', '#2', '#3']);
    expect(ada.relay.lastReliableSequence).toBe(3);
    // Lossy packets carry no sequence to check.
    ada.relay.receive('lossy', userPacket('lossy').toBinary());
    expect(bob.received).toHaveLength(4);
  });

  it('records user packets for the room report, and delivers what an in-process participant sends', () => {
    const { room, members } = roomWith({ identity: 'ada' }, { identity: 'avatar', kind: ParticipantInfo_Kind.AGENT });
    const [ada, avatar] = members as [Member, Member];
    ada.relay.receive('reliable', userPacket('{"type":"usr.txt"}', { topic: 'equos_event', destinations: ['avatar'] }).toBinary());
    room.sendUserData(avatar.participant, { payload: new TextEncoder().encode('caption'), topic: 'equos_event', reliable: false });

    expect(ada.received.map(({ kind, packet }) => [kind, textOf(packet), packet.participantIdentity])).toEqual([['lossy', 'caption', 'avatar']]);
    expect(room.data.map(({ from, kind, topic, destinations, text }) => ({ from, kind, topic, destinations, text }))).toEqual([
      { from: 'ada', kind: 'reliable', topic: 'equos_event', destinations: ['avatar'], text: '{"type":"usr.txt"}' },
      { from: 'avatar', kind: 'lossy', topic: 'equos_event', destinations: [], text: 'caption' },
    ]);
  });
});
