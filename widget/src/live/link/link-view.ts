/**
 * What a joined call shows of its link: the connection's quality as LiveKit reports it
 * (signal bars with a label, in the panel's header beside the minimise button), and under the
 * stage a note with the offer that goes with it (audio only on a weak link, the video back
 * without it), read politely when it appears. Plain DOM placed among the panel's Lit-rendered
 * parts (never inside them), like the conversation's (../conversation/conversation-view.ts).
 */
import type { Quality } from '../../call/link.js';
import { element } from '../conversation/dom.js';

/** What the view shows. */
export interface LinkModel {
  /** The quality, or `unknown` before the first report (then no indicator). */
  quality: Quality;
  /** The indicator's label for `quality`. */
  label: string;
  /** The note under the stage and its button's label ('' for no button), or none. */
  note: { text: string; offer: string } | undefined;
}

/** How many of the four bars each quality fills. */
const BARS: Record<Quality, number> = { excellent: 4, good: 3, poor: 1, lost: 0, unknown: 0 };

/** The link's parts of one `<equos-avatar>`'s panel. */
export class LinkView {
  readonly #indicator: HTMLSpanElement;
  readonly #bars: HTMLSpanElement[];
  readonly #note: HTMLDivElement;
  readonly #text: HTMLParagraphElement;
  readonly #offer: HTMLButtonElement;

  constructor(onOffer: () => void) {
    this.#bars = [1, 2, 3, 4].map(() => element('span', {}));
    this.#indicator = element('span', { class: 'quality', part: 'quality', role: 'img' }, ...this.#bars);
    this.#text = element('p', { class: 'link-note__text', dir: 'auto' });
    this.#offer = element('button', { class: 'link-note__offer', part: 'link-button', type: 'button' });
    this.#offer.addEventListener('click', onOffer);
    // A polite region of its own: the note is read when it appears or changes, not on every render.
    this.#note = element('div', { class: 'link-note', part: 'link-note', role: 'status', 'aria-live': 'polite' }, this.#text, this.#offer);
  }

  /**
   * Puts the indicator at the end of the panel's header and the note right after its stage,
   * if they are not there already. Returns false when the panel has not rendered yet.
   */
  mountIn(renderRoot: ParentNode): boolean {
    const header = renderRoot.querySelector('.panel > .panel__header');
    const stage = renderRoot.querySelector('.panel > .stage');
    if (!header || !stage) return false;
    if (this.#indicator.parentNode !== header) header.append(this.#indicator);
    if (this.#note.previousElementSibling !== stage) stage.after(this.#note);
    return true;
  }

  /** Shows `model`, or nothing (`undefined`: the call is not joined to a room). */
  render(model: LinkModel | undefined): void {
    this.#indicator.hidden = !model || model.quality === 'unknown';
    this.#note.hidden = !model?.note;
    if (!model) return;
    this.#indicator.dataset.quality = model.quality;
    if (this.#indicator.getAttribute('aria-label') !== model.label) {
      this.#indicator.setAttribute('aria-label', model.label);
      this.#indicator.title = model.label;
    }
    this.#bars.forEach((bar, index) => bar.classList.toggle('on', index < BARS[model.quality]));
    if (!model.note) return;
    if (this.#text.textContent !== model.note.text) this.#text.textContent = model.note.text;
    this.#offer.hidden = !model.note.offer;
    if (this.#offer.textContent !== model.note.offer) this.#offer.textContent = model.note.offer;
  }
}
