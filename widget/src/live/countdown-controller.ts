/** The time left of a call, re-rendered every second in its last minute only (no timer before). */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The countdown shows in a session's last this many seconds. */
const COUNTDOWN_S = 60;

/** The countdown of one `<equos-avatar>`. */
export class CountdownController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #deadline: () => number | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;
  /** Waits for the last minute, then starts `#ticker`. */
  #waiting: ReturnType<typeof setTimeout> | undefined;

  /** @param deadline when the call ends (local clock, ms), while the state counts down */
  constructor(host: ReactiveControllerHost, deadline: () => number | undefined) {
    this.#host = host;
    this.#deadline = deadline;
    host.addController(this);
  }

  /** Seconds left, when the countdown shows. */
  get secondsLeft(): number | undefined {
    const deadline = this.#deadline();
    const left = deadline === undefined ? undefined : (deadline - Date.now()) / 1000;
    return left !== undefined && left <= COUNTDOWN_S ? left : undefined;
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
    const wait = deadline - COUNTDOWN_S * 1000 - Date.now();
    if (wait <= 0) tick();
    else this.#waiting = setTimeout(tick, wait);
  }

  hostDisconnected(): void {
    clearTimeout(this.#waiting);
    clearInterval(this.#ticker);
    this.#waiting = this.#ticker = undefined;
  }
}
