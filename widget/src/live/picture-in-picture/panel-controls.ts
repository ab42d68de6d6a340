/**
 * What Picture-in-Picture adds to the panel: its toggle, after the panel's own controls, and
 * while the avatar's video plays in a floating document, a note in its place on the stage.
 * Plain DOM beside what the launcher's Lit renders, which never touches nodes it did not
 * create: the toggle goes after Lit's content in `.controls` (Lit removes it with the rest when
 * the controls change template, at the end of a call; it is put back when it shows again) and
 * the note before Lit's content in `.stage`.
 */
import { element, icon } from '../conversation/dom.js';
import { PICTURE_IN_PICTURE_ICON } from './icons.js';

/** What the panel's parts show. */
export interface PanelControlsModel {
  /** The toggle shows: the video is on the stage and the browser can float it, or it floats. */
  toggle: boolean;
  /** A floating window is open (the toggle is pressed). */
  open: boolean;
  label: string;
  /** The note on the stage, or '' for none. */
  note: string;
}

/** The Picture-in-Picture toggle and stage note of one `<equos-avatar>`. */
export class PanelControls {
  readonly #toggle: HTMLButtonElement;
  readonly #note: HTMLParagraphElement;

  constructor(onToggle: () => void) {
    this.#toggle = element('button', { class: 'round round--float', part: 'picture-in-picture-button', type: 'button' }, icon(PICTURE_IN_PICTURE_ICON));
    this.#toggle.addEventListener('click', onToggle);
    this.#note = element('p', { class: 'stage__floating', part: 'picture-in-picture-note', dir: 'auto' });
  }

  /** Brings the panel in `renderRoot` up to date with `model` (nothing before the panel has rendered). */
  render(renderRoot: ParentNode, model: PanelControlsModel): void {
    const controls = renderRoot.querySelector('.panel > .controls');
    const stage = renderRoot.querySelector('.panel > .stage');
    if (!model.toggle || !controls) this.#toggle.remove();
    else {
      // After Lit's content; not necessarily last: other plain-DOM blocks go there too, and
      // moving a focused button would take its focus.
      if (this.#toggle.parentNode !== controls) controls.append(this.#toggle);
      this.#toggle.setAttribute('aria-pressed', String(model.open));
      if (this.#toggle.getAttribute('aria-label') !== model.label) {
        this.#toggle.setAttribute('aria-label', model.label);
        this.#toggle.title = model.label;
      }
    }
    if (!model.note || !stage) this.#note.remove();
    else {
      if (this.#note.textContent !== model.note) this.#note.textContent = model.note;
      if (this.#note.parentNode !== stage) stage.prepend(this.#note);
    }
  }
}
