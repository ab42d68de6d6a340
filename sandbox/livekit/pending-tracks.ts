/**
 * Tracks a client announced with AddTrackRequest and has not yet sent, and how a track found
 * in its SDP is matched to one of them, as the LiveKit server does
 * (livekit/livekit `pkg/rtc/participant.go` `getPendingTrack`, used by `populateSdpCid` when an
 * offer arrives and by `mediaTrackReceived` when its RTP does):
 *
 * 1. the AddTrack `cid` equals the SDP's track id (`a=msid:<stream> <track>`), as in Chrome;
 * 2. else a simulcast codec's `cid` equals it;
 * 3. else the first pending track of the same kind: "MediaStreamTrack can change client id
 *    when transceiver is added to peer connection". That is Firefox: livekit-client sends
 *    `MediaStreamTrack.id` as the cid, and Firefox writes a different id into the msid.
 *
 * The server iterates a Go map in step 3 (any pending track of the kind); here it is the
 * oldest, which is what a client publishing one track at a time sees either way.
 */
import { TrackType, type AddTrackRequest, type TrackInfo } from '@livekit/protocol';

/** A track announced by AddTrackRequest, answered with TrackPublishedResponse, not yet sent. */
export interface PendingTrack {
  request: AddTrackRequest;
  info: TrackInfo;
}

/** Pending tracks of one participant, in the order they were announced. */
export class PendingTracks {
  readonly #byCid = new Map<string, PendingTrack>();

  /** Records an announced track (a repeated cid replaces the earlier request). */
  add(track: PendingTrack): void {
    this.#byCid.delete(track.request.cid);
    this.#byCid.set(track.request.cid, track);
  }

  /** The pending track with server sid `sid`, if any. */
  bySid(sid: string): PendingTrack | undefined {
    return [...this.#byCid.values()].find((track) => track.info.sid === sid);
  }

  /**
   * Takes the pending track the client is sending on a media section (removing it), or
   * returns undefined when none matches.
   *
   * @param sdpTrackId the track id in the section's `a=msid`
   * @param kind the section's media kind
   */
  take(sdpTrackId: string, kind: 'audio' | 'video'): PendingTrack | undefined {
    const type = kind === 'audio' ? TrackType.AUDIO : TrackType.VIDEO;
    const tracks = [...this.#byCid.values()];
    const found =
      this.#byCid.get(sdpTrackId) ??
      tracks.find((track) => track.request.simulcastCodecs.some((codec) => codec.cid === sdpTrackId)) ??
      tracks.find((track) => track.request.type === type);
    if (found) this.#byCid.delete(found.request.cid);
    return found;
  }
}
