/**
 * What the element needs from a conversation, whether the real controller (in the widget's
 * second file) has loaded yet or not. Keeping this seam lets the script every page loads
 * stay small: the controller, the microphone and livekit-client arrive on intent.
 */
import type { ReactiveControllerHost } from 'lit';
import type { UnlockedAudio } from '../internal/audio-unlock.js';
import type { SessionState } from './machine.js';

/** A conversation as the element renders and drives it. */
export interface SessionPort {
  readonly state: SessionState;
  readonly videoElement: HTMLVideoElement | null;
  readonly microphoneEnabled: boolean;
  readonly audioBlocked: boolean;
  /** When the session will be ended for its maximum duration (local clock, ms). */
  readonly deadline: number | undefined;
  /** Starts with audio unlocked by the visitor's click. */
  start(unlocked: UnlockedAudio): void;
  hangUp(): void;
  setMicrophoneEnabled(enabled: boolean): Promise<void>;
  resumeAudio(): void;
  microphoneLevel(): number;
}

/** What a session needs from its element. */
export interface SessionHostOptions {
  /** The token server, or null when the `server` attribute is unusable. */
  server(): URL | null;
  preset(): string | undefined;
  participantName(): string | undefined;
  /** How long to wait for the avatar after joining, in ms. */
  avatarJoinTimeoutMs(): number;
  /** Called after every state change. */
  onTransition(from: SessionState, to: SessionState): void;
}

/** The widget's second file: everything a conversation needs beyond the launcher. */
export interface LiveModule {
  createSession(host: ReactiveControllerHost & HTMLElement, options: SessionHostOptions): SessionPort;
}
