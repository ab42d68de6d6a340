/**
 * The seam between the launcher's file and the panel's. The launcher's file paints the
 * launcher and knows the element's settings; the panel's file, loaded at the first sign of
 * intent (or at once for an inline or open widget), brings the rest of what a visitor who
 * clicked sees: the panel, the call's state (its one holder, ../call/call-controller.ts) and
 * the keyboard focus. The call's own work comes later still, in the call's file
 * (../call/live-port.ts).
 */
import type { ReactiveControllerHost } from 'lit';
import type { CallController } from '../call/call-controller.js';
import type { CallOptions, LiveModule } from '../call/live-port.js';
import type { Words } from '../i18n/strings.js';
import type { Picture } from '../view/picture.js';

/** What the panel needs from its element, read when it renders or acts. */
export interface PanelOptions extends CallOptions {
  /** Loads the call's file. */
  load(): Promise<LiveModule>;
  /** The words of the widget's language, with the page's own (English's are completed here). */
  words(): Words;
  /** The avatar's picture, if any. */
  picture(): Picture | undefined;
  floating(): boolean;
  /** Whether the panel is shown (open, or inline). */
  shown(): boolean;
  /** Why the widget cannot work, for the site owner, when its `server` is unusable. */
  problem(): string | undefined;
  /** The visitor pressed Start (the element fires `equos-request-start` and unlocks audio). */
  start(): void;
  /** The visitor minimised the panel. */
  minimize(): void;
  /** Fetches the call's file ahead (a sign of intent). */
  preload(): void;
  launcher(): HTMLElement | null;
}

/** One element's panel. */
export interface Panel {
  /** The call: its state, and what its runner does once the call's file is in. */
  readonly call: CallController;
  /** The call's state lets a visitor start (or start again). */
  readonly canStart: boolean;
  /** A call is joined or joining (the launcher leads back to it). */
  readonly inCall: boolean;
  /** The panel and its live region. */
  render(): unknown;
  /** Moves focus into the panel, or back to the launcher, after the next render. */
  focus(target: 'panel' | 'launcher'): void;
}

/** The panel's file. */
export interface PanelModule {
  createPanel(host: ReactiveControllerHost & HTMLElement, options: PanelOptions): Panel;
}
