/**
 * The contract between the call runner and the real-time library: the runner speaks in
 * `RtcEvent`s, so it can be tested with a fake and livekit-client stays in one file.
 */
import type { AgentMessage, PageMessage } from '../../../contract/equos/realtime.js';
import type { CallEvent } from '../call/machine.js';

/** The room's events that move the call: the machine's own events, so the two cannot drift apart. */
export type RoomCallEvent = Extract<CallEvent, { type: 'connected' | 'avatar-joined' | 'avatar-left' | 'avatar-speaking' | 'reconnecting' | 'reconnected' | 'disconnected' | 'quality' }>;

/** What happens in the room, in the widget's terms. */
export type RtcEvent =
  | RoomCallEvent
  /** The avatar's video element, once its camera track is subscribed. */
  | { type: 'avatar-video'; element: HTMLVideoElement }
  /** The browser refused to play the avatar's audio until the visitor interacts again. */
  | { type: 'audio-blocked'; blocked: boolean }
  /** The avatar sent a message on Equos' real-time channel (only the avatar's are reported). */
  | { type: 'agent-message'; message: AgentMessage };

/** How to join. */
export interface RtcConnectOptions {
  serverUrl: string;
  token: string;
  avatarIdentity: string;
  /** The visitor's microphone, already granted (published as the microphone track). */
  microphone?: MediaStreamTrack;
  /** An audio element unlocked during the visitor's click: the avatar's voice plays in it. */
  audioElement: HTMLAudioElement;
}

/** One conversation's real-time connection. */
export interface RtcAdapter {
  /** Joins the room and publishes the microphone; rejects when joining fails. */
  connect(options: RtcConnectOptions): Promise<void>;
  /** Receives every event from now on; returns the unsubscribe. */
  subscribe(listener: (event: RtcEvent) => void): () => void;
  setMicrophoneEnabled(enabled: boolean): Promise<void>;
  /** Publishes a microphone opened after joining (a call that began without one, or lost its own), enabled. */
  publishMicrophone(track: MediaStreamTrack): Promise<void>;
  /**
   * Puts `track` in the published microphone's place without republishing (same track, no
   * renegotiation: the avatar keeps hearing the visitor), or publishes it when none is;
   * rejects before joining. The caller keeps owning both tracks (it stops the old one) and
   * sets the mute state again after (`setMicrophoneEnabled`).
   */
  replaceMicrophone(track: MediaStreamTrack): Promise<void>;
  /** Sends a message to the avatar on Equos' real-time channel (reliably, to the avatar only). */
  send(message: PageMessage): Promise<void>;
  /** Receives the avatar's video, or stops it coming down the link (audio only), now and for any camera it publishes later. */
  setVideoReceived(received: boolean): void;
  /** Resumes audio playback after an autoplay refusal (call from a click). */
  resumeAudio(): Promise<void>;
  /** Leaves the room. Idempotent. */
  disconnect(): Promise<void>;
}
