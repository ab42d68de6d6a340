/**
 * The panel's file, for one `<equos-avatar>`: loaded once, at the first sign of intent (or at
 * once for a panel on screen), and again at the next after a failure. What the visitor asked
 * for before it came (a start, with the audio their click unlocked; where focus goes) is
 * carried out when it does.
 */
import type { ReactiveControllerHost } from 'lit';
import { releaseAudio, type UnlockedAudio } from '../internal/audio-unlock.js';
import type { Panel, PanelModule } from '../panel/panel-port.js';

/** What the controller needs from its element. */
export interface PanelControllerOptions {
  load(): Promise<PanelModule>;
  create(module: PanelModule): Panel;
  /** A start asked for is dropped: the file could not load. */
  startLost(): void;
}

/** The panel of one `<equos-avatar>`, once its file is in. */
export class PanelController {
  panel: Panel | undefined;
  /** The last load failed (until the next one succeeds). */
  failed = false;
  readonly #host: ReactiveControllerHost;
  readonly #options: PanelControllerOptions;
  #loading: Promise<void> | undefined;
  #start: UnlockedAudio | undefined;
  #focus: 'panel' | 'launcher' | undefined;
  #drawn = false;

  constructor(host: ReactiveControllerHost, options: PanelControllerOptions) {
    this.#host = host;
    this.#options = options;
  }

  /** A start is waiting for the file. */
  get starting(): boolean {
    return this.#start !== undefined;
  }

  /**
   * The panel to draw, if any: drawn from the first time it is shown, and kept (hidden) after,
   * so that the hover that brought its file costs no rendering, and a call's view stays where
   * it is while minimised.
   */
  drawn(shown: boolean): Panel | undefined {
    if (this.panel && shown) this.#drawn = true;
    return this.#drawn ? this.panel : undefined;
  }

  /** The load under way, if the panel is not there yet. */
  get pending(): Promise<void> | undefined {
    return this.panel ? undefined : this.#loading;
  }

  load(): Promise<void> {
    this.#loading ??= this.#options.load().then(
      (module) => {
        const panel = (this.panel ??= this.#options.create(module));
        this.failed = false;
        if (this.#focus) panel.focus(this.#focus);
        const unlocked = this.#start;
        this.#focus = this.#start = undefined;
        this.#host.requestUpdate();
        // After the panel's first render, so that its live region is there to announce the start.
        if (unlocked) void this.#host.updateComplete.then(() => (panel.canStart ? panel.call.start(unlocked) : releaseAudio(unlocked)));
      },
      (error: unknown) => {
        this.#loading = undefined;
        if (!this.failed) console.warn(`<equos-avatar>: the widget’s panel file could not load (${String(error)}). Serve every file of dist/ next to equos-avatar.js, or load the widget from your token server.`);
        this.failed = true;
        if (this.cancelStart()) this.#options.startLost();
        this.#host.requestUpdate();
      },
    );
    return this.#loading;
  }

  /** Starts a call with the audio the visitor's click unlocked: now, or once the file is in. */
  start(unlocked: UnlockedAudio): void {
    if (this.panel) return this.panel.call.start(unlocked);
    this.cancelStart();
    this.#start = unlocked;
    void this.load();
  }

  /** Drops a start still waiting for the file; whether there was one. */
  cancelStart(): boolean {
    if (!this.#start) return false;
    releaseAudio(this.#start);
    this.#start = undefined;
    return true;
  }

  /** Moves focus into the panel or back to the launcher (once the panel is there). */
  focus(target: 'panel' | 'launcher'): void {
    if (this.panel) this.panel.focus(target);
    else this.#focus = target;
  }
}
