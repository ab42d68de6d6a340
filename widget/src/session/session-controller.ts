/**
 * Owns one widget's conversation: the state machine, the attempt in flight (a new start
 * makes older results stale), the microphone, the real-time adapter and the timers, and the
 * guarantee that a paid session is always stopped: on hang-up, when the page goes away (by
 * beacon), and when the element leaves the DOM.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { createLevelMeter, type LevelMeter } from '../internal/level-meter.js';
import { releaseAudio, type UnlockedAudio } from '../internal/audio-unlock.js';
import type { RtcAdapter, RtcEvent } from '../rtc/rtc-adapter.js';
import { capabilities, INITIAL_STATE, sessionOf, transition, type ErrorCause, type SessionEvent, type SessionInfo, type SessionState } from './machine.js';
import { microphonePermission, openMicrophone, MicrophoneError } from './microphone.js';
import type { SessionHostOptions, SessionPort } from './session-port.js';
import { TokenClient, TokenServerError } from './token-client.js';

/** What the controller needs: its element's options, and how to reach the room. */
export interface SessionControllerOptions extends SessionHostOptions {
  /** Creates the real-time adapter (livekit-client; a fake in component tests). */
  createAdapter(): RtcAdapter;
}

/** Ends the session this long before Equos would, so the visitor hears why. */
const DEADLINE_MARGIN_MS = 2000;

/** The conversation of one `<equos-avatar>`. */
export class SessionController implements ReactiveController, SessionPort {
  state: SessionState = INITIAL_STATE;
  /** The avatar's video, once subscribed. */
  videoElement: HTMLVideoElement | null = null;
  microphoneEnabled = true;
  audioBlocked = false;
  /** When the session will be ended for its maximum duration (local clock, ms). */
  deadline: number | undefined;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: SessionControllerOptions;
  #attempt = 0;
  #abort: AbortController | undefined;
  #adapter: RtcAdapter | undefined;
  #unsubscribe: (() => void) | undefined;
  #microphone: MediaStreamTrack | undefined;
  #audio: UnlockedAudio | undefined;
  #meter: LevelMeter | undefined;
  #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(host: ReactiveControllerHost & HTMLElement, options: SessionControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('pagehide', this.#onPageHide);
  }

  hostDisconnected(): void {
    window.removeEventListener('pagehide', this.#onPageHide);
    // Removing the element ends its conversation (and its bill); moving it (removed and
    // re-inserted in the same task) does not.
    queueMicrotask(() => {
      if (!this.#host.isConnected) this.#leavePage();
    });
  }

  /** The microphone's level, 0…1. */
  microphoneLevel(): number {
    return this.microphoneEnabled ? (this.#meter?.level() ?? 0) : 0;
  }

  /**
   * Starts a conversation with the audio the visitor's click unlocked (browsers only play
   * sound that a gesture started).
   */
  start(unlocked: UnlockedAudio): void {
    if (!capabilities(this.state).canStart) {
      releaseAudio(unlocked);
      return;
    }
    this.#dispatch({ type: 'start' });
    const server = this.#options.server();
    if (!server) {
      releaseAudio(unlocked);
      this.#dispatch({ type: 'start-failed', cause: 'misconfigured' });
      return;
    }
    const attempt = ++this.#attempt;
    this.#abort = new AbortController();
    this.#audio = unlocked;
    void this.#run(attempt, this.#abort.signal, new TokenClient(server));
  }

  /** Hangs up (or cancels a start). */
  hangUp(): void {
    if (this.state.name === 'starting') this.#abandonAttempt();
    this.#dispatch({ type: 'hangup' });
  }

  /** Mutes or unmutes the visitor. */
  async setMicrophoneEnabled(enabled: boolean): Promise<void> {
    this.microphoneEnabled = enabled;
    if (this.#microphone) this.#microphone.enabled = enabled;
    this.#host.requestUpdate();
    await this.#adapter?.setMicrophoneEnabled(enabled).catch(() => {});
  }

  /** Plays the avatar's audio after the browser refused to autoplay it (call from a click). */
  resumeAudio(): void {
    void this.#adapter?.resumeAudio().catch(() => {});
    void this.#audio?.element.play().catch(() => {});
  }

  async #run(attempt: number, signal: AbortSignal, client: TokenClient): Promise<void> {
    const current = () => attempt === this.#attempt && !signal.aborted;
    let session: SessionInfo | undefined;
    let microphone: MediaStreamTrack | undefined;
    try {
      const microphonePromise = openMicrophone().then((track) => (microphone = track));
      // While the visitor decides on the permission prompt nothing is billed yet; once the
      // browser grants without asking, all three run in parallel.
      if ((await microphonePermission()) !== 'granted') await microphonePromise;
      const created = client
        .createSession({ preset: this.#options.preset(), participantName: this.#options.participantName() }, signal)
        .then((info) => (session = info));
      // Wait for all three even when one fails, so that a session created meanwhile is known
      // (and stopped) rather than left running.
      const results = await Promise.allSettled([microphonePromise, created]);
      const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failure) throw failure.reason;
      if (!current()) throw new Error('stale');
      this.#microphone = microphone;
      this.#meter = createLevelMeter(microphone, this.#audio?.context);
      this.#dispatch({ type: 'session-created', session: session! });
      this.#setDeadline(session!);
      this.#startHeartbeats(client, session!, attempt);
      const adapter = this.#options.createAdapter();
      this.#adapter = adapter;
      this.#unsubscribe = adapter.subscribe((event) => {
        if (attempt === this.#attempt) this.#onRtcEvent(event);
      });
      await adapter.connect({
        serverUrl: session!.serverUrl,
        token: session!.participantToken,
        avatarIdentity: session!.avatarIdentity,
        ...(microphone ? { microphone } : {}),
        audioElement: this.#audio!.element,
      });
    } catch (error) {
      if (!current()) {
        // A newer attempt (or a hang-up) replaced this one: what it paid for must not leak.
        if (session && !sessionOf(this.state)) void client.stopSession(session);
        if (microphone !== this.#microphone) microphone?.stop();
        return;
      }
      if (sessionOf(this.state)) {
        // Joining the room failed after the session was created.
        this.#dispatch({ type: 'disconnected', byServer: false });
        return;
      }
      if (session) void client.stopSession(session);
      microphone?.stop();
      this.#dispatch({ type: 'start-failed', cause: causeOf(error) });
    }
  }

  #onRtcEvent(event: RtcEvent): void {
    switch (event.type) {
      case 'avatar-video':
        this.videoElement = event.element;
        this.#host.requestUpdate();
        return;
      case 'audio-blocked':
        this.audioBlocked = event.blocked;
        this.#host.requestUpdate();
        return;
      default:
        this.#dispatch(event);
    }
  }

  #dispatch(event: SessionEvent): void {
    const from = this.state;
    const to = transition(from, event);
    if (to === from) return;
    this.state = to;
    this.#enter(from, to);
    this.#host.requestUpdate();
    this.#options.onTransition(from, to);
  }

  /** Side effects of entering a state. */
  #enter(from: SessionState, to: SessionState): void {
    if (to.name === 'waiting-for-avatar') {
      this.#later(() => this.#dispatch({ type: 'avatar-timeout' }), this.#options.avatarJoinTimeoutMs());
    } else if (to.name === 'ending') {
      void this.#finish(to.session, to.outcome.type === 'ended' && to.outcome.reason === 'page-left');
    } else if ((to.name === 'idle' || to.name === 'error') && from.name === 'starting') {
      this.#release();
    }
  }

  /** Leaves the room, stops the session (retrying), releases everything, then reports `stopped`. */
  async #finish(session: SessionInfo, beaconSent: boolean): Promise<void> {
    const adapter = this.#adapter;
    this.#abandonAttempt();
    await adapter?.disconnect().catch(() => {});
    const server = this.#options.server();
    if (!beaconSent && server) await new TokenClient(server).stopSession(session);
    this.#dispatch({ type: 'stopped', at: Date.now() });
  }

  /** The page (or the element) is going away: stop by beacon now, it may be the last chance. */
  #leavePage(): void {
    const session = sessionOf(this.state);
    const server = this.#options.server();
    if (session && server) new TokenClient(server).beaconStop(session);
    if (this.state.name === 'starting') this.#abandonAttempt();
    this.#dispatch({ type: 'page-left' });
  }

  readonly #onPageHide = (): void => this.#leavePage();

  /** Makes the attempt in flight stale and lets go of its resources. */
  #abandonAttempt(): void {
    this.#attempt += 1;
    this.#abort?.abort();
    this.#abort = undefined;
    this.#release();
  }

  #release(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    void this.#adapter?.disconnect().catch(() => {});
    this.#adapter = undefined;
    this.#meter?.dispose();
    this.#meter = undefined;
    this.#microphone?.stop();
    this.#microphone = undefined;
    if (this.#audio) releaseAudio(this.#audio);
    this.#audio = undefined;
    this.videoElement = null;
    this.audioBlocked = false;
    this.microphoneEnabled = true;
    this.deadline = undefined;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Heartbeats while the session runs; a server that says it ended closes the conversation. */
  #startHeartbeats(client: TokenClient, session: SessionInfo, attempt: number): void {
    const beat = async () => {
      if (attempt !== this.#attempt) return;
      if ((await client.heartbeat(session)) === 'ended' && attempt === this.#attempt) {
        this.#dispatch({ type: 'disconnected', byServer: true });
        return;
      }
      this.#later(beat, session.heartbeatIntervalS * 1000);
    };
    this.#later(beat, session.heartbeatIntervalS * 1000);
  }

  #setDeadline(session: SessionInfo): void {
    this.deadline = Date.now() + session.maxDurationS * 1000 - DEADLINE_MARGIN_MS;
    this.#later(() => this.#dispatch({ type: 'max-duration' }), this.deadline - Date.now());
  }

  #later(run: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, Math.max(0, ms));
    this.#timers.add(timer);
  }
}

function causeOf(error: unknown): ErrorCause {
  if (error instanceof TokenServerError || error instanceof MicrophoneError) return error.errorCause;
  return 'equos-failed';
}
