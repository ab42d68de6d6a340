/** Conformance: the visitor's microphone, as the server sees it. */
import { expect } from 'chai';
import { Track } from 'livekit-client';
import { roomReport, waitFor } from '../../testing/sandbox-commands.js';
import type { ParticipantReport } from '../../control/room-report.js';
import { avatarOf, disconnectAll, joinSession, waitForEvent, type Joined } from './helpers.js';

function visitorIn(joined: Joined) {
  return async (): Promise<ParticipantReport | undefined> =>
    (await roomReport(joined.sessionId))?.participants.find((participant) => participant.identity === joined.room.localParticipant.identity);
}

describe('livekit-client against the sandbox: publishing the microphone', () => {
  afterEach(disconnectAll);

  it('publishes the mic; the server counts its packets and the avatar subscribes to it', async () => {
    const joined = await joinSession({ scenario: { avatar: { joinDelayMs: 0 } } });
    await avatarOf(joined);
    await joined.room.localParticipant.setMicrophoneEnabled(true);
    const publication = joined.room.localParticipant.getTrackPublication(Track.Source.Microphone);
    expect(publication?.trackSid).to.match(/^TR_/);

    const visitor = await waitFor(visitorIn(joined), (found) => (found?.tracks[0]?.packets ?? 0) > 50, 10_000, 'mic packets at the server');
    expect(visitor?.tracks[0]).to.include({ kind: 'audio', source: 'MICROPHONE', muted: false, sid: publication?.trackSid });
    await waitForEvent(joined.events, 'LocalTrackSubscribed:audio');
  });

  it('mutes and unmutes: the server sees both, and packets flow again after unmuting', async () => {
    const joined = await joinSession({ scenario: { avatar: { joinDelayMs: 0 } } });
    await joined.room.localParticipant.setMicrophoneEnabled(true);
    await waitFor(visitorIn(joined), (found) => (found?.tracks[0]?.packets ?? 0) > 10, 10_000, 'mic packets');

    await joined.room.localParticipant.setMicrophoneEnabled(false);
    await waitFor(visitorIn(joined), (found) => found?.tracks[0]?.muted === true, 5_000, 'muted at the server');

    await joined.room.localParticipant.setMicrophoneEnabled(true);
    const unmuted = await waitFor(visitorIn(joined), (found) => found?.tracks[0]?.muted === false, 5_000, 'unmuted at the server');
    const before = unmuted!.tracks[0]!.packets;
    await waitFor(visitorIn(joined), (found) => (found?.tracks[0]?.packets ?? 0) > before + 25, 5_000, 'packets after unmute');
  });

  it('reacts to the visitor: after the visitor speaks and pauses, the avatar answers', async () => {
    const joined = await joinSession({ scenario: { avatar: { joinDelayMs: 0 } } });
    const avatar = await avatarOf(joined);
    // Let the greeting finish first: the avatar does not listen while it speaks.
    await waitFor(() => avatar.attributes['lk.agent.state'], (state) => state === 'listening', 20_000, 'greeting to end');
    await joined.room.localParticipant.setMicrophoneEnabled(true); // Chromium's fake microphone beeps
    await waitFor(() => avatar.attributes['lk.agent.state'], (state) => state === 'speaking', 20_000, 'the avatar to answer');
  });
});
