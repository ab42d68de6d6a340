/**
 * The devices button and its menu, at the end of the panel's controls: the microphone (when
 * there is more than one), the avatar's volume and a mute for its voice, and the speaker
 * (where the browser can choose one). Below it a short notice that is also a polite live
 * region ("Microphone disconnected. Now using …").
 *
 * Plain DOM, like the conversation's views (../conversation/): the launcher's Lit renders the
 * controls and never touches nodes it did not create, so this block, appended after Lit's
 * own content, stays. Its menu is positioned over the panel, above the controls (whose
 * `position: relative` the call's styles set), so it fits the 360 px panel and a phone's.
 */
import { element, icon } from '../conversation/dom.js';
import type { ConversationStrings } from '../conversation/strings.js';

/** An entry of a device list, named for the visitor. */
export interface DeviceOption {
  id: string;
  name: string;
}

/** What the menu shows. */
export interface DeviceMenuModel {
  strings: ConversationStrings;
  /** The microphones to choose from: the list shows only when there are two or more. */
  microphones: readonly DeviceOption[];
  /** The microphone in use, if it is one of them. */
  microphone: string | undefined;
  /** The speakers to choose from (none where the browser cannot choose): shown from two. */
  speakers: readonly DeviceOption[];
  speaker: string | undefined;
  /** The avatar's volume, 0…1. */
  volume: number;
  muted: boolean;
}

/** What the visitor does in the menu. */
export interface DeviceMenuActions {
  onMicrophone(id: string): void;
  onSpeaker(id: string): void;
  onVolume(volume: number): void;
  onMute(muted: boolean): void;
}

const MENU_ID = 'equos-devices-menu';
const SETTINGS_ICON = 'M4 7h9M17 7h3M15 5v4M4 17h3M11 17h9M9 15v4';
const VOICE_ICON = 'M11 5 6 9H3v6h3l5 4zM15.5 8.5a5 5 0 0 1 0 7M18.5 5.5a9 9 0 0 1 0 13';
const VOICE_OFF_ICON = 'M11 5 6 9H3v6h3l5 4zM16 9l6 6M22 9l-6 6';
/** How long the notice stays on screen (it is read at once; the visitor may be looking away). */
const NOTICE_MS = 6000;

/** The devices block of one `<equos-avatar>`. */
export class DeviceMenuView {
  /** The block, placed at the end of the panel's controls by `mountIn`. */
  readonly root: HTMLDivElement;
  readonly #button: HTMLButtonElement;
  readonly #menu: HTMLDivElement;
  readonly #microphoneField: HTMLLabelElement;
  readonly #microphoneLabel: HTMLSpanElement;
  readonly #microphone: HTMLSelectElement;
  readonly #speakerField: HTMLLabelElement;
  readonly #speakerLabel: HTMLSpanElement;
  readonly #speaker: HTMLSelectElement;
  readonly #mute: HTMLButtonElement;
  readonly #voiceIcon = icon(VOICE_ICON);
  readonly #voiceOffIcon = icon(VOICE_OFF_ICON);
  readonly #volume: HTMLInputElement;
  readonly #notice: HTMLParagraphElement;
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;
  #strings: ConversationStrings | undefined;

  constructor(actions: DeviceMenuActions) {
    this.#button = element('button', { class: 'devices__button', part: 'devices-button', type: 'button', 'aria-expanded': 'false', 'aria-controls': MENU_ID }, icon(SETTINGS_ICON));
    this.#microphoneLabel = element('span', { class: 'devices__label' });
    this.#microphone = element('select', { class: 'devices__select', part: 'microphone-select' });
    this.#microphoneField = element('label', { class: 'devices__field' }, this.#microphoneLabel, this.#microphone);
    this.#mute = element('button', { class: 'devices__mute', part: 'speaker-button', type: 'button', 'aria-pressed': 'false' });
    this.#volume = element('input', { class: 'devices__volume', part: 'volume', type: 'range', min: '0', max: '100', step: '5' });
    this.#speakerLabel = element('span', { class: 'devices__label' });
    this.#speaker = element('select', { class: 'devices__select', part: 'speaker-select' });
    this.#speakerField = element('label', { class: 'devices__field' }, this.#speakerLabel, this.#speaker);
    this.#menu = element(
      'div',
      { id: MENU_ID, class: 'devices__menu', part: 'devices-menu', role: 'group', hidden: '' },
      this.#microphoneField,
      element('div', { class: 'devices__voice' }, this.#mute, this.#volume),
      this.#speakerField,
    );
    // A polite live region without role="status": the panel's own status region stays the one of that role.
    this.#notice = element('p', { class: 'devices__notice', part: 'devices-notice', 'aria-live': 'polite', dir: 'auto' });
    this.root = element('div', { class: 'devices' }, this.#button, this.#menu, this.#notice);

    this.#button.addEventListener('click', () => this.#toggle(this.#menu.hidden));
    this.#microphone.addEventListener('change', () => actions.onMicrophone(this.#microphone.value));
    this.#speaker.addEventListener('change', () => actions.onSpeaker(this.#speaker.value));
    this.#volume.addEventListener('input', () => actions.onVolume(Number(this.#volume.value) / 100));
    this.#mute.addEventListener('click', () => actions.onMute(this.#mute.getAttribute('aria-pressed') !== 'true'));
    // Escape closes the menu, not the panel, and gives the focus back to its button.
    this.root.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || this.#menu.hidden) return;
      event.stopPropagation();
      this.#toggle(false);
      this.#button.focus();
    });
    // Focus gone elsewhere (Tab past the menu, a click outside it): the menu is done with.
    this.root.addEventListener('focusout', (event) => {
      if (!this.root.contains(event.relatedTarget as Node | null)) this.#toggle(false);
    });
  }

  /** Puts the block at the end of the panel's controls, if it is not there; false when the panel has not rendered yet. */
  mountIn(renderRoot: ParentNode): boolean {
    const controls = renderRoot.querySelector('.panel > .controls');
    if (!controls) return false;
    if (controls.lastChild !== this.root) controls.append(this.root);
    return true;
  }

  /** Takes the block out of the panel (no call: nothing of it stays in the DOM), closed and quiet. */
  unmount(): void {
    this.#toggle(false);
    this.#clearNotice();
    this.root.remove();
  }

  /** Brings the DOM up to date with `model`. */
  render(model: DeviceMenuModel): void {
    if (model.strings !== this.#strings) this.#relabel(model.strings);
    this.#microphoneField.hidden = model.microphones.length < 2;
    fill(this.#microphone, model.microphones, model.microphone);
    this.#speakerField.hidden = model.speakers.length < 2;
    fill(this.#speaker, model.speakers, model.speaker);
    this.#mute.setAttribute('aria-pressed', String(model.muted));
    // Swapped only when it changes: this runs on every render of a call.
    const icon = model.muted ? this.#voiceOffIcon : this.#voiceIcon;
    if (this.#mute.firstChild !== icon) this.#mute.replaceChildren(icon);
    const volume = String(Math.round(model.volume * 100));
    if (this.#volume.value !== volume) this.#volume.value = volume;
  }

  /** Shows `text` for a few seconds, and says it to screen readers, politely. */
  notify(text: string): void {
    this.#clearNotice();
    // A repeated sentence must still be read: cleared now, set on the next frame.
    requestAnimationFrame(() => {
      this.#notice.textContent = text;
      this.#noticeTimer = setTimeout(() => this.#clearNotice(), NOTICE_MS);
    });
  }

  #clearNotice(): void {
    clearTimeout(this.#noticeTimer);
    this.#notice.textContent = '';
  }

  #toggle(open: boolean): void {
    if (open === !this.#menu.hidden) return;
    this.#menu.hidden = !open;
    this.#button.setAttribute('aria-expanded', String(open));
    // Opened: straight to its first control, so the keyboard is where the choices are.
    if (open) this.#menu.querySelector<HTMLElement>('.devices__field:not([hidden]) select, button')?.focus();
  }

  #relabel(strings: ConversationStrings): void {
    this.#strings = strings;
    this.#button.setAttribute('aria-label', strings.devices);
    this.#button.title = strings.devices;
    this.#menu.setAttribute('aria-label', strings.devices);
    this.#microphoneLabel.textContent = strings.microphoneChoice;
    this.#speakerLabel.textContent = strings.speakerChoice;
    this.#mute.setAttribute('aria-label', strings.muteVoice);
    this.#mute.title = strings.muteVoice;
    this.#volume.setAttribute('aria-label', strings.volume);
  }
}

/** Makes `select` list `options` with `selected` chosen, touching it only when something changed (an open list stays open). */
function fill(select: HTMLSelectElement, options: readonly DeviceOption[], selected: string | undefined): void {
  const same = select.options.length === options.length && options.every((option, index) => select.options[index]!.value === option.id && select.options[index]!.text === option.name);
  if (!same) select.replaceChildren(...options.map((option) => element('option', { value: option.id }, document.createTextNode(option.name))));
  const value = selected ?? '';
  if (select.value !== value) select.value = value;
}
