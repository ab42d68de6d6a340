/**
 * Conformance: connecting and receiving the avatar. This suite is the gate for upgrading
 * livekit-client: it runs the exact version the widget bundles against the sandbox.
 */
import { expect } from 'chai';
import { ParticipantKind, RoomEvent } from 'livekit-client';
import { roomReport, waitFor } from '../../testing/sandbox-commands.js';
import { avatarOf, avatarTrack, disconnectAll, inboundStats, joinSession, renderFrames, waitForEvent } from './helpers.js';

describe('livekit-client against the sandbox: connect and subscribe', () => {
  afterEach(disconnectAll);

  it('connects with a token from Equos and sees the server as a LiveKit server', async () => {
    const joined = await joinSession();
    expect(joined.room.state).to.equal('connected');
    expect(joined.room.name).to.equal(joined.sessionId);
    expect(joined.room.localParticipant.sid).to.match(/^PA_/);
    expect(joined.room.serverInfo?.version).to.be.a('string').and.not.equal('');
    const report = await roomReport(joined.sessionId);
    expect(report?.participants.map((participant) => participant.identity)).to.include(joined.room.localParticipant.identity);
  });

  it('subscribes to the avatar joining after the visitor, and renders its 640×360 video', async () => {
    const joined = await joinSession({ scenario: { avatar: { joinDelayMs: 1500 } } });
    const avatar = await avatarOf(joined);
    expect(avatar.kind).to.equal(ParticipantKind.AGENT);
    const video = await renderFrames(await avatarTrack(joined, 'video'), 15);
    expect([video.videoWidth, video.videoHeight]).to.deep.equal([640, 360]);
    await waitForEvent(joined.events, 'TrackSubscribed:audio');
    expect(joined.events.filter((event) => event === 'Reconnecting')).to.deep.equal([]);
  });

  it('subscribes to an avatar that was already in the room, in the very first answer', async () => {
    const joined = await joinSession({ scenario: { avatar: { joinDelayMs: 0 } } });
    // Present in the join response: no ParticipantConnected, tracks bound in the first answer.
    expect(joined.room.remoteParticipants.has(joined.avatarIdentity)).to.equal(true);
    await renderFrames(await avatarTrack(joined, 'video'), 10);
    expect(joined.events).to.not.include('ParticipantConnected:' + joined.avatarIdentity);
  });

  it("plays the avatar's greeting: Opus packets with sound in them", async () => {
    const joined = await joinSession({ scenario: { avatar: { joinDelayMs: 0 } } });
    const audio = await avatarTrack(joined, 'audio');
    const element = audio.attach();
    document.body.append(element);
    const stats = await waitFor(() => inboundStats(audio), (value) => (value.audioLevel ?? 0) > 0.01, 10_000, 'audible greeting');
    expect(stats.packetsReceived).to.be.greaterThan(20);
  });

  it("shows the avatar speaking through LiveKit's active speakers", async () => {
    const joined = await joinSession({ scenario: { avatar: { joinDelayMs: 0 } } });
    const speakers: string[][] = [];
    joined.room.on(RoomEvent.ActiveSpeakersChanged, (active) => speakers.push(active.map((participant) => participant.identity)));
    const avatar = await avatarOf(joined);
    await waitFor(() => avatar.isSpeaking, (speaking) => speaking, 10_000, 'the avatar to speak');
    expect(speakers.some((active) => active.includes(joined.avatarIdentity))).to.equal(true);
    expect(avatar.attributes['lk.agent.state']).to.equal('speaking');
  });

  it('connects in the older two-peer-connection mode too', async () => {
    const joined = await joinSession({ roomOptions: { singlePeerConnection: false }, scenario: { avatar: { joinDelayMs: 500 } } });
    await renderFrames(await avatarTrack(joined, 'video'), 10);
    await joined.room.localParticipant.setMicrophoneEnabled(true);
    const report = await waitFor(
      () => roomReport(joined.sessionId),
      (room) => (room?.participants.find((p) => p.identity === joined.room.localParticipant.identity)?.tracks[0]?.packets ?? 0) > 20,
      10_000,
      'mic packets at the server (two connections)',
    );
    expect(report).to.not.equal(null);
  });
});
