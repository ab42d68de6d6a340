/**
 * What one widget's call does, in the second file: the attempt in flight (a new start makes
 * older results stale), the token server, the microphone, the real-time adapter and the
 * timers, and the guarantee that a paid session is always stopped: on hang-up, when the page
 * goes away (by beacon), and when the element leaves the DOM.
 *
 * It holds no state of the call: it reads the call controller's and sends it events
 * (../call/live-port.ts), and carries out what each state it enters implies.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallOptions, CallPort, CallRunner as CallRunnerPort } from '../call/live-port.js';
import { sessionOf, type CallSession, type CallState } from '../call/machine.js';
import { LINK_TABLE } from '../call/link.js';
import { traitsOf } from '../call/state-table.js';
import { releaseAudio, type UnlockedAudio } from '../internal/audio-unlock.js';
import type { RtcAdapter, RtcEvent } from '../rtc/rtc-adapter.js';
import { adoptCallStyles } from './call.styles.js';
import { causeOf } from './call-error.js';
import { ConversationController } from './conversation/conversation-controller.js';
import { conversationStrings, type ConversationWordsHost } from './conversation/strings.js';
import { CountdownController } from './countdown-controller.js';
import { preferredMicrophone } from './devices/device-choices.js';
import { DeviceController } from './devices/device-controller.js';
import { createLevelMeter, type LevelMeter } from './level-meter.js';
import { IdleWatch } from './idle-watch.js';
import { LevelMeterController } from './level-meter-controller.js';
import { LinkController } from './link/link-controller.js';
import { isMicrophoneRefusal, microphonePermission, openMicrophone } from './microphone.js';
import { readPageVars } from './page-vars.js';
import { PictureInPictureController } from './picture-in-picture/picture-in-picture-controller.js';
import { onRefusal, roomOrigins, roomRefused } from './setup-diagnosis.js';
import { TokenClient } from './token-client.js';

/** What the runner needs: its element's options, and how to reach the room. */
export interface CallRunnerOptions extends CallOptions {
  /** Creates the real-time adapter (livekit-client; a fake in component tests). */
  createAdapter(): RtcAdapter;
}

/** Ends the session this long before Equos would, so the visitor hears why. */
const DEADLINE_MARGIN_MS = 2000;
/** While waiting for the avatar, say it is late after this long (`avatar-late`)… */
const LATE_AFTER_MS = 10_000;
/** …or after this share of `avatar-timeout`, when that comes sooner (a short timeout). */
const LATE_SHARE = 0.4;
/** Seconds an avatar that dropped out has to come back (`avatar-grace`) [8]; Equos' own embed waits a few seconds too. */
const DEFAULT_GRACE_S = 8;
/** The longest grace (the session's own maximum bounds it anyway; a timer cannot wait past 2³¹ ms). */
const MAX_GRACE_S = 600;
/** Seconds of nobody speaking or typing in a live call before "Still there?" (`idle-timeout`) [180]; 0 never asks. */
const DEFAULT_IDLE_S = 180;
/** The longest `idle-timeout` (a timer cannot wait past 2³¹ ms; the token server stops an idle session at 600 s anyway). */
const MAX_IDLE_S = 86_400;
/**
 * A link that stays weak this long falls back to audio only. LiveKit reports a quality only
 * when it changes (every 5 s at most), so this is about one report that did not get better.
 */
const WEAK_FALLBACK_MS = 6000;

/** The side effects of one `<equos-avatar>`'s call. */
export class CallRunner implements ReactiveController, CallRunnerPort {
  /**
   * The avatar's video, once subscribed; none while it plays in a floating window (Document
   * Picture-in-Picture): the panel then shows the avatar's picture in its place, and its Lit,
   * which still holds the element as the stage's value, leaves it in the window until it closes.
   */
  get videoElement(): HTMLVideoElement | null {
    return this.#pictureInPicture.holdsVideo ? null : this.#video;
  }
  #video: HTMLVideoElement | null = null;
  microphoneEnabled = true;
  /** The call goes on without a microphone (refused or absent): the visitor listens and types. */
  microphoneMissing = false;
  audioBlocked = false;
  deadline: number | undefined;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #call: CallPort;
  readonly #options: CallRunnerOptions;
  #attempt = 0;
  #abort: AbortController | undefined;
  #adapter: RtcAdapter | undefined;
  #unsubscribe: (() => void) | undefined;
  #microphone: MediaStreamTrack | undefined;
  #audio: UnlockedAudio | undefined;
  #meter: LevelMeter | undefined;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  /** Ends the call when an avatar that dropped out has not come back (`avatar-away`). */
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  /** Falls back to audio only when a weak link has not got better (`video-weak` with `fallback`). */
  #fallbackTimer: ReturnType<typeof setTimeout> | undefined;
  #warnedPageVars = false;
  /** Attributes already warned about (once each). */
  readonly #warnedAttributes = new Set<string>();
  /** Seconds before the deadline from which the countdown shows (longer once the avatar warned). */
  #countdownFromS: number | undefined;
  readonly #countdown: CountdownController;
  readonly #conversation: ConversationController;
  readonly #idle: IdleWatch;
  readonly #devices: DeviceController;
  readonly #pictureInPicture: PictureInPictureController;

  constructor(host: ReactiveControllerHost & HTMLElement, call: CallPort, options: CallRunnerOptions) {
    this.#host = host;
    this.#call = call;
    this.#options = options;
    // Lit calls hostConnected at once when the element is already on the page (it is: the
    // runner is made on intent).
    host.addController(this);
    // What only a call shows arrives with the call: its styles, the countdown, the microphone's meter.
    if (host.shadowRoot) adoptCallStyles(host.shadowRoot);
    this.#countdown = new CountdownController(
      host,
      () => (traitsOf(call.state).countdown ? this.deadline : undefined),
      () => this.#countdownFromS,
    );
    // A late avatar's call, and one asking "Still there?", say each second when it ends by
    // itself (../panel/describe.ts reads the clock).
    new CountdownController(
      host,
      () => (call.state.name === 'avatar-late' || call.state.name === 'idle-check' ? call.state.endsAt : undefined),
      () => Infinity,
    );
    this.#conversation = new ConversationController(host, {
      call,
      avatarName: options.avatarName,
      context: options.context,
      microphoneMissing: () => this.microphoneMissing,
      secondsLeft: () => this.secondsLeft,
      send: (message) => this.#adapter?.send(message) ?? Promise.reject(new Error('not in a room')),
      onExpireSoon: (seconds) => this.#expireSoon(seconds),
      // A line spoken or typed answers "Still there?".
      onActivity: () => this.#call.dispatch({ type: 'still-here' }),
    });
    new LevelMeterController(host, {
      active: () => traitsOf(call.state).inCall && options.onScreen(),
      level: () => (this.microphoneEnabled ? (this.#meter?.level() ?? 0) : 0),
      target: () => options.microphoneButton(),
    });
    // "Still there?": when a live call nobody speaks in asks it.
    this.#idle = new IdleWatch(host, {
      call,
      idleMs: () => this.#seconds('idle-timeout', DEFAULT_IDLE_S, MAX_IDLE_S) * 1000,
      lastActivityAt: () => this.#conversation.lastActivityAt,
      onScreen: options.onScreen,
    });
    // The connection's quality, and audio only on a weak link.
    new LinkController(host, { call, strings: () => conversationStrings((host as ConversationWordsHost).conversationStrings), avatarName: options.avatarName });
    // The devices menu: another microphone, the avatar's volume, the speaker; an unplugged microphone replaced.
    this.#devices = new DeviceController(host, {
      call,
      microphone: () => this.#microphone,
      audio: () => this.#audio?.element,
      useMicrophone: (track) => this.#useMicrophone(track),
    });
    // The conversation goes on in a floating window while the visitor browses.
    this.#pictureInPicture = new PictureInPictureController(host, {
      call,
      video: () => this.#video,
      avatarName: options.avatarName,
      microphoneEnabled: () => this.microphoneEnabled,
      setMicrophoneEnabled: (enabled) => void this.setMicrophoneEnabled(enabled),
    });
  }

  get secondsLeft(): number | undefined {
    return this.#countdown.secondsLeft;
  }

  hostConnected(): void {
    window.addEventListener('pagehide', this.#onPageHide);
  }

  hostUpdated(): void {
    // A video put back on the stage (audio only over) was paused when it left the document, as every media element is.
    const video = this.videoElement;
    if (video?.isConnected && video.paused) void video.play().catch(() => {});
  }

  hostDisconnected(): void {
    window.removeEventListener('pagehide', this.#onPageHide);
    // Removing the element ends its call (and its bill); moving it (removed and re-inserted
    // in the same task) does not.
    queueMicrotask(() => {
      if (!this.#host.isConnected) this.#leavePage();
    });
  }

  start(unlocked: UnlockedAudio): void {
    const server = this.#options.server();
    if (this.#call.state.name !== 'starting' || !server) {
      releaseAudio(unlocked);
      if (this.#call.state.name === 'starting') this.#call.dispatch({ type: 'start-failed', cause: 'misconfigured' });
      return;
    }
    const attempt = ++this.#attempt;
    this.#abort = new AbortController();
    this.#audio = unlocked;
    this.#conversation.reset();
    void this.#run(attempt, this.#abort.signal, new TokenClient(server));
  }

  entered(from: CallState, to: CallState): void {
    this.#followLink(from, to);
    if (from.name === 'avatar-away') this.#graceTimer = this.#cancel(this.#graceTimer);
    this.#idle.entered(from, to);
    // "Still there?" answered: the visitor is here (the idle time the heartbeats report starts again).
    if (to.name === 'live' && from.name === 'idle-check') this.#conversation.present();
    if (to.name === 'waiting-for-avatar') {
      // Late first (the visitor is told, with when it ends), then given up on; both are
      // ignored by the machine once the avatar has joined.
      const timeoutMs = this.#options.avatarJoinTimeoutMs();
      const endsAt = Date.now() + timeoutMs;
      this.#later(() => this.#call.dispatch({ type: 'avatar-late', endsAt }), Math.min(LATE_AFTER_MS, timeoutMs * LATE_SHARE));
      this.#later(() => this.#call.dispatch({ type: 'avatar-timeout' }), timeoutMs);
    } else if (to.name === 'avatar-away') {
      this.#graceTimer = this.#later(() => this.#call.dispatch({ type: 'avatar-gone' }), this.#seconds('avatar-grace', DEFAULT_GRACE_S, MAX_GRACE_S) * 1000);
    } else if (to.name === 'ending') {
      void this.#finish(to.session, to.outcome.type === 'ended' && to.outcome.reason === 'page-left');
    } else if ((to.name === 'idle' || to.name === 'error') && from.name === 'starting') {
      // A hang-up or a failure while starting: whatever the attempt still does is stale.
      this.#abandonAttempt();
    }
  }

  async setMicrophoneEnabled(enabled: boolean): Promise<void> {
    if (enabled && this.microphoneMissing) return this.#retryMicrophone();
    this.microphoneEnabled = enabled;
    if (this.#microphone) this.#microphone.enabled = enabled;
    this.#host.requestUpdate();
    await this.#adapter?.setMicrophoneEnabled(enabled).catch(() => {});
  }

  resumeAudio(): void {
    void this.#adapter?.resumeAudio().catch(() => {});
    void this.#audio?.element.play().catch(() => {});
  }

  async #run(attempt: number, signal: AbortSignal, client: TokenClient): Promise<void> {
    const current = () => attempt === this.#attempt && !signal.aborted;
    let session: CallSession | undefined;
    let microphone: MediaStreamTrack | undefined;
    try {
      // A refused or absent microphone does not stop the call: the visitor can listen and type.
      const microphonePromise = openMicrophone(preferredMicrophone()).then(
        (track) => (microphone = track),
        (error: unknown) => {
          if (!isMicrophoneRefusal(error)) throw error;
          return undefined;
        },
      );
      // While the visitor decides on the permission prompt nothing is billed yet; once the
      // browser grants without asking, both run in parallel.
      if ((await microphonePermission()) !== 'granted') await microphonePromise;
      const created = client
        .createSession({ preset: this.#options.preset(), participantName: this.#options.participantName(), pageVars: this.#pageVars(), consent: this.#options.consent?.() }, signal)
        .then((info) => (session = info));
      // Wait for both even when one fails, so that a session created meanwhile is known
      // (and stopped) rather than left running.
      const results = await Promise.allSettled([microphonePromise, created]);
      const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failure) throw failure.reason;
      if (!current()) throw new Error('stale');
      this.#microphone = microphone;
      this.microphoneMissing = !microphone;
      this.microphoneEnabled = !!microphone;
      this.#meter = createLevelMeter(microphone, this.#audio?.context);
      this.#call.dispatch({ type: 'session-created', session: session! });
      this.#setDeadline(session!);
      this.#startHeartbeats(client, session!, attempt);
      const adapter = this.#options.createAdapter();
      this.#adapter = adapter;
      this.#unsubscribe = adapter.subscribe((event) => {
        if (attempt === this.#attempt) this.#onRtcEvent(event);
      });
      // A page whose CSP refuses the LiveKit server: stop waiting for the room at once.
      const stopWatching = onRefusal(roomOrigins(session!.server_url), () => void adapter.disconnect().catch(() => {}));
      try {
        await adapter.connect({
          serverUrl: session!.server_url,
          token: session!.participant_token,
          avatarIdentity: session!.avatar_identity,
          ...(microphone ? { microphone } : {}),
          audioElement: this.#audio!.element,
        });
      } finally {
        stopWatching();
      }
    } catch (error) {
      if (!current()) {
        // A newer attempt (or a hang-up) replaced this one: what it paid for must not leak.
        if (session && !sessionOf(this.#call.state)) void client.stopSession(session);
        if (microphone !== this.#microphone) microphone?.stop();
        return;
      }
      if (sessionOf(this.#call.state)) {
        // Joining the room failed after the session was created (the end stops the session).
        const blocked = session ? await roomRefused(session.server_url) : false;
        if (!current()) return;
        this.#call.dispatch({ type: 'disconnected', byServer: false, ...(blocked ? { cause: 'blocked-by-page' as const } : {}) });
        return;
      }
      if (session) void client.stopSession(session);
      microphone?.stop();
      this.#call.dispatch({ type: 'start-failed', cause: causeOf(error) });
    }
  }

  #onRtcEvent(event: RtcEvent): void {
    switch (event.type) {
      case 'avatar-video':
        this.#video = event.element;
        this.#host.requestUpdate();
        return;
      case 'audio-blocked':
        this.audioBlocked = event.blocked;
        this.#host.requestUpdate();
        return;
      case 'agent-message':
        this.#conversation.receive(event.message);
        return;
      default:
        this.#call.dispatch(event);
    }
  }

  /** Leaves the room, stops the session (retrying), releases everything, then reports `stopped`. */
  async #finish(session: CallSession, beaconSent: boolean): Promise<void> {
    const adapter = this.#adapter;
    this.#abandonAttempt();
    await adapter?.disconnect().catch(() => {});
    const server = this.#options.server();
    if (!beaconSent && server) await new TokenClient(server).stopSession(session);
    this.#call.dispatch({ type: 'stopped', at: Date.now() });
  }

  /** The page (or the element) is going away: stop by beacon now, it may be the last chance. */
  #leavePage(): void {
    const session = sessionOf(this.#call.state);
    const server = this.#options.server();
    if (session && server) new TokenClient(server).beaconStop(session);
    this.#call.dispatch({ type: 'page-left' });
  }

  readonly #onPageHide = (): void => this.#leavePage();

  /** Makes the attempt in flight stale and lets go of its resources. */
  #abandonAttempt(): void {
    this.#attempt += 1;
    this.#abort?.abort();
    this.#abort = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    void this.#adapter?.disconnect().catch(() => {});
    this.#adapter = undefined;
    this.#devices.release();
    this.#meter?.dispose();
    this.#meter = undefined;
    this.#microphone?.stop();
    this.#microphone = undefined;
    if (this.#audio) releaseAudio(this.#audio);
    this.#audio = undefined;
    this.#pictureInPicture.close();
    this.#video = null;
    this.audioBlocked = false;
    this.microphoneEnabled = true;
    this.microphoneMissing = false;
    this.deadline = undefined;
    this.#countdownFromS = undefined;
    this.#deadlineTimer = this.#graceTimer = this.#fallbackTimer = undefined;
    this.#idle.stop();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Heartbeats while the session runs; a server that says it ended closes the call. */
  #startHeartbeats(client: TokenClient, session: CallSession, attempt: number): void {
    const beat = async () => {
      if (attempt !== this.#attempt) return;
      // How long nobody has spoken or typed: past the server's bound it stops the session.
      const idleS = Math.floor((Date.now() - this.#conversation.lastActivityAt) / 1000);
      if ((await client.heartbeat(session, idleS)) === 'ended' && attempt === this.#attempt) {
        this.#call.dispatch({ type: 'disconnected', byServer: true });
        return;
      }
      this.#later(beat, session.heartbeat_interval_s * 1000);
    };
    this.#later(beat, session.heartbeat_interval_s * 1000);
  }

  #setDeadline(session: CallSession): void {
    this.#endAt(Date.now() + session.max_duration_s * 1000 - DEADLINE_MARGIN_MS);
  }

  /** The `page-vars` attribute's variables; an unusable value is left out, with one warning to the site owner. */
  #pageVars(): Record<string, string> | undefined {
    const reading = readPageVars(this.#host.getAttribute('page-vars'));
    if ('vars' in reading) return reading.vars;
    if (!this.#warnedPageVars) {
      this.#warnedPageVars = true;
      console.warn(`<equos-avatar>: ${reading.problem} The conversation starts without them.`);
    }
    return undefined;
  }

  /**
   * A seconds attribute of the element the launcher does not read (`avatar-grace`,
   * `idle-timeout`): `fallback` when absent or unusable (with one warning to the site owner),
   * at most `max`.
   */
  #seconds(name: string, fallback: number, max: number): number {
    const given = this.#host.getAttribute(name);
    const seconds = given === null || given.trim() === '' ? fallback : Number(given);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, max);
    if (!this.#warnedAttributes.has(name)) {
      this.#warnedAttributes.add(name);
      console.warn(`<equos-avatar>: ${name} must be a number of seconds (0 or more), not "${given}"; it is ${fallback}.`);
    }
    return fallback;
  }

  /**
   * What the link implies: the avatar's video received or not (audio only), and a weak link
   * that does not get better falling back to audio only.
   */
  #followLink(from: CallState, to: CallState): void {
    const before = 'link' in from ? from.link : undefined;
    const after = 'link' in to ? to.link : undefined;
    if (before === after) return;
    // Leaving the room (no link after) changes nothing there any more.
    if (after && (before ? LINK_TABLE[before.name].receivesVideo : true) !== LINK_TABLE[after.name].receivesVideo) {
      this.#adapter?.setVideoReceived(LINK_TABLE[after.name].receivesVideo);
    }
    if (after?.name !== 'video-weak' || !after.fallback) this.#fallbackTimer = this.#cancel(this.#fallbackTimer);
    else if (this.#fallbackTimer === undefined) {
      this.#fallbackTimer = this.#later(() => {
        this.#fallbackTimer = undefined;
        this.#call.dispatch({ type: 'audio-fallback' });
      }, WEAK_FALLBACK_MS);
    }
  }

  /** Ends the call at `deadline` (local clock, ms), replacing any earlier plan. */
  #endAt(deadline: number): void {
    this.deadline = deadline;
    this.#cancel(this.#deadlineTimer);
    this.#deadlineTimer = this.#later(() => this.#call.dispatch({ type: 'max-duration' }), deadline - Date.now());
  }

  /**
   * The avatar says the session ends in `seconds`: the countdown shows from now, and when its
   * end comes sooner than ours (its clock is the one that bills), the call ends by it.
   */
  #expireSoon(seconds: number): void {
    if (!sessionOf(this.#call.state)) return;
    const theirs = Date.now() + seconds * 1000 - DEADLINE_MARGIN_MS;
    if (this.deadline === undefined || theirs < this.deadline) this.#endAt(theirs);
    this.#countdownFromS = Math.max(seconds, (this.deadline! - Date.now()) / 1000) + 1;
    this.#countdown.replan();
  }

  /**
   * Puts `track` in the microphone's place (one the visitor chose, or the default after theirs
   * was unplugged): swapped into the room without republishing, metered, the old one stopped,
   * the visitor's mute kept. None (no input left): the call goes on without, as with a refused
   * one. False, with `track` stopped, when the call has moved on or the room refused it.
   */
  async #useMicrophone(track: MediaStreamTrack | undefined): Promise<boolean> {
    const attempt = this.#attempt;
    const adapter = this.#adapter;
    if (track) {
      track.enabled = this.microphoneEnabled;
      try {
        if (!adapter) throw new Error('not in a room');
        await adapter.replaceMicrophone(track);
      } catch {
        track.stop();
        return false;
      }
      if (attempt !== this.#attempt) {
        track.stop();
        return false;
      }
      // LiveKit resumes a replaced track's upstream, and mutes one whose device ended: the visitor's mute stands.
      void adapter.setMicrophoneEnabled(this.microphoneEnabled).catch(() => {});
    }
    this.#microphone?.stop();
    this.#microphone = track;
    this.#meter?.dispose();
    this.#meter = createLevelMeter(track, this.#audio?.context);
    if (!track) {
      this.microphoneMissing = true;
      this.microphoneEnabled = false;
    }
    this.#host.requestUpdate();
    return true;
  }

  /** The visitor asks for the microphone in a call that began without one. */
  async #retryMicrophone(): Promise<void> {
    const attempt = this.#attempt;
    let track: MediaStreamTrack;
    try {
      track = await openMicrophone();
    } catch {
      return; // Still refused: the call goes on by text, and the notice stays.
    }
    if (attempt !== this.#attempt || !this.#adapter) {
      track.stop();
      return;
    }
    try {
      await this.#adapter.publishMicrophone(track);
    } catch {
      track.stop();
      return;
    }
    this.#microphone = track;
    this.#meter?.dispose();
    this.#meter = createLevelMeter(track, this.#audio?.context);
    this.microphoneMissing = false;
    this.microphoneEnabled = true;
    this.#host.requestUpdate();
  }

  /** Cancels a timer of `#later`, if any; returns `undefined` for its holder. */
  #cancel(timer: ReturnType<typeof setTimeout> | undefined): undefined {
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#timers.delete(timer);
  }

  #later(run: () => void, ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, Math.max(0, ms));
    this.#timers.add(timer);
    return timer;
  }
}
