/**
 * The widget's real-time half, and its only importer of livekit-client: joins the session's
 * LiveKit room, finds the avatar by the identity Equos gave it, plays its video and voice,
 * publishes the visitor's microphone, and reports what happens as `RtcEvent`s.
 *
 * Part of the widget's second file (see ../live/live.ts).
 */
import {
  ConnectionQuality,
  DisconnectReason,
  LogLevel,
  Room,
  RoomEvent,
  setLogLevel,
  Track,
  type Participant,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
} from 'livekit-client';
import type { Quality } from '../call/link.js';
import { EQUOS_TOPIC, encodeMessage, parseAgentMessage, type PageMessage } from '../../../contract/equos/realtime.js';
import type { RtcAdapter, RtcConnectOptions, RtcEvent } from './rtc-adapter.js';

// livekit-client logs every step at `info`; a widget must stay quiet in its host's console.
setLogLevel(LogLevel.warn);

/** Reasons that mean the room was closed for us, not that the network failed. */
const CLOSED_BY_SERVER = new Set<DisconnectReason | undefined>([
  DisconnectReason.ROOM_DELETED,
  DisconnectReason.ROOM_CLOSED,
  DisconnectReason.PARTICIPANT_REMOVED,
  DisconnectReason.DUPLICATE_IDENTITY,
]);

/** LiveKit's qualities in the widget's words. */
const QUALITY: Record<ConnectionQuality, Quality> = {
  [ConnectionQuality.Excellent]: 'excellent',
  [ConnectionQuality.Good]: 'good',
  [ConnectionQuality.Poor]: 'poor',
  [ConnectionQuality.Lost]: 'lost',
  [ConnectionQuality.Unknown]: 'unknown',
};

class LiveKitAdapter implements RtcAdapter {
  readonly #listeners = new Set<(event: RtcEvent) => void>();
  readonly #room = new Room({
    // Pauses the avatar's video while the panel is minimised (its element is hidden).
    adaptiveStream: true,
    dynacast: false,
    // The widget stops the session itself on pagehide, by beacon, before anything else.
    disconnectOnPageLeave: false,
  });
  #options: RtcConnectOptions | undefined;
  #leaving = false;
  #speaking = false;
  /** Joined: until then a failure is the rejection of `connect`, not a `disconnected` event. */
  #joined = false;
  /** The avatar's video is wanted (not audio only). */
  #videoReceived = true;

  subscribe(listener: (event: RtcEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async connect(options: RtcConnectOptions): Promise<void> {
    this.#options = options;
    const isAvatar = (participant: Participant) => participant.identity === options.avatarIdentity;
    this.#room
      .on(RoomEvent.Reconnecting, () => this.#emit({ type: 'reconnecting' }))
      .on(RoomEvent.SignalReconnecting, () => this.#emit({ type: 'reconnecting' }))
      .on(RoomEvent.Reconnected, () => this.#emit({ type: 'reconnected' }))
      .on(RoomEvent.Disconnected, (reason) => {
        if (!this.#leaving && this.#joined) this.#emit({ type: 'disconnected', byServer: CLOSED_BY_SERVER.has(reason) });
      })
      .on(RoomEvent.ParticipantConnected, (participant) => {
        if (isAvatar(participant)) this.#emit({ type: 'avatar-joined' });
      })
      .on(RoomEvent.ParticipantDisconnected, (participant) => {
        if (isAvatar(participant)) this.#emit({ type: 'avatar-left' });
      })
      .on(RoomEvent.TrackSubscribed, (track, publication, participant) => {
        if (!isAvatar(participant)) return;
        if (track.kind === Track.Kind.Video && !this.#videoReceived) publication.setEnabled(false);
        this.#play(track);
        // Its camera back (republished without leaving, issue 14): the avatar is there again.
        if (track.kind === Track.Kind.Video) this.#emit({ type: 'avatar-joined' });
      })
      .on(RoomEvent.TrackUnpublished, (publication, participant) => {
        // The avatar's camera stopped (it also goes when the avatar leaves): it is away.
        if (isAvatar(participant) && publication.kind === Track.Kind.Video) this.#emit({ type: 'avatar-left' });
      })
      .on(RoomEvent.ActiveSpeakersChanged, (speakers) => {
        const speaking = speakers.some(isAvatar);
        if (speaking !== this.#speaking) {
          this.#speaking = speaking;
          this.#emit({ type: 'avatar-speaking', speaking });
        }
      })
      .on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => {
        // Only the avatar speaks for Equos: another participant's packet must not fire the page's triggers.
        if (topic !== EQUOS_TOPIC || !participant || !isAvatar(participant)) return;
        const message = parseAgentMessage(payload);
        if (message) this.#emit({ type: 'agent-message', message });
      })
      // The visitor's own quality is the one that matters: LiveKit scores it as the worst of
      // what it sends and what it receives (the avatar's media included).
      .on(RoomEvent.ConnectionQualityChanged, (quality, participant) => {
        if (participant === this.#room.localParticipant) this.#emit({ type: 'quality', quality: QUALITY[quality] });
      })
      .on(RoomEvent.AudioPlaybackStatusChanged, () => this.#emit({ type: 'audio-blocked', blocked: !this.#room.canPlaybackAudio }));

    await this.#room.connect(options.serverUrl, options.token, { autoSubscribe: true });
    this.#joined = true;
    void this.#room.startAudio().catch(() => {});
    if (options.microphone) await this.publishMicrophone(options.microphone);
    this.#emit({ type: 'connected', avatarPresent: this.#avatar() !== undefined });
  }

  /**
   * Mutes by also pausing the upstream: no audio packets leave the browser at all while
   * muted (not just silent ones), and the server is told the track is muted.
   */
  async setMicrophoneEnabled(enabled: boolean): Promise<void> {
    const publication = this.#room.localParticipant.getTrackPublication(Track.Source.Microphone);
    const track = publication?.track;
    if (!publication || !track) return;
    if (enabled) {
      await track.resumeUpstream();
      await publication.unmute();
    } else {
      await publication.mute();
      await track.pauseUpstream();
    }
  }

  async publishMicrophone(track: MediaStreamTrack): Promise<void> {
    // A microphone unplugged with no other left keeps its publication (muted by LiveKit when
    // its track ended): the new one takes its place, so the avatar never has two.
    if (this.#room.localParticipant.getTrackPublication(Track.Source.Microphone)?.track) {
      await this.replaceMicrophone(track);
      return this.setMicrophoneEnabled(true);
    }
    await this.#room.localParticipant.publishTrack(track, { source: Track.Source.Microphone, dtx: true });
  }

  async replaceMicrophone(track: MediaStreamTrack): Promise<void> {
    const published = this.#room.localParticipant.getTrackPublication(Track.Source.Microphone)?.track;
    if (!published) {
      if (!this.#joined) throw new Error('not in the room yet');
      await this.#room.localParticipant.publishTrack(track, { source: Track.Source.Microphone, dtx: true });
      return;
    }
    // The sender's track swapped in place (RTCRtpSender.replaceTrack). User-provided: LiveKit
    // must neither stop the old track nor restart this one on its own.
    await published.replaceTrack(track, { userProvidedTrack: true });
  }

  async send(message: PageMessage): Promise<void> {
    if (!this.#options) return;
    await this.#room.localParticipant.publishData(encodeMessage(message), {
      reliable: true,
      topic: EQUOS_TOPIC,
      destinationIdentities: [this.#options.avatarIdentity],
    });
  }

  /**
   * Audio only: the server stops forwarding the avatar's camera (LiveKit's track setting
   * `disabled`, what an off-screen video asks for), so a weak link carries only the voice; the
   * subscription stays, so the video is back with its next keyframe rather than a renegotiation.
   */
  setVideoReceived(received: boolean): void {
    if (received === this.#videoReceived) return;
    this.#videoReceived = received;
    this.#avatarCamera()?.setEnabled(received);
  }

  async resumeAudio(): Promise<void> {
    await this.#room.startAudio();
  }

  async disconnect(): Promise<void> {
    if (this.#leaving) return;
    this.#leaving = true;
    for (const participant of this.#room.remoteParticipants.values()) {
      for (const publication of participant.trackPublications.values()) publication.track?.detach();
    }
    await this.#room.disconnect();
    this.#listeners.clear();
  }

  #avatarCamera(): RemoteTrackPublication | undefined {
    return this.#avatar()?.getTrackPublication(Track.Source.Camera);
  }

  #avatar(): RemoteParticipant | undefined {
    return this.#options ? this.#room.remoteParticipants.get(this.#options.avatarIdentity) : undefined;
  }

  /** The avatar's camera goes to a new video element; its voice to the element unlocked at the click. */
  #play(track: RemoteTrack): void {
    if (track.kind === Track.Kind.Video) {
      const element = track.attach() as HTMLVideoElement;
      element.muted = true;
      element.playsInline = true;
      this.#emit({ type: 'avatar-video', element });
    } else if (track.kind === Track.Kind.Audio && this.#options) {
      track.attach(this.#options.audioElement);
    }
  }

  #emit(event: RtcEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}

/** Creates the adapter for one conversation. */
export function createRtcAdapter(): RtcAdapter {
  return new LiveKitAdapter();
}
