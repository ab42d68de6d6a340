/**
 * The Document Picture-in-Picture window of a call: the avatar's name and status over its
 * video, with the microphone toggle and hang-up under it, so the visitor keeps talking (and can
 * end the call, which stops the paid session) while reading the page or another tab.
 *
 * A document of its own: nothing of the page or of the element's shadow root applies there,
 * so it gets its own sheet (constructed in that window's realm: a sheet can only be adopted by
 * documents of the window that made it, and constructed sheets pass a Content-Security-Policy
 * without `style-src 'unsafe-inline'`), and the widget's direction and theme are copied over.
 */
import { element, icon } from '../conversation/dom.js';
import { HANG_UP_ICON, MICROPHONE_ICON, MICROPHONE_OFF_ICON } from './icons.js';
import { FLOATING_WINDOW_CSS } from './picture-in-picture.styles.js';

/** What the window shows. */
export interface FloatingWindowModel {
  name: string;
  /** The panel's status line, as it reads now. */
  status: string;
  microphoneOn: boolean;
  /** The microphone toggle works in this state. */
  microphoneUsable: boolean;
  microphoneLabel: string;
  /** Hang-up works in this state. */
  hangUpUsable: boolean;
  hangUpLabel: string;
  /** The answer to "Still there?" while it is asked, or '' (no button). */
  continueLabel: string;
}

/** What the visitor does in the window. */
export interface FloatingWindowActions {
  onToggleMicrophone(): void;
  onHangUp(): void;
  /** Answers "Still there?". */
  onContinue(): void;
}

/** How the widget looks, for the window to look the same. */
export interface FloatingWindowLook {
  /** `ltr` or `rtl`: the panel's. */
  direction: string;
  /** The theme's private custom properties and their values in the panel. */
  theme: ReadonlyArray<readonly [string, string]>;
}

/** The contents of one floating window. */
export class FloatingWindow {
  readonly #window: Window;
  readonly #name: HTMLParagraphElement;
  readonly #status: HTMLParagraphElement;
  readonly #stage: HTMLDivElement;
  readonly #microphone: HTMLButtonElement;
  readonly #hangUp: HTMLButtonElement;
  readonly #continue: HTMLButtonElement;
  readonly #controls: HTMLDivElement;
  #microphoneOn: boolean | undefined;

  constructor(floating: Window, look: FloatingWindowLook, actions: FloatingWindowActions) {
    this.#window = floating;
    const { document: page } = floating;
    const sheet = new (floating as Window & typeof globalThis).CSSStyleSheet();
    sheet.replaceSync(FLOATING_WINDOW_CSS);
    page.adoptedStyleSheets = [sheet];
    page.documentElement.dir = look.direction;
    // Through the CSSOM, not a style attribute: a Content-Security-Policy allows it.
    for (const [name, value] of look.theme) page.documentElement.style.setProperty(name, value);

    // dir="auto": the name and the status keep their own direction (a Latin name on an Arabic page).
    this.#name = element('p', { class: 'name', dir: 'auto' });
    this.#status = element('p', { class: 'status', dir: 'auto' });
    this.#stage = element('div', { class: 'stage' });
    this.#microphone = element('button', { class: 'mic', part: 'mic-button', type: 'button' });
    this.#hangUp = element('button', { class: 'hangup', part: 'hangup-button', type: 'button' }, icon(HANG_UP_ICON));
    this.#continue = element('button', { class: 'continue', part: 'continue-button', type: 'button', dir: 'auto' });
    this.#controls = element('div', { class: 'controls' }, this.#microphone, this.#hangUp);
    this.#microphone.addEventListener('click', actions.onToggleMicrophone);
    this.#hangUp.addEventListener('click', actions.onHangUp);
    this.#continue.addEventListener('click', actions.onContinue);
    page.body.replaceChildren(element('header', { class: 'header' }, this.#name, this.#status), this.#stage, this.#controls);
  }

  /** Puts the avatar's video in the window: it leaves the panel (one element, one decoder, one picture). */
  show(video: HTMLVideoElement): void {
    if (video.parentNode !== this.#stage) this.#stage.replaceChildren(video);
  }

  /** Brings the window up to date with `model` (touching only what changed). */
  render(model: FloatingWindowModel): void {
    const page = this.#window.document;
    if (page.title !== model.name) page.title = model.name;
    setText(this.#name, model.name);
    setText(this.#status, model.status);
    if (model.microphoneOn !== this.#microphoneOn) {
      this.#microphoneOn = model.microphoneOn;
      this.#microphone.replaceChildren(icon(model.microphoneOn ? MICROPHONE_ICON : MICROPHONE_OFF_ICON));
    }
    this.#microphone.setAttribute('aria-pressed', String(model.microphoneOn));
    this.#microphone.disabled = !model.microphoneUsable;
    setLabel(this.#microphone, model.microphoneLabel);
    this.#hangUp.disabled = !model.hangUpUsable;
    setLabel(this.#hangUp, model.hangUpLabel);
    // Absent rather than hidden, as in the panel: first, the way back into the call.
    if (!model.continueLabel) this.#continue.remove();
    else {
      setText(this.#continue, model.continueLabel);
      if (this.#controls.firstChild !== this.#continue) this.#controls.prepend(this.#continue);
    }
  }

  /** Closes the window (its `pagehide` follows). */
  close(): void {
    this.#window.close();
  }
}

function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

function setLabel(button: HTMLButtonElement, label: string): void {
  if (button.getAttribute('aria-label') === label) return;
  button.setAttribute('aria-label', label);
  button.title = label;
}
