/**
 * The microphone's level on its button while a call is on screen: a ring behind the button,
 * scaled with `transform` and faded with `opacity` (compositor-only: no style recalculation of the button,
 * no layout, no paint) about 15 times a second, and only when the level moved. A custom
 * property animated every frame used to cost ~55 style recalculations a second.
 */
import type { ReactiveController } from 'lit';

/** What the meter reads. */
export interface LevelMeterOptions {
  /** Whether the meter shows now (a call on screen). */
  active(): boolean;
  /** The microphone's level, 0…1. */
  level(): number;
  /** The button the ring sits in. */
  target(): HTMLElement | null;
}

/** Updates a second: enough for a level to look alive, a few percent of a frame budget. */
const UPDATES_PER_S = 15;
/** Smaller changes are not worth a frame. */
const MIN_CHANGE = 0.04;

/** The level meter of one `<equos-avatar>`. */
export class LevelMeterController implements ReactiveController {
  readonly #options: LevelMeterOptions;
  readonly #ring: HTMLSpanElement;
  #timer: ReturnType<typeof setInterval> | undefined;
  #shown = -1;

  constructor(host: { addController(controller: ReactiveController): void }, options: LevelMeterOptions) {
    this.#options = options;
    this.#ring = document.createElement('span');
    this.#ring.className = 'level-ring';
    this.#ring.setAttribute('aria-hidden', 'true');
    host.addController(this);
  }

  hostUpdated(): void {
    const button = this.#options.target();
    if (!this.#options.active() || !button) return this.#stop();
    // First in the button, before the part the launcher's Lit renders there: Lit leaves it be.
    if (this.#ring.parentNode !== button) {
      button.prepend(this.#ring);
      this.#shown = -1;
    }
    this.#timer ??= setInterval(() => this.#show(this.#options.level()), 1000 / UPDATES_PER_S);
  }

  hostDisconnected(): void {
    this.#stop();
  }

  #show(level: number): void {
    if (Math.abs(level - this.#shown) < MIN_CHANGE && !(level === 0 && this.#shown !== 0)) return;
    this.#shown = level;
    // Both compositor-only: the ring grows with the voice and fades out in silence (the
    // button's background is translucent, so a ring at rest would tint it).
    this.#ring.style.transform = `scale(${(1 + level * 0.36).toFixed(3)})`;
    this.#ring.style.opacity = Math.min(1, level * 3).toFixed(2);
  }

  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#ring.remove();
    this.#shown = -1;
  }
}
