/**
 * Conformance: data packets, as the LiveKit server relays them between participants. Plain
 * livekit-client in Chromium: user data (reliable and lossy, topics, destinations), packets
 * from the in-process avatar, the grant that withholds publishing data, RPC and text streams
 * (which are data packets too), in both signalling modes.
 */
import { expect } from 'chai';
import { DataPacket_Kind, RoomEvent, type Room, type RoomOptions } from 'livekit-client';
import { createSession, mintToken, roomReport, roomReportOverHttp, sendAvatarData, waitFor } from '../../testing/sandbox-commands.js';
import { disconnectAll, openRoom } from './helpers.js';

/** The topic of every packet these tests send (the avatar may send others of its own). */
const TOPIC = 'conformance';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One `RoomEvent.DataReceived`. */
interface Received {
  text: string;
  from: string | undefined;
  topic: string | undefined;
  kind: DataPacket_Kind | undefined;
}

/** A connected Room and what it received on TOPIC. */
interface Visitor {
  room: Room;
  identity: string;
  received: Received[];
}

function recordData(room: Room): Received[] {
  const received: Received[] = [];
  room.on(RoomEvent.DataReceived, (payload, participant, kind, topic) => {
    if (topic === TOPIC) received.push({ text: decoder.decode(payload), from: participant?.identity, topic, kind });
  });
  return received;
}

/** Connects a visitor, listening for data before it connects. */
async function connectVisitor(serverUrl: string, token: string, options: Partial<RoomOptions> = {}): Promise<Visitor> {
  const room = openRoom(options);
  const received = recordData(room);
  await room.connect(serverUrl, token);
  return { room, identity: room.localParticipant.identity, received };
}

/**
 * A session (without an avatar unless the scenario brings one) and `options.length` visitors
 * in its room: the first with the token Equos minted, the others with tokens for the same
 * room. Resolves once every visitor knows every other one.
 */
async function visitorsInOneRoom(
  options: Array<Partial<RoomOptions> & { canPublishData?: boolean }>,
  scenario: unknown = { avatar: { never: true } },
) {
  const session = await createSession({ scenario });
  const visitors: Visitor[] = [];
  for (const [index, { canPublishData, ...roomOptions }] of options.entries()) {
    const token = index === 0 ? session.token : await peerToken(session.sessionId, index, canPublishData);
    visitors.push(await connectVisitor(session.serverUrl, token, roomOptions));
  }
  const identities = visitors.map((visitor) => visitor.identity);
  await waitFor(
    () => visitors.every((visitor) => identities.every((identity) => identity === visitor.identity || visitor.room.remoteParticipants.has(identity))),
    (known) => known,
    10_000,
    'every visitor to know the others',
  );
  return { session, visitors };
}

/** A token for one more visitor of the same room (with every grant unless `canPublishData` is false). */
async function peerToken(room: string, index: number, canPublishData = true): Promise<string> {
  const identity = `peer-${index}-${crypto.randomUUID().slice(0, 6)}`;
  return (await mintToken({ room, identity, ...(canPublishData ? {} : { canPublishData }) })).token;
}

const publish = (visitor: Visitor, text: string, options: { reliable?: boolean; destinationIdentities?: string[] } = {}) =>
  visitor.room.localParticipant.publishData(encoder.encode(text), { reliable: options.reliable ?? true, topic: TOPIC, ...options });

const texts = (visitor: Visitor) => visitor.received.map((packet) => packet.text);

/** Waits until `visitor` received `text`. */
const receives = (visitor: Visitor, text: string, timeoutMs = 10_000) =>
  waitFor(() => texts(visitor), (seen) => seen.includes(text), timeoutMs, `${visitor.identity} to receive "${text}"`);

describe('livekit-client against the sandbox: data packets', () => {
  afterEach(disconnectAll);

  it('delivers a reliable packet with its topic to the other visitor, from the sender, and not back to the sender', async () => {
    const { visitors } = await visitorsInOneRoom([{}, {}]);
    const [ada, bob] = visitors as [Visitor, Visitor];
    await publish(ada, 'hello bob');
    await receives(bob, 'hello bob');
    expect(bob.received[0]).to.deep.equal({ text: 'hello bob', from: ada.identity, topic: TOPIC, kind: DataPacket_Kind.RELIABLE });
    // Bob answers: had Ada's own packet come back to her, it would have arrived before this.
    await publish(bob, 'hello ada');
    await receives(ada, 'hello ada');
    expect(texts(ada)).to.deep.equal(['hello ada']);
  });

  it('delivers lossy packets, as lossy', async () => {
    const { visitors } = await visitorsInOneRoom([{}, {}]);
    const [ada, bob] = visitors as [Visitor, Visitor];
    // Lossy may lose a packet even on loopback; one of several is proof enough.
    for (let i = 0; i < 5; i += 1) {
      await publish(ada, `cursor ${i}`, { reliable: false });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seen = await waitFor(() => bob.received, (packets) => packets.length > 0, 5_000, 'a lossy packet');
    expect(seen[0]).to.include({ from: ada.identity, kind: DataPacket_Kind.LOSSY });
    expect(seen[0]!.text).to.match(/^cursor \d$/);
  });

  it('delivers only to destinationIdentities: the third visitor gets nothing, nor does the sender', async () => {
    const { visitors } = await visitorsInOneRoom([{}, {}, {}]);
    const [ada, bob, cy] = visitors as [Visitor, Visitor, Visitor];
    await publish(ada, 'only for bob', { destinationIdentities: [bob.identity] });
    // Reliable packets from one sender arrive in order: once Cy has this, the first is not coming.
    await publish(ada, 'for everyone');
    await receives(bob, 'for everyone');
    await receives(cy, 'for everyone');
    expect(texts(bob)).to.deep.equal(['only for bob', 'for everyone']);
    expect(texts(cy)).to.deep.equal(['for everyone']);
    await publish(bob, 'fence for ada', { destinationIdentities: [ada.identity] });
    await receives(ada, 'fence for ada');
    expect(texts(ada)).to.deep.equal(['fence for ada']);
  });

  it('lists the relayed packets in the room report of the control API', async () => {
    const { session, visitors } = await visitorsInOneRoom([{}, {}]);
    const [ada, bob] = visitors as [Visitor, Visitor];
    await publish(ada, '{"type":"context","content":"pricing page"}', { destinationIdentities: [bob.identity] });
    await receives(bob, '{"type":"context","content":"pricing page"}');
    const report = await roomReportOverHttp(session.sessionId);
    const records = report!.data.filter((record) => record.topic === TOPIC);
    expect(records).to.have.length(1);
    expect(records[0]).to.deep.include({ from: ada.identity, kind: 'reliable', topic: TOPIC, text: '{"type":"context","content":"pricing page"}' });
    expect(records[0]!.destinations).to.deep.equal([bob.identity]);
    expect(records[0]!.bytes).to.equal(encoder.encode('{"type":"context","content":"pricing page"}').length);
  });

  it('relays nothing from a visitor whose token withholds canPublishData', async () => {
    const { visitors } = await visitorsInOneRoom([{}, {}, { canPublishData: false }]);
    const [ada, bob, muted] = visitors as [Visitor, Visitor, Visitor];
    expect(muted.room.localParticipant.permissions?.canPublishData).to.equal(false);
    await publish(muted, 'not allowed');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await publish(ada, 'allowed');
    await receives(bob, 'allowed');
    await receives(muted, 'allowed');
    expect(texts(bob)).to.deep.equal(['allowed']);
  });

  it('delivers a packet from the in-process avatar', async () => {
    const session = await createSession({ scenario: { avatar: { joinDelayMs: 0 } } });
    const visitor = await connectVisitor(session.serverUrl, session.token);
    await waitFor(() => visitor.room.remoteParticipants.has(session.avatarIdentity), (known) => known, 10_000, 'the avatar');
    const { sent } = await sendAvatarData({ sessionId: session.sessionId, text: 'caption', topic: TOPIC, destinationIdentities: [visitor.identity] });
    expect(sent).to.equal(true);
    await receives(visitor, 'caption');
    expect(visitor.received[0]).to.deep.equal({ text: 'caption', from: session.avatarIdentity, topic: TOPIC, kind: DataPacket_Kind.RELIABLE });
  });

  it("keeps the avatar's packet sent before the visitor's data channel is open, and delivers it once it is", async () => {
    const session = await createSession({ scenario: { avatar: { joinDelayMs: 0 } } });
    await waitFor(() => roomReport(session.sessionId), (room) => room?.participants.some((p) => p.kind === 'AGENT') ?? false, 10_000, 'the avatar in the room');
    // Sent at the visitor's join: before the server has even answered its first offer.
    await sendAvatarData({ sessionId: session.sessionId, text: 'first caption', topic: TOPIC, when: 'next-visitor-join' });
    const visitor = await connectVisitor(session.serverUrl, session.token);
    await receives(visitor, 'first caption');
    expect(visitor.received[0]).to.include({ from: session.avatarIdentity, kind: DataPacket_Kind.RELIABLE });
  });

  it('carries an RPC round trip between two visitors (request, ack and response are data packets)', async () => {
    const { visitors } = await visitorsInOneRoom([{}, {}]);
    const [ada, bob] = visitors as [Visitor, Visitor];
    // Each client's feature level is shown to the others, as the LiveKit server does: it picks
    // the RPC and stream paths both sides speak (livekit-client 2.23: data streams, level 2).
    expect(ada.room.remoteParticipants.get(bob.identity)!.clientProtocol).to.equal(2);
    bob.room.registerRpcMethod('greet', async ({ payload, callerIdentity }) => `hello ${payload}, ${callerIdentity}`);
    const answer = await ada.room.localParticipant.performRpc({ destinationIdentity: bob.identity, method: 'greet', payload: 'from ada' });
    expect(answer).to.equal(`hello from ada, ${ada.identity}`);
  });

  it('carries a text stream from sendText (header, chunks and trailer are data packets)', async () => {
    const { visitors } = await visitorsInOneRoom([{}, {}]);
    const [ada, bob] = visitors as [Visitor, Visitor];
    const streamed: Array<{ text: string; from: string }> = [];
    bob.room.registerTextStreamHandler(TOPIC, async (reader, participant) => {
      streamed.push({ text: await reader.readAll(), from: participant.identity });
    });
    // Long enough for more than one chunk (livekit-client cuts streams at 15 000 bytes).
    const text = 'The avatar says: '.padEnd(40_000, 'lorem ipsum ');
    await ada.room.localParticipant.sendText(text, { topic: TOPIC });
    const [received] = await waitFor(() => streamed, (done) => done.length > 0, 10_000, 'the text stream');
    expect(received!.from).to.equal(ada.identity);
    expect(received!.text).to.equal(text);
  });

  it('relays both ways with a visitor in the older two-peer-connection mode, and from the avatar', async () => {
    const { session, visitors } = await visitorsInOneRoom([{ singlePeerConnection: false }, {}], { avatar: { joinDelayMs: 0 } });
    const [dual, single] = visitors as [Visitor, Visitor];
    await publish(single, 'to the subscriber connection');
    await receives(dual, 'to the subscriber connection');
    await publish(dual, 'from the publisher connection');
    await receives(single, 'from the publisher connection');
    await waitFor(() => dual.room.remoteParticipants.has(session.avatarIdentity), (known) => known, 10_000, 'the avatar');
    await sendAvatarData({ sessionId: session.sessionId, text: 'reliable caption for dual', topic: TOPIC });
    await receives(dual, 'reliable caption for dual');
    expect(dual.received.find((packet) => packet.text === 'reliable caption for dual')).to.include({ from: session.avatarIdentity });
  });
});
