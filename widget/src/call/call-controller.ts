/**
 * The one holder of a call's state. Every change goes through `dispatch`, which runs the
 * machine's `transition`, tells the runner what it entered, and fires the page's events
 * derived from the move (./page-events.ts): so a page can never see a move the machine did
 * not make, whether it came from the room, the token server, or the second file failing to
 * load.
 *
 * It arrives with the panel's file (../panel/panel-file.ts); the runner (what the call does)
 * with the call's file, and is given this controller as its `CallPort`.
 */
import type { ReactiveControllerHost } from 'lit';
import { releaseAudio, type UnlockedAudio } from '../internal/audio-unlock.js';
import type { CallOptions, CallPort, CallRunner, LiveModule } from './live-port.js';
import { INITIAL_STATE, transition, type CallEvent, type CallState, type ErrorCause } from './machine.js';
import { pageEventsFor } from './page-events.js';
import { traitsOf } from './state-table.js';

/** What the controller needs from its element. */
export interface CallControllerOptions extends CallOptions {
  /** Loads the second file. */
  load(): Promise<LiveModule>;
  /** The sentence the visitor is shown for an error (it goes in `equos-error`). */
  say(cause: ErrorCause): string;
  /** The version of the site's disclosure the visitor is still to agree to before a call, if any. */
  consentToAsk?(): string | undefined;
  /** A setting besides `server` makes a call impossible (the site owner has been told which). */
  misconfigured?(): boolean;
}

/** The call of one `<equos-avatar>`. */
export class CallController implements CallPort {
  state: CallState = INITIAL_STATE;
  /** What the call does, once the second file has loaded. */
  runner: CallRunner | undefined;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: CallControllerOptions;
  #loading: Promise<CallRunner> | undefined;
  /** Each start counts, so the load of an abandoned one is ignored. */
  #attempt = 0;

  constructor(host: ReactiveControllerHost & HTMLElement, options: CallControllerOptions) {
    this.#host = host;
    this.#options = options;
  }

  /** Moves the call by `event`, if the machine moves on it. */
  dispatch(event: CallEvent): void {
    const from = this.state;
    const to = transition(from, event);
    if (to === from) return;
    this.state = to;
    this.runner?.entered(from, to);
    this.#host.requestUpdate();
    for (const pageEvent of pageEventsFor(from, to, this.#options.say)) this.#host.dispatchEvent(pageEvent);
  }

  /** Loads the second file once (again after a failure) and makes the runner. */
  prepare(): Promise<CallRunner> {
    this.#loading ??= this.#options.load().then(
      (module) => (this.runner ??= module.createRunner(this.#host, this, this.#options)),
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }

  /** Starts a call with the audio the visitor's click unlocked (browsers only play sound that a gesture started). */
  start(unlocked: UnlockedAudio): void {
    if (!traitsOf(this.state).start) return releaseAudio(unlocked);
    const consent = this.#options.consentToAsk?.();
    this.dispatch(consent ? { type: 'start', consent } : { type: 'start' });
    // The site's disclosure is shown first (or is still waiting for the visitor's answer).
    if (this.state.name !== 'starting') return releaseAudio(unlocked);
    if (!this.#options.server() || this.#options.misconfigured?.()) {
      releaseAudio(unlocked);
      return this.dispatch({ type: 'start-failed', cause: 'misconfigured' });
    }
    const attempt = ++this.#attempt;
    const stillWanted = () => attempt === this.#attempt && this.state.name === 'starting';
    this.prepare().then(
      (runner) => (stillWanted() ? runner.start(unlocked) : releaseAudio(unlocked)),
      () => {
        releaseAudio(unlocked);
        if (stillWanted()) this.dispatch({ type: 'start-failed', cause: 'load-failed' });
      },
    );
  }

  /** The visitor declined the site's disclosure: no call. */
  declineConsent(): void {
    this.dispatch({ type: 'consent-declined' });
  }

  /** Hangs up (or cancels a start). */
  hangUp(): void {
    this.dispatch({ type: 'hangup' });
  }
}
