/**
 * Keyboard focus: into the panel when the visitor opens it, back to the launcher when they
 * minimise it, and kept inside the panel, on the control the state's row names
 * (call/state-table.ts), whenever a state change takes the focused control away (a button
 * re-rendered out, or disabled) or the focus is still where the widget last put it. Focus the
 * visitor moved themselves stays where they put it.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ControlPart } from '../call/state-table.js';

/** What the controller reads from its element. */
export interface FocusOptions {
  /** The panel, when it is open. */
  panel(): HTMLElement | null;
  launcher(): HTMLElement | null;
  /** Where focus should go in the panel now, best first. */
  preferred(): readonly ControlPart[];
}

/** The focus of one `<equos-avatar>`. */
export class FocusController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: FocusOptions;
  #requested: 'panel' | 'launcher' | undefined;
  /** The control the widget focused last (not the visitor). */
  #placed: HTMLElement | undefined;
  #hadFocus = false;

  constructor(host: ReactiveControllerHost & HTMLElement, options: FocusOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Moves focus after the next render (the visitor opened or minimised the panel). */
  request(target: 'panel' | 'launcher'): void {
    this.#requested = target;
  }

  hostUpdate(): void {
    this.#hadFocus = this.#options.panel()?.contains(this.#active()) ?? false;
  }

  hostUpdated(): void {
    const requested = this.#requested;
    this.#requested = undefined;
    if (requested === 'launcher') return this.#focus(this.#options.launcher());
    const panel = this.#options.panel();
    if (!panel) return;
    const active = this.#active();
    const target = this.#target(panel);
    const lost = this.#hadFocus && (!active || !panel.contains(active) || (active as HTMLButtonElement).disabled);
    if (requested === 'panel' || lost || (active !== null && active === this.#placed && target !== active)) this.#focus(target ?? panel);
  }

  #active(): HTMLElement | null {
    return this.#host.shadowRoot?.activeElement as HTMLElement | null;
  }

  /** The first control of the state's preference that is there and enabled. */
  #target(panel: HTMLElement): HTMLElement | null {
    for (const part of this.#options.preferred()) {
      const control = panel.querySelector<HTMLButtonElement>(`[part~="${part}"]`);
      if (control && !control.disabled) return control;
    }
    return null;
  }

  #focus(element: HTMLElement | null): void {
    element?.focus();
    this.#placed = element ?? undefined;
  }
}
