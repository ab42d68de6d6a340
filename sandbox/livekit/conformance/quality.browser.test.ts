/**
 * Conformance: connection quality, as livekit-client hears it from a LiveKit server (a
 * `connectionQuality` signal on each change; the sandbox's tests score every second, the real
 * server every 5 s): its own link, and the avatar's whose media it receives.
 */
import { expect } from 'chai';
import { ConnectionQuality, RoomEvent, type Participant } from 'livekit-client';
import { act } from '../../testing/sandbox-commands.js';
import { avatarOf, avatarTrack, disconnectAll, joinSession, type Joined } from './helpers.js';

/** Resolves once `participant`'s quality, as the client knows it, is `quality`. */
function qualityOf(joined: Joined, participant: () => Participant | undefined, quality: ConnectionQuality, timeoutMs = 8000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (participant()?.connectionQuality !== quality) return;
      clearTimeout(timer);
      joined.room.off(RoomEvent.ConnectionQualityChanged, check);
      resolve();
    };
    const timer = setTimeout(() => {
      joined.room.off(RoomEvent.ConnectionQualityChanged, check);
      reject(new Error(`quality never became ${quality} (is ${participant()?.connectionQuality})`));
    }, timeoutMs);
    joined.room.on(RoomEvent.ConnectionQualityChanged, check);
    check();
  });
}

describe('livekit-client against the sandbox: connection quality', () => {
  afterEach(disconnectAll);

  it("reports the visitor's own link and the avatar's as excellent, then poor while the link is weak, and excellent again", async () => {
    const joined = await joinSession({ scenario: { avatar: { joinDelayMs: 0 } } });
    const avatar = await avatarOf(joined);
    await avatarTrack(joined, 'video');
    const local = () => joined.room.localParticipant;
    await qualityOf(joined, local, ConnectionQuality.Excellent);
    await qualityOf(joined, () => avatar, ConnectionQuality.Excellent);
    await act(joined.sessionId, { type: 'network', quality: 'poor' });
    await qualityOf(joined, local, ConnectionQuality.Poor);
    // Only the visitor's link is weak: the avatar's stays as it was.
    expect(avatar.connectionQuality).to.equal(ConnectionQuality.Excellent);
    await act(joined.sessionId, { type: 'network', quality: 'excellent' });
    await qualityOf(joined, local, ConnectionQuality.Excellent);
  });

  it("ends a weak link by itself after the fault's ms", async () => {
    const joined = await joinSession({ scenario: { avatar: { joinDelayMs: 0 } } });
    await avatarTrack(joined, 'video');
    const local = () => joined.room.localParticipant;
    await qualityOf(joined, local, ConnectionQuality.Excellent);
    await act(joined.sessionId, { type: 'network', quality: 'good', ms: 1500 });
    await qualityOf(joined, local, ConnectionQuality.Good);
    await qualityOf(joined, local, ConnectionQuality.Excellent);
  });

  it("scores the avatar lost and the visitor who receives it poor while the avatar's media stops, and both excellent once it flows", async () => {
    const joined = await joinSession({ scenario: { avatar: { joinDelayMs: 0 } } });
    const avatar = await avatarOf(joined);
    await avatarTrack(joined, 'video');
    const local = () => joined.room.localParticipant;
    await qualityOf(joined, local, ConnectionQuality.Excellent);
    await act(joined.sessionId, { type: 'interrupt-media', ms: 5000 });
    await qualityOf(joined, () => avatar, ConnectionQuality.Lost);
    expect(local().connectionQuality).to.equal(ConnectionQuality.Poor);
    await qualityOf(joined, () => avatar, ConnectionQuality.Excellent, 10_000);
    await qualityOf(joined, local, ConnectionQuality.Excellent);
  });
});
