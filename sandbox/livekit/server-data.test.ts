/**
 * Data packets and published tracks through the whole server (tokens, connections, room)
 * with fake transports in place of WebRTC: the signalling is real, the data channels are the
 * fakes' `onData` and `sendData`, a track the client sends is the fakes' `onUpTrack`. The
 * browser suites (conformance/data.browser.test.ts, publish.browser.test.ts) cover the real
 * channels and media.
 */
import {
  AddTrackRequest,
  ClientInfo,
  ConnectionSettings,
  DataPacket,
  DataPacket_Kind,
  JoinRequest,
  SignalRequest,
  SignalResponse,
  SimulcastCodec,
  TrackSource,
  TrackType,
  UserPacket,
  WrappedJoinRequest,
  WrappedJoinRequest_Compression,
} from '@livekit/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { mintLiveKitToken, type GrantPermissions } from '../equos-api/livekit-token.js';
import { PushSource } from './media-source.js';
import type { DataKind, Negotiated, PeerTransport, TransportState } from './rtc/peer-transport.js';
import { startLiveKitServer, type RunningLiveKitServer } from './server.js';

/** A peer connection that only records the packets sent to its client. */
class FakeTransport implements PeerTransport {
  state: TransportState = 'new';
  onUpTrack?: PeerTransport['onUpTrack'];
  onStateChange?: PeerTransport['onStateChange'];
  onData?: PeerTransport['onData'];
  readonly sent: Array<{ kind: DataKind; packet: DataPacket }> = [];
  answer = async (): Promise<Negotiated> => ({ sdp: 'v=0\r\n', midToTrackId: {} });
  createOffer = async (): Promise<Negotiated> => ({ sdp: 'v=0\r\n', midToTrackId: {} });
  setAnswer = async (): Promise<void> => {};
  addDownTrack(): void {}
  removeDownTrack(): void {}
  unboundDownTracks() {
    return { audio: 0, video: 0 };
  }
  setDownTrackPaused(): void {}
  sendData(kind: DataKind, bytes: Uint8Array): void {
    this.sent.push({ kind, packet: DataPacket.fromBinary(bytes) });
  }
  close = async (): Promise<void> => {
    this.state = 'closed';
  };
}

const credentials = { apiKey: 'APItest', apiSecret: 'test-secret-0123456789abcdef0123456789' };
let server: RunningLiveKitServer;
beforeAll(async () => {
  server = await startLiveKitServer({ credentials, createTransport: () => new FakeTransport() });
});
afterAll(() => server.close());

interface Client {
  socket: WebSocket;
  sid: string;
  publisher: FakeTransport;
  subscriber: FakeTransport;
  responses: SignalResponse[];
}

/** Joins `room` as `identity` over `/rtc/v1` (or `/rtc`, two connections), or resumes `resumeSid`. */
async function join(
  identity: string,
  room: string,
  options: { permissions?: GrantPermissions; dualPc?: boolean; resumeSid?: string } = {},
): Promise<Client> {
  const token = await mintLiveKitToken(credentials, { identity, name: identity, room }, Date.now(), options.permissions ?? {});
  let url: string;
  if (options.dualPc) {
    url = `${server.url}/rtc?access_token=${token}&auto_subscribe=1&protocol=16`;
  } else {
    const request = new JoinRequest({
      clientInfo: new ClientInfo({ protocol: 17 }),
      connectionSettings: new ConnectionSettings({ autoSubscribe: true }),
      ...(options.resumeSid ? { reconnect: true, participantSid: options.resumeSid } : {}),
    });
    const wrapped = new WrappedJoinRequest({ compression: WrappedJoinRequest_Compression.NONE, joinRequest: request.toBinary() });
    url = `${server.url}/rtc/v1?access_token=${token}&join_request=${Buffer.from(wrapped.toBinary()).toString('base64url')}`;
  }
  const socket = new WebSocket(url);
  const responses: SignalResponse[] = [];
  socket.on('message', (data: Buffer) => responses.push(SignalResponse.fromBinary(new Uint8Array(data))));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const first = await until(() => responses.find((response) => ['join', 'reconnect'].includes(response.message.case ?? '')));
  const sid = first.message.case === 'join' ? first.message.value.participant!.sid : options.resumeSid!;
  const connection = server.connections.get(sid)!;
  return { socket, sid, publisher: connection.publisher as FakeTransport, subscriber: connection.subscriber as FakeTransport, responses };
}

async function until<T>(read: () => T | undefined, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What livekit-client's publishData sends. */
const published = (text: string, sequence: number, options: { topic?: string; destinations?: string[] } = {}) =>
  new DataPacket({
    kind: DataPacket_Kind.RELIABLE,
    sequence,
    value: {
      case: 'user',
      value: new UserPacket({ payload: new TextEncoder().encode(text), topic: options.topic ?? 'chat', destinationIdentities: options.destinations ?? [] }),
    },
  }).toBinary();

const texts = (transport: FakeTransport) =>
  transport.sent.map(({ packet }) => (packet.value.case === 'user' ? new TextDecoder().decode(packet.value.value.payload) : packet.value.case));

describe('data packets through the server', () => {
  it("relays a client's packets to the others, stamped with its identity, unless its token withholds canPublishData", async () => {
    const alice = await join('alice', 'data-1');
    const bob = await join('bob', 'data-1');
    const mallory = await join('mallory', 'data-1', { permissions: { canPublishData: false } });

    alice.publisher.onData!('reliable', published('hi all', 1));
    mallory.publisher.onData!('reliable', published('spam', 1));
    alice.publisher.onData!('reliable', published('just bob', 2, { destinations: ['bob'] }));

    expect(texts(bob.subscriber)).toEqual(['hi all', 'just bob']);
    expect(texts(mallory.subscriber)).toEqual(['hi all']);
    expect(texts(alice.subscriber)).toEqual([]);
    expect(bob.subscriber.sent[0]).toMatchObject({ kind: 'reliable', packet: { participantIdentity: 'alice', participantSid: alice.sid } });
    expect(server.rooms.get('data-1')!.data.map((record) => record.from)).toEqual(['alice', 'alice']);
    for (const client of [alice, bob, mallory]) client.socket.close();
  });

  it('delivers on the subscriber connection in the two-connection mode, and takes packets from the publisher one', async () => {
    const dual = await join('dual', 'data-2', { dualPc: true });
    const single = await join('single', 'data-2');
    expect(dual.subscriber).not.toBe(dual.publisher);

    single.publisher.onData!('lossy', published('to dual', 0));
    dual.publisher.onData!('reliable', published('from dual', 1));
    expect(dual.subscriber.sent.map(({ kind }) => kind)).toEqual(['lossy']);
    expect(texts(dual.subscriber)).toEqual(['to dual']);
    expect(dual.publisher.sent).toEqual([]);
    expect(texts(single.subscriber)).toEqual(['from dual']);
    for (const client of [dual, single]) client.socket.close();
  });

  it('tells a resumed client the last reliable sequence it relayed, so that only later packets are re-sent', async () => {
    const watcher = await join('watcher', 'data-3');
    const resumer = await join('resumer', 'data-3');
    for (const sequence of [1, 2, 3]) resumer.publisher.onData!('reliable', published(`#${sequence}`, sequence));
    resumer.socket.terminate();

    const resumed = await join('resumer', 'data-3', { resumeSid: resumer.sid });
    const reconnect = await until(() => resumed.responses.find((response) => response.message.case === 'reconnect'));
    expect(reconnect.message.case === 'reconnect' && reconnect.message.value.lastMessageSeq).toBe(3);
    // A replay of what already went through is dropped; what is new goes on.
    for (const sequence of [3, 4]) resumed.publisher.onData!('reliable', published(`#${sequence}`, sequence));
    expect(texts(watcher.subscriber)).toEqual(['#1', '#2', '#3', '#4']);
    for (const client of [watcher, resumed]) client.socket.close();
  });
});

/** What livekit-client's publishTrack sends for a microphone whose MediaStreamTrack id is `cid`. */
const addMicrophone = (client: Client, cid: string) =>
  client.socket.send(
    new SignalRequest({
      message: {
        case: 'addTrack',
        value: new AddTrackRequest({
          cid,
          name: 'microphone',
          type: TrackType.AUDIO,
          source: TrackSource.MICROPHONE,
          simulcastCodecs: [new SimulcastCodec({ codec: 'opus', cid })],
        }),
      },
    }).toBinary(),
  );

const publishedSid = async (client: Client, cid: string) => {
  const response = await until(() => client.responses.find((r) => r.message.case === 'trackPublished' && r.message.value.cid === cid));
  return response.message.case === 'trackPublished' ? response.message.value.track!.sid : '';
};

describe('published tracks: the AddTrack cid matched to the SDP, as the LiveKit server matches it', () => {
  it('by the msid track id when it is the cid (Chrome)', async () => {
    const client = await join('chrome', 'tracks-1');
    addMicrophone(client, 'f00d-mic');
    const sid = await publishedSid(client, 'f00d-mic');
    client.publisher.onUpTrack!({ mid: '3', kind: 'audio', msidTrackId: 'f00d-mic', source: new PushSource('audio') });
    const participant = server.rooms.get('tracks-1')!.participants.get('chrome')!;
    expect([...participant.tracks.keys()]).toEqual([sid]);
    expect(participant.tracks.get(sid)!.info.mid).toBe('3');
    client.socket.close();
  });

  it('by kind when the msid track id is not the cid (Firefox writes its own id into the msid)', async () => {
    const client = await join('firefox', 'tracks-2');
    addMicrophone(client, '{5f0a1c1e-0000-4000-8000-00000000c1d0}');
    const sid = await publishedSid(client, '{5f0a1c1e-0000-4000-8000-00000000c1d0}');
    // A video section first: a track of the other kind is never taken for the microphone.
    client.publisher.onUpTrack!({ mid: '4', kind: 'video', msidTrackId: '{aaaa}', source: new PushSource('video') });
    client.publisher.onUpTrack!({ mid: '9', kind: 'audio', msidTrackId: '{cc8b53b7-f4d0-4864-bbeb-167f1c56b14a}', source: new PushSource('audio') });
    const participant = server.rooms.get('tracks-2')!.participants.get('firefox')!;
    expect([...participant.tracks.keys()]).toEqual([sid]);
    expect(participant.tracks.get(sid)!.info).toMatchObject({ mid: '9', type: TrackType.AUDIO, source: TrackSource.MICROPHONE });
    client.socket.close();
  });
});
