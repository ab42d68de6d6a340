/**
 * The LiveKit-protocol server at the message level, with a raw WebSocket client speaking the
 * real protobufs (the browser suites cover the full WebRTC path with livekit-client itself).
 */
import {
  ClientInfo,
  ConnectionSettings,
  DisconnectReason,
  JoinRequest,
  LeaveRequest_Action,
  ParticipantInfo_State,
  Ping,
  SignalRequest,
  SignalResponse,
  WrappedJoinRequest,
  WrappedJoinRequest_Compression,
} from '@livekit/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { mintLiveKitToken } from '../equos-api/livekit-token.js';
import { createWeriftTransportFactory } from './rtc/werift-transport.js';
import { startLiveKitServer, type RunningLiveKitServer } from './server.js';

const credentials = { apiKey: 'APItest', apiSecret: 'test-secret-0123456789abcdef0123456789' };
let server: RunningLiveKitServer;
beforeAll(async () => {
  server = await startLiveKitServer({ credentials, createTransport: createWeriftTransportFactory() });
});
afterAll(() => server.close());

const token = (identity: string, room = 'room-1') => mintLiveKitToken({ url: server.url, ...credentials }, { identity, name: identity, room });

function joinUrl(accessToken: string, request: Partial<JoinRequest> = {}): string {
  const join = new JoinRequest({
    clientInfo: new ClientInfo({ protocol: 17 }),
    connectionSettings: new ConnectionSettings({ autoSubscribe: true }),
    ...request,
  });
  const wrapped = new WrappedJoinRequest({ compression: WrappedJoinRequest_Compression.NONE, joinRequest: join.toBinary() });
  return `${server.url}/rtc/v1?access_token=${accessToken}&join_request=${Buffer.from(wrapped.toBinary()).toString('base64url')}`;
}

/** A signalling client that collects every response (sending `headers` on the upgrade, as LiveKit's Node SDK does). */
async function connect(url: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, { headers });
  const received: SignalResponse[] = [];
  socket.on('message', (data: Buffer) => received.push(SignalResponse.fromBinary(new Uint8Array(data))));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const next = async (kind: string, timeoutMs = 3000): Promise<SignalResponse> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = received.find((response) => response.message.case === kind);
      if (found) {
        received.splice(received.indexOf(found), 1);
        return found;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no ${kind} within ${timeoutMs} ms; got ${received.map((response) => response.message.case).join(', ')}`);
  };
  const send = (message: SignalRequest['message']) => socket.send(new SignalRequest({ message }).toBinary());
  return { socket, received, next, send };
}

/** The join URL without the token in it: what a client sending `Authorization: Bearer` uses. */
const joinUrlWithoutToken = async (request: Partial<JoinRequest> = {}) => joinUrl('', request).replace('access_token=&', '');

describe('the token, where the LiveKit server reads it', () => {
  it('is taken from Authorization: Bearer (LiveKit Node SDK) on /rtc/v1 and on /rtc/v1/validate, before any query token', async () => {
    const bearer = { authorization: `Bearer ${await token('node-sdk')}` };
    const client = await connect(await joinUrlWithoutToken(), bearer);
    const join = (await client.next('join')).message;
    expect(join.case === 'join' && join.value.participant?.identity).toBe('node-sdk');
    client.socket.close();

    // Clients validate with the same query as the join, on the same path plus /validate.
    const validateUrl = (await joinUrlWithoutToken()).replace('ws:', 'http:').replace('/rtc/v1?', '/rtc/v1/validate?');
    const validate = await fetch(validateUrl, { headers: bearer });
    expect([validate.status, await validate.text()]).toEqual([200, 'success']);
    // The header wins over a (bad) query token, as on the real server.
    const both = await fetch(`${server.url.replace('ws:', 'http:')}/rtc/validate?access_token=garbage`, { headers: bearer });
    expect(both.status).toBe(200);
  });

  it('refuses an Authorization header that is not Bearer, and a bad Bearer token, with 401', async () => {
    const validate = (headers: Record<string, string>) => fetch(`${server.url.replace('ws:', 'http:')}/rtc/validate?access_token=${'x'}`, { headers });
    const basic = await validate({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` });
    expect([basic.status, await basic.text()]).toEqual([401, 'invalid authorization header. Must start with Bearer ']);
    expect((await validate({ authorization: 'Bearer not.a.jwt' })).status).toBe(401);
    await expect(connect(await joinUrlWithoutToken(), { authorization: 'Token abc' })).rejects.toThrow(/401/);
  });
});

describe('LiveKit-protocol server', () => {
  it('answers a join with what livekit-client requires', async () => {
    const client = await connect(joinUrl(await token('alice')));
    const join = (await client.next('join')).message;
    if (join.case !== 'join') throw new Error('expected join');
    const response = join.value;
    expect(response.serverInfo?.version).toBeTruthy();
    expect(response.serverVersion).toBeTruthy();
    expect(response.participant).toMatchObject({ identity: 'alice', state: ParticipantInfo_State.JOINED });
    expect(response.participant?.sid).toMatch(/^PA_/);
    expect(response.room).toMatchObject({ name: 'room-1' });
    expect(response.room?.sid).toMatch(/^RM_/);
    expect(response.pingInterval).toBeGreaterThan(0);
    expect(response.pingTimeout).toBeGreaterThan(response.pingInterval);
    expect(response.subscriberPrimary).toBe(false);
    client.socket.close();
  });

  it('answers both pings: the legacy one and pingReq with its timestamp', async () => {
    const client = await connect(joinUrl(await token('pinger')));
    await client.next('join');
    client.send({ case: 'ping', value: 123n });
    client.send({ case: 'pingReq', value: new Ping({ timestamp: 456n, rtt: 0n }) });
    expect((await client.next('pong')).message.value).toBeTypeOf('bigint');
    const pong = (await client.next('pongResp')).message;
    expect(pong.case === 'pongResp' && pong.value.lastPingTimestamp).toBe(456n);
    client.socket.close();
  });

  it('tells others when a participant joins and leaves, with the reason', async () => {
    const first = await connect(joinUrl(await token('first', 'room-2')));
    await first.next('join');
    const second = await connect(joinUrl(await token('second', 'room-2')));
    const join = (await second.next('join')).message;
    expect(join.case === 'join' && join.value.otherParticipants.map((participant) => participant.identity)).toEqual(['first']);
    const joined = (await first.next('update')).message;
    expect(joined.case === 'update' && joined.value.participants[0]?.identity).toBe('second');

    second.send({ case: 'leave', value: {} as never });
    const left = await waitForUpdate(first, (info) => info.identity === 'second' && info.state === ParticipantInfo_State.DISCONNECTED);
    expect(left.disconnectReason).toBe(DisconnectReason.CLIENT_INITIATED);
    first.socket.close();
  });

  it('ends every session with ROOM_DELETED when the room ends', async () => {
    const client = await connect(joinUrl(await token('bob', 'room-3')));
    await client.next('join');
    const closed = new Promise((resolve) => client.socket.once('close', resolve));
    server.rooms.end('room-3', DisconnectReason.ROOM_DELETED);
    const leave = (await client.next('leave')).message;
    expect(leave.case === 'leave' && leave.value).toMatchObject({ reason: DisconnectReason.ROOM_DELETED, action: LeaveRequest_Action.DISCONNECT });
    await closed;
  });

  it('asks for a full reconnect when a resume names no live session', async () => {
    const client = await connect(joinUrl(await token('ghost'), { reconnect: true, participantSid: 'PA_unknown' }));
    const leave = (await client.next('leave')).message;
    expect(leave.case === 'leave' && leave.value.action).toBe(LeaveRequest_Action.RECONNECT);
  });

  it('refuses bad tokens at the upgrade and explains why on /rtc/validate', async () => {
    const forged = await mintLiveKitToken({ url: '', apiKey: credentials.apiKey, apiSecret: 'wrong-secret-0123456789abcdef0' }, {
      identity: 'x',
      name: 'x',
      room: 'r',
    });
    const socket = new WebSocket(joinUrl(forged));
    const status = await new Promise<number>((resolve) => socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)));
    expect(status).toBe(401);

    const validateUrl = joinUrl(forged).replace('ws://', 'http://').replace('/rtc/v1?', '/rtc/v1/validate?');
    const validation = await fetch(validateUrl);
    expect(validation.status).toBe(401);
    expect(await validation.text()).toMatch(/signature/);
    expect(validation.headers.get('access-control-allow-origin')).toBe('*');

    const good = await fetch(joinUrl(await token('ok')).replace('ws://', 'http://').replace('/rtc/v1?', '/rtc/v1/validate?'));
    expect([good.status, await good.text()]).toEqual([200, 'success']);
  });

  it('keeps a participant whose socket dropped for the resume grace, then removes it', async () => {
    const short = await startLiveKitServer({ credentials, createTransport: createWeriftTransportFactory(), settings: { resumeGraceMs: 300 } });
    try {
      const url = (identity: string) =>
        mintLiveKitToken({ url: short.url, ...credentials }, { identity, name: identity, room: 'grace' }).then((accessToken) =>
          joinUrl(accessToken).replace(server.url, short.url),
        );
      const watcher = await connect(await url('watcher'));
      await watcher.next('join');
      const dropper = await connect(await url('dropper'));
      await dropper.next('join');
      dropper.socket.terminate();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(short.rooms.get('grace')?.active().map((participant) => participant.identity)).toContain('dropper');
      const left = await waitForUpdate(watcher, (info) => info.identity === 'dropper' && info.state === ParticipantInfo_State.DISCONNECTED);
      expect(left.disconnectReason).toBe(DisconnectReason.SIGNAL_CLOSE);
      watcher.socket.close();
    } finally {
      await short.close();
    }
  });

  it('tells everyone SERVER_SHUTDOWN when it stops', async () => {
    const own = await startLiveKitServer({ credentials, createTransport: createWeriftTransportFactory() });
    const accessToken = await mintLiveKitToken({ url: own.url, ...credentials }, { identity: 'z', name: 'z', room: 'bye' });
    const client = await connect(joinUrl(accessToken).replace(server.url, own.url));
    await client.next('join');
    await own.close();
    const leave = (await client.next('leave')).message;
    expect(leave.case === 'leave' && leave.value.reason).toBe(DisconnectReason.SERVER_SHUTDOWN);
  });
});

async function waitForUpdate(client: Awaited<ReturnType<typeof connect>>, accept: (info: { identity: string; state: ParticipantInfo_State }) => boolean) {
  for (;;) {
    const update = (await client.next('update')).message;
    if (update.case !== 'update') continue;
    const match = update.value.participants.find(accept);
    if (match) return match;
  }
}
