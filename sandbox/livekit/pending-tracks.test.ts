import { AddTrackRequest, SimulcastCodec, TrackInfo, TrackType } from '@livekit/protocol';
import { describe, expect, it } from 'vitest';
import { PendingTracks } from './pending-tracks.js';

const track = (cid: string, type: TrackType, sid: string, codecCid?: string) => ({
  request: new AddTrackRequest({ cid, type, simulcastCodecs: codecCid ? [new SimulcastCodec({ codec: 'opus', cid: codecCid })] : [] }),
  info: new TrackInfo({ sid, type }),
});

describe('PendingTracks: an SDP track matched to an AddTrackRequest as the LiveKit server matches it', () => {
  it('by cid = msid track id first, even when an older track of the kind waits', () => {
    const pending = new PendingTracks();
    pending.add(track('old-mic', TrackType.AUDIO, 'TR_old'));
    pending.add(track('new-mic', TrackType.AUDIO, 'TR_new'));
    expect(pending.take('new-mic', 'audio')?.info.sid).toBe('TR_new');
    expect(pending.take('new-mic', 'audio')?.info.sid).toBe('TR_old');
    expect(pending.take('new-mic', 'audio')).toBeUndefined();
  });

  it("then by a simulcast codec's cid", () => {
    const pending = new PendingTracks();
    pending.add(track('a', TrackType.AUDIO, 'TR_a'));
    pending.add(track('b', TrackType.AUDIO, 'TR_b', 'sdp-b'));
    expect(pending.take('sdp-b', 'audio')?.info.sid).toBe('TR_b');
  });

  it('then the oldest pending track of the same kind (Firefox: the msid is not MediaStreamTrack.id)', () => {
    const pending = new PendingTracks();
    pending.add(track('{cam}', TrackType.VIDEO, 'TR_cam'));
    pending.add(track('{mic}', TrackType.AUDIO, 'TR_mic'));
    expect(pending.take('{other-id}', 'audio')?.info.sid).toBe('TR_mic');
    expect(pending.take('{other-id}', 'audio')).toBeUndefined();
    expect(pending.take('{yet-another}', 'video')?.info.sid).toBe('TR_cam');
  });

  it('finds a pending track by sid (a mute before the media arrives), and a repeated cid replaces the request', () => {
    const pending = new PendingTracks();
    pending.add(track('mic', TrackType.AUDIO, 'TR_1'));
    pending.add(track('mic', TrackType.AUDIO, 'TR_2'));
    expect(pending.bySid('TR_1')).toBeUndefined();
    expect(pending.bySid('TR_2')?.request.cid).toBe('mic');
  });
});
