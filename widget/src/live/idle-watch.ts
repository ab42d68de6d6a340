/**
 * When a live call asks "Still there?" (issue 14): once nobody has spoken or typed for
 * `idle-timeout` (since the last line, or since the call became live), or sooner when nobody
 * sees the call (the panel minimised, the tab hidden) and nobody speaks in it, the avatar
 * included; and when an unanswered question ends it. It only times: the machine
 * (../call/machine.ts) holds the state, and this sends it `idle-warning` and `idle-timeout`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallPort } from '../call/live-port.js';
import type { CallState } from '../call/machine.js';

/** How long "Still there?" waits for an answer: this, or `idle-timeout` itself when shorter. */
const ANSWER_MS = 30_000;
/**
 * A call nobody sees and nobody speaks in asks after a third of `idle-timeout`, at most this
 * (60 s by default): a forgotten tab should not bill for minutes of silence.
 */
const UNSEEN_MS = 60_000;
const UNSEEN_SHARE = 1 / 3;

/** What the watch reads from its call. */
export interface IdleWatchDeps {
  call: CallPort;
  /** `idle-timeout` in ms; 0 never asks. */
  idleMs(): number;
  /** When the visitor last spoke (a line the avatar heard) or typed, or the call started (ms). */
  lastActivityAt(): number;
  /** The panel is shown (open, or inline). */
  onScreen(): boolean;
}

/** The "Still there?" timing of one `<equos-avatar>`'s calls. */
export class IdleWatch implements ReactiveController {
  readonly #deps: IdleWatchDeps;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the call last became `live` (joined, the avatar back, "Still there?" answered): idle counts from here at the earliest. */
  #liveSince = 0;
  /** Since when nobody can see the call; undefined while it is seen. */
  #unseenSince: number | undefined;
  /** When the avatar last stopped speaking (a call that is heard is not silent, even unseen). */
  #avatarSpokeAt = 0;

  constructor(host: ReactiveControllerHost, deps: IdleWatchDeps) {
    this.#deps = deps;
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onSeenMaybeChanged);
  }

  /** The panel may have been minimised or opened again. */
  hostUpdated(): void {
    this.#onSeenMaybeChanged();
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onSeenMaybeChanged);
  }

  /** Follows the call from `from` to `to`: watches in `live`, waits for the answer in `idle-check`. */
  entered(from: CallState, to: CallState): void {
    if (from.name === 'live' && from.avatarSpeaking && !(to.name === 'live' && to.avatarSpeaking)) this.#avatarSpokeAt = Date.now();
    if (from.name === to.name) return;
    this.stop();
    if (to.name === 'live') {
      this.#liveSince = Date.now();
      this.#watch();
    } else if (to.name === 'idle-check') {
      this.#timer = setTimeout(() => this.#deps.call.dispatch({ type: 'idle-timeout' }), Math.max(0, to.endsAt - Date.now()));
    }
  }

  /** Stops timing (the call left `live` and `idle-check`, or ended). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #watch(): void {
    const idleMs = this.#deps.idleMs();
    const state = this.#deps.call.state;
    if (idleMs === 0 || state.name !== 'live') return;
    const now = Date.now();
    const lastActivity = Math.max(this.#deps.lastActivityAt(), this.#liveSince);
    let dueAt = lastActivity + idleMs;
    // Unseen and silent: sooner; a speaking avatar is looked at again once it has finished.
    if (this.#unseenSince !== undefined) {
      const unseenMs = Math.min(idleMs * UNSEEN_SHARE, UNSEEN_MS);
      const silentSince = Math.max(lastActivity, this.#avatarSpokeAt, this.#unseenSince);
      dueAt = Math.min(dueAt, state.avatarSpeaking ? now + unseenMs : silentSince + unseenMs);
    }
    if (dueAt > now) {
      this.#timer = setTimeout(() => this.#watch(), dueAt - now);
      return;
    }
    this.#timer = undefined;
    this.#deps.call.dispatch({ type: 'idle-warning', endsAt: now + Math.min(ANSWER_MS, idleMs) });
  }

  /** The call became seen or unseen (the panel minimised or opened, the tab hidden or shown): the bound changes. */
  readonly #onSeenMaybeChanged = (): void => {
    const seen = this.#deps.onScreen() && document.visibilityState !== 'hidden';
    if (seen === (this.#unseenSince === undefined)) return;
    this.#unseenSince = seen ? undefined : Date.now();
    if (this.#deps.call.state.name !== 'live') return;
    this.stop();
    this.#watch();
  };
}
