/**
 * The local sandbox as a whole, in Node: sessions open rooms, the demo avatar joins and
 * publishes, hears a visitor and answers, faults and the control API work, and stopping a
 * session ends its room.
 */
import { ParticipantInfo_State, TrackInfo, TrackSource, TrackType } from '@livekit/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomReport } from './control/room-report.js';
import { startLocalSandbox, type LocalSandbox } from './index.js';
import { PushSource } from './livekit/media-source.js';
import { equosHttp } from './testing/equos-http.js';
import { RoomParticipant } from './livekit/participant.js';

let sandbox: LocalSandbox;
beforeAll(async () => {
  sandbox = await startLocalSandbox({ defaultScenario: { avatar: { joinDelayMs: 0 } } });
});
afterAll(() => sandbox.close());

const equos = () => equosHttp(sandbox.equos);
const create = (maxDuration?: number) =>
  equos().create({
    name: 'test',
    avatar: { id: 'sandbox-avatar' },
    consumerIdentity: { identity: 'visitor-1', name: 'Ada' },
    ...(maxDuration ? { maxDuration } : {}),
  });
const control = (path: string, init?: RequestInit) => fetch(`${sandbox.equos.endpoint}/__sandbox${path}`, init);
const report = async (sessionId: string): Promise<RoomReport | null> => {
  const response = await control(`/rooms/${sessionId}`);
  return response.status === 200 ? ((await response.json()) as RoomReport) : null;
};

describe('local sandbox', () => {
  it('opens a room per session on the LiveKit URL it returns, where the avatar publishes camera and microphone', async () => {
    const { session } = await create();
    expect(session.host.serverUrl).toBe(sandbox.livekit.url);
    await expect.poll(async () => (await report(session.id))?.participants.length, { timeout: 3000 }).toBe(1);
    const avatar = (await report(session.id))!.participants[0]!;
    expect(avatar).toMatchObject({ identity: session.avatar.identity, kind: 'AGENT', state: 'ACTIVE' });
    expect(avatar.tracks.map((track) => track.source).sort()).toEqual(['CAMERA', 'MICROPHONE']);
    await expect.poll(async () => (await report(session.id))!.participants[0]!.tracks.every((track) => track.packets > 10), { timeout: 3000 }).toBe(true);
  });

  it('ends the room when the session is stopped, and when its maximum duration passes', async () => {
    const stopped = (await create()).session;
    await expect.poll(() => report(stopped.id)).not.toBeNull();
    await equos().stop(stopped.id);
    expect(await report(stopped.id)).toBeNull();
    expect(sandbox.avatars.has(stopped.id)).toBe(false);

    const timed = (await create(1)).session;
    await expect.poll(() => report(timed.id)).not.toBeNull();
    await expect.poll(() => report(timed.id), { timeout: 3000 }).toBeNull();
  });

  it('follows queued scenarios: an avatar that joins late, never, or leaves', async () => {
    const plan = (avatar: object) => control('/scenarios', { method: 'POST', body: JSON.stringify({ avatar }) });
    expect((await plan({ joinDelayMs: 600 })).status).toBe(201);
    expect((await plan({ never: true })).status).toBe(201);
    expect((await plan({ joinDelayMs: 0, leaveAfterMs: 300 })).status).toBe(201);
    const late = (await create()).session;
    const never = (await create()).session;
    const leaving = (await create()).session;

    expect((await report(late.id))!.participants).toHaveLength(0);
    await expect.poll(async () => (await report(late.id))!.participants.length, { timeout: 3000 }).toBe(1);
    await expect.poll(async () => (await report(leaving.id))!.participants.length, { timeout: 3000 }).toBe(0);
    expect((await report(never.id))!.participants).toHaveLength(0);
    expect((await plan({ joinDelayMs: -1 })).status).toBe(400);
  });

  it('brings back an avatar that left, as LiveKit shows a rejoin: a new participant sid, the same identity, its tracks published anew', async () => {
    const plan = (avatar: object) => control('/scenarios', { method: 'POST', body: JSON.stringify({ avatar }) });
    expect((await plan({ joinDelayMs: 0, returnAfterMs: 100 })).status).toBe(400);
    expect((await plan({ joinDelayMs: 0, leaveAfterMs: 300, returnAfterMs: 300 })).status).toBe(201);
    const { session } = await create();
    await expect.poll(async () => (await report(session.id))?.participants.length, { timeout: 3000 }).toBe(1);
    const first = (await report(session.id))!.participants[0]!;
    await expect.poll(async () => (await report(session.id))!.participants.length, { timeout: 3000 }).toBe(0);
    await expect.poll(async () => (await report(session.id))!.participants.length, { timeout: 3000 }).toBe(1);
    const back = (await report(session.id))!.participants[0]!;
    expect(back).toMatchObject({ identity: first.identity, kind: 'AGENT', state: 'ACTIVE' });
    expect(back.sid).not.toBe(first.sid);
    expect(back.tracks.map((track) => track.source).sort()).toEqual(['CAMERA', 'MICROPHONE']);
    expect(back.tracks.map((track) => track.sid)).not.toEqual(expect.arrayContaining(first.tracks.map((track) => track.sid)));
    await expect.poll(async () => (await report(session.id))!.participants[0]!.tracks.every((track) => track.packets > 10), { timeout: 3000 }).toBe(true);
    expect(sandbox.avatars.get(session.id)!.participant.sid).toBe(back.sid);
    // It comes back once: it stays.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await report(session.id))!.participants).toHaveLength(1);
    await equos().stop(session.id);
  });

  it('applies actions to a live room over the control API', async () => {
    const { session } = await create();
    await expect.poll(async () => (await report(session.id))?.participants.length).toBe(1);
    const act = (body: object) => control(`/rooms/${session.id}/actions`, { method: 'POST', body: JSON.stringify(body) });

    expect((await act({ type: 'interrupt-media', ms: 400 })).status).toBe(204);
    const packets = async () => (await report(session.id))!.participants[0]!.tracks.reduce((sum, track) => sum + track.packets, 0);
    const before = await packets();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await packets()).toBe(before);
    await expect.poll(packets, { timeout: 2000 }).toBeGreaterThan(before);

    expect((await act({ type: 'explode' })).status).toBe(400);
    expect((await control('/rooms/ses_none/actions', { method: 'POST', body: '{"type":"end-room"}' })).status).toBe(404);
    expect((await act({ type: 'end-room' })).status).toBe(204);
    expect(await report(session.id)).toBeNull();
  });

  it('has an avatar that listens to a visitor and answers with what it heard', async () => {
    const { session } = await create();
    await expect.poll(() => sandbox.avatars.get(session.id)).toBeDefined();
    const avatar = sandbox.avatars.get(session.id)!;
    const room = sandbox.livekit.rooms.get(session.id)!;

    const visitor = new RoomParticipant({ identity: 'visitor-1' });
    room.join(visitor);
    visitor.state = ParticipantInfo_State.ACTIVE;
    room.changed(visitor);
    const mic = new PushSource('audio');
    room.publish(visitor, {
      info: new TrackInfo({ sid: 'TR_visitor', type: TrackType.AUDIO, source: TrackSource.MICROPHONE }),
      source: mic,
    });
    // As a client's connection does: receiving the avatar's voice is what lets the greeting start.
    const voice = [...avatar.participant.tracks.values()].find((track) => track.info.type === TrackType.AUDIO)!;
    room.markSubscribed(visitor, voice.info.sid);
    await expect.poll(() => avatar.state.name, { timeout: 15_000 }).toBe('idle'); // greeting over

    const speak = (loud: boolean, ms: number) =>
      new Promise<void>((resolve) => {
        let elapsed = 0;
        const timer = setInterval(() => {
          mic.push({ payload: new Uint8Array(60).fill(loud ? 7 : 1), timestamp: elapsed * 48, marker: false, audioLevel: loud ? 20 : 127 });
          elapsed += 20;
          if (elapsed >= ms) {
            clearInterval(timer);
            resolve();
          }
        }, 20);
      });
    await speak(true, 1000);
    expect(avatar.state.name).toBe('listening');
    await speak(false, 1500);
    await expect.poll(() => avatar.state, { timeout: 3000 }).toMatchObject({ name: 'speaking' });
    expect(avatar.heardPackets).toBeGreaterThan(100);
    expect(room.bySid(avatar.participant.sid)?.attributes['lk.agent.state']).toBe('speaking');
  });
});
