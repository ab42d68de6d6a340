import { ConnectionQuality, ParticipantInfo_State, TrackInfo } from '@livekit/protocol';
import { describe, expect, it } from 'vitest';
import { ConnectionQualityTracker, qualityFor, receivesQuality } from './connection-quality.js';
import { PushSource } from './media-source.js';
import { RoomParticipant } from './participant.js';

function participant(identity: string): RoomParticipant {
  const joined = new RoomParticipant({ identity });
  joined.state = ParticipantInfo_State.ACTIVE;
  return joined;
}

function publish(owner: RoomParticipant, tracker: ConnectionQualityTracker, sid: string, at: number) {
  const source = new PushSource('video');
  const track = { info: new TrackInfo({ sid }), source };
  owner.tracks.set(sid, track);
  tracker.watch(track, at);
  return source;
}

const qualities = (infos: { participantSid: string; quality: ConnectionQuality }[] | undefined) =>
  infos && Object.fromEntries(infos.map((info) => [info.participantSid, info.quality]));

describe('connection quality, scored as the LiveKit server does', () => {
  it('reports everyone once, then nothing until a quality changes', () => {
    const tracker = new ConnectionQualityTracker();
    const visitor = participant('visitor');
    const avatar = participant('avatar');
    const t0 = Date.now();
    publish(avatar, tracker, 'TR_video', t0).push({ payload: new Uint8Array(1), timestamp: 0, marker: true });
    tracker.receiving(visitor.sid, 'TR_video', true);
    expect(qualities(tracker.update([visitor, avatar], t0))).toEqual({ [visitor.sid]: ConnectionQuality.EXCELLENT, [avatar.sid]: ConnectionQuality.EXCELLENT });
    expect(tracker.update([visitor, avatar], t0 + 1000)).toBeUndefined();
    tracker.setFault(visitor.sid, ConnectionQuality.GOOD);
    expect(qualities(tracker.update([visitor, avatar], t0 + 1500))?.[visitor.sid]).toBe(ConnectionQuality.GOOD);
  });

  it('scores a publisher whose unmuted track stopped lost, and who receives it poor; a muted track is not scored', () => {
    const tracker = new ConnectionQualityTracker();
    const visitor = participant('visitor');
    const avatar = participant('avatar');
    const bystander = participant('bystander');
    const t0 = Date.now();
    publish(avatar, tracker, 'TR_video', t0);
    tracker.receiving(visitor.sid, 'TR_video', true);
    expect(qualities(tracker.update([visitor, avatar, bystander], t0 + 3000))).toEqual({
      [visitor.sid]: ConnectionQuality.POOR,
      [avatar.sid]: ConnectionQuality.LOST,
      [bystander.sid]: ConnectionQuality.EXCELLENT,
    });
    expect(tracker.sources(visitor.sid, [visitor, avatar, bystander])).toEqual(new Set([avatar.sid]));
    avatar.tracks.get('TR_video')!.info.muted = true;
    expect(qualities(tracker.update([visitor, avatar, bystander], t0 + 3000))?.[avatar.sid]).toBe(ConnectionQuality.EXCELLENT);
  });

  it('leaves out participants not yet active, and sends LOST as POOR to clients before protocol 11', () => {
    const tracker = new ConnectionQualityTracker();
    const joining = new RoomParticipant({ identity: 'joining' });
    expect(tracker.update([joining])).toBeUndefined();
    expect(qualityFor(10, ConnectionQuality.LOST)).toBe(ConnectionQuality.POOR);
    expect(qualityFor(16, ConnectionQuality.LOST)).toBe(ConnectionQuality.LOST);
    expect([receivesQuality(4), receivesQuality(5)]).toEqual([false, true]);
  });
});
