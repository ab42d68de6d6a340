/**
 * The time left of a call, re-rendered every second in its last minute only (no timer before),
 * or from when the avatar warned that the session ends soon.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The countdown shows in a session's last this many seconds. */
const COUNTDOWN_S = 60;

/** The countdown of one `<equos-avatar>`. */
export class CountdownController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #deadline: () => number | undefined;
  readonly #windowS: () => number | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;
  /** Waits for the last minute, then starts `#ticker`. */
  #waiting: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param deadline when the call ends (local clock, ms), while the state counts down
   * @param windowS how many seconds before the deadline the countdown shows [60]
   */
  constructor(host: ReactiveControllerHost, deadline: () => number | undefined, windowS: () => number | undefined = () => undefined) {
    this.#host = host;
    this.#deadline = deadline;
    this.#windowS = windowS;
    host.addController(this);
  }

  /** Seconds left, when the countdown shows. */
  get secondsLeft(): number | undefined {
    const deadline = this.#deadline();
    const left = deadline === undefined ? undefined : (deadline - Date.now()) / 1000;
    return left !== undefined && left <= this.#window() ? left : undefined;
  }

  hostUpdated(): void {
    const deadline = this.#deadline();
    if (deadline === undefined) return this.hostDisconnected();
    if (this.#ticker || this.#waiting) return;
    const tick = () => {
      this.#waiting = undefined;
      this.#ticker = setInterval(() => this.#host.requestUpdate(), 1000);
      this.#host.requestUpdate();
    };
    const wait = deadline - this.#window() * 1000 - Date.now();
    if (wait <= 0) tick();
    else this.#waiting = setTimeout(tick, wait);
  }

  /** Re-plans when the deadline or the window changed (the avatar warned). */
  replan(): void {
    this.hostDisconnected();
    this.#host.requestUpdate();
  }

  #window(): number {
    return Math.max(COUNTDOWN_S, this.#windowS() ?? 0);
  }

  hostDisconnected(): void {
    clearTimeout(this.#waiting);
    clearInterval(this.#ticker);
    this.#waiting = this.#ticker = undefined;
  }
}
