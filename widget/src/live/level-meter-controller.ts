/** The microphone's level on its button, one animation frame at a time, while a call is on screen. */
import type { ReactiveController } from 'lit';

/** What the meter reads. */
export interface LevelMeterOptions {
  /** Whether the meter shows now (a call on screen). */
  active(): boolean;
  /** The microphone's level, 0…1. */
  level(): number;
  /** The element whose `--_level` is set. */
  target(): HTMLElement | null;
}

/** The level meter of one `<equos-avatar>`. */
export class LevelMeterController implements ReactiveController {
  readonly #options: LevelMeterOptions;
  #frame = 0;

  constructor(host: { addController(controller: ReactiveController): void }, options: LevelMeterOptions) {
    this.#options = options;
    host.addController(this);
  }

  hostUpdated(): void {
    cancelAnimationFrame(this.#frame);
    if (!this.#options.active()) return;
    const button = this.#options.target();
    const frame = () => {
      button?.style.setProperty('--_level', this.#options.level().toFixed(2));
      this.#frame = requestAnimationFrame(frame);
    };
    this.#frame = requestAnimationFrame(frame);
  }

  hostDisconnected(): void {
    cancelAnimationFrame(this.#frame);
  }
}
