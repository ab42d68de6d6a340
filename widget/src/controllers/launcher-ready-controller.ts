/**
 * Shows the launcher's label once what it says is known (the avatar's name, the page's
 * language), so it never flashes a placeholder, or after a short wait regardless. The bubble
 * itself paints at once.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The label waits this long at most for the avatar's name and the page's language. */
const READY_TIMEOUT_MS = 1500;

/** Whether one `<equos-avatar>`'s launcher label shows. */
export class LauncherReadyController implements ReactiveController {
  /** The label may show (once true, it stays). */
  ready = false;
  readonly #host: ReactiveControllerHost;
  readonly #known: () => boolean;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** @param known whether everything the launcher says is known */
  constructor(host: ReactiveControllerHost, known: () => boolean) {
    this.#host = host;
    this.#known = known;
    host.addController(this);
  }

  hostConnected(): void {
    if (!this.ready) this.#timer ??= setTimeout(() => this.#show(true), READY_TIMEOUT_MS);
  }

  hostUpdate(): void {
    // Before this render: it shows the label at once.
    if (!this.ready && this.#known()) this.#show(false);
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #show(render: boolean): void {
    this.ready = true;
    this.hostDisconnected();
    if (render) this.#host.requestUpdate();
  }
}
