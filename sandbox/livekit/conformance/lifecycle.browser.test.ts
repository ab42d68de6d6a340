/** Conformance: losing and resuming the connection, and every way a session ends. */
import { expect } from 'chai';
import { ConnectionError, DisconnectReason, Room } from 'livekit-client';
import { act, createSession, mintToken, roomReport, stopSession, waitFor } from '../../testing/sandbox-commands.js';
import { avatarTrack, countFrames, disconnectAll, joinSession, recordEvents, renderFrames, waitForEvent } from './helpers.js';

describe('livekit-client against the sandbox: connection lifecycle', () => {
  afterEach(disconnectAll);

  it('resumes after the signalling socket drops, and the avatar keeps playing', async () => {
    const joined = await joinSession({ scenario: { avatar: { joinDelayMs: 0 } } });
    const video = await renderFrames(await avatarTrack(joined, 'video'), 5);
    await act(joined.sessionId, { type: 'drop-signal' });
    await waitForEvent(joined.events, 'Reconnected', 20_000);
    expect(joined.events.some((event) => event === 'Reconnecting' || event === 'SignalReconnecting')).to.equal(true);
    expect(joined.room.state).to.equal('connected');
    await countFrames(video, 15);
  });

  it('reconnects from scratch when the server asks, and media resumes', async () => {
    const joined = await joinSession({ scenario: { avatar: { joinDelayMs: 0 } } });
    await avatarTrack(joined, 'video');
    await act(joined.sessionId, { type: 'request-reconnect' });
    await waitForEvent(joined.events, 'Reconnected', 20_000);
    await renderFrames(await avatarTrack(joined, 'video'), 10);
  });

  it('ends with ROOM_DELETED when the session is stopped', async () => {
    const joined = await joinSession();
    await stopSession(joined.sessionId);
    await waitForEvent(joined.events, `Disconnected:${DisconnectReason.ROOM_DELETED}`);
  });

  it('ends with ROOM_DELETED when the server ends the room on its own', async () => {
    const joined = await joinSession();
    await act(joined.sessionId, { type: 'end-room' });
    await waitForEvent(joined.events, `Disconnected:${DisconnectReason.ROOM_DELETED}`);
  });

  it('survives a media interruption: frames stop, then resume without a reconnect', async () => {
    const joined = await joinSession({ scenario: { avatar: { joinDelayMs: 0 } } });
    const video = await renderFrames(await avatarTrack(joined, 'video'), 5);
    await act(joined.sessionId, { type: 'interrupt-media', ms: 2000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stalled = await countFrames(video, 3, 1000).then(
      () => false,
      () => true,
    );
    expect(stalled).to.equal(true);
    await countFrames(video, 15, 5000);
    expect(joined.events).to.not.include('Reconnecting');
  });

  it('lets a session run without an avatar when it never joins', async () => {
    const joined = await joinSession({ scenario: { avatar: { never: true } } });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(joined.room.remoteParticipants.size).to.equal(0);
    expect(joined.room.state).to.equal('connected');
  });

  it('ends with PARTICIPANT_REMOVED when the visitor is removed', async () => {
    const joined = await joinSession();
    await act(joined.sessionId, { type: 'remove-visitor' });
    await waitForEvent(joined.events, `Disconnected:${DisconnectReason.PARTICIPANT_REMOVED}`);
  });

  it('ends the older connection with DUPLICATE_IDENTITY when the same visitor joins twice', async () => {
    const session = await createSession();
    const first = new Room();
    const firstEvents = recordEvents(first);
    await first.connect(session.serverUrl, session.token);
    const second = new Room();
    await second.connect(session.serverUrl, session.token);
    await waitForEvent(firstEvents, `Disconnected:${DisconnectReason.DUPLICATE_IDENTITY}`);
    expect(second.state).to.equal('connected');
    await second.disconnect();
  });

  it('keeps the room when the avatar leaves, and says so', async () => {
    const joined = await joinSession({ scenario: { avatar: { joinDelayMs: 0, leaveAfterMs: 2500 } } });
    await avatarTrack(joined, 'video');
    await waitForEvent(joined.events, `ParticipantDisconnected:${joined.avatarIdentity}`);
    expect(joined.events.filter((event) => event.startsWith('TrackUnsubscribed'))).to.have.length(2);
    expect(joined.room.state).to.equal('connected');
  });

  it('refuses a forged or expired token with the NotAllowed error of a real server', async () => {
    const session = await createSession();
    for (const options of [{ wrongSecret: true }, { expired: true }]) {
      const { token } = await mintToken({ room: session.sessionId, identity: 'intruder', ...options });
      const error = await new Room().connect(session.serverUrl, token).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(ConnectionError);
      expect((error as ConnectionError).status).to.equal(401);
    }
  });

  it('removes the visitor from the room when it disconnects', async () => {
    const joined = await joinSession();
    const identity = joined.room.localParticipant.identity;
    await joined.room.disconnect();
    await waitFor(() => roomReport(joined.sessionId), (room) => !room?.participants.some((p) => p.identity === identity), 5_000, 'visitor gone');
  });
});
