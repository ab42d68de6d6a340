/**
 * The seam between the widget's two files. The launcher's file holds the call's state (the
 * call controller); the second file, loaded on intent, runs what the call does (the call
 * runner: token server, microphone, livekit-client, timers). Keeping this seam lets the script
 * every page loads stay small.
 */
import type { ReactiveControllerHost } from 'lit';
import type { CreateSessionRequest } from '../../../contract/token-server-api.js';
import type { UnlockedAudio } from '../internal/audio-unlock.js';
import type { CallEvent, CallState } from './machine.js';

/** The one holder of a call's state, as the runner sees it: it reads the state and sends events. */
export interface CallPort {
  readonly state: CallState;
  dispatch(event: CallEvent): void;
}

/** What a call needs from its element. */
export interface CallOptions {
  /** The token server, or null when the `server` attribute is unusable. */
  server(): URL | null;
  preset(): string | undefined;
  participantName(): string | undefined;
  /** How long to wait for the avatar after joining, in ms. */
  avatarJoinTimeoutMs(): number;
  /** Whether the panel is shown (open, or inline): the microphone's meter runs only then, and an unseen call that is silent asks "Still there?" sooner. */
  onScreen(): boolean;
  /** The button the microphone's level is shown on. */
  microphoneButton(): HTMLElement | null;
  /** The avatar's name as shown. */
  avatarName(): string;
  /** What the page tells the avatar about itself (`context`), if anything. */
  context(): string | undefined;
  /** The visitor's consent to the site's disclosure, when the site asks for one: sent with the session. */
  consent?(): CreateSessionRequest['consent'];
}

/** What a call does, and what it has for the view. */
export interface CallRunner {
  readonly videoElement: HTMLVideoElement | null;
  readonly microphoneEnabled: boolean;
  readonly audioBlocked: boolean;
  /** When the session will be ended for its maximum duration (local clock, ms). */
  readonly deadline: number | undefined;
  /** Runs the attempt the call has just entered `starting` for, with audio unlocked by the visitor's click. */
  start(unlocked: UnlockedAudio): void;
  /** Carries out what entering `to` from `from` implies (timers, the stop, letting go of the microphone). */
  entered(from: CallState, to: CallState): void;
  setMicrophoneEnabled(enabled: boolean): Promise<void>;
  resumeAudio(): void;
}

/** The widget's second file. */
export interface LiveModule {
  createRunner(host: ReactiveControllerHost & HTMLElement, call: CallPort, options: CallOptions): CallRunner;
}
