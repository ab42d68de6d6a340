/**
 * What a call shows over the avatar's video: captions of what it is saying, a badge while it
 * speaks, and the time left. Plain DOM placed at the start of the panel's stage, before the
 * marker of the part the launcher's Lit renders there, so Lit never clears it.
 */
import { element } from './dom.js';

/** What the stage shows. */
export interface StageModel {
  /** The caption, or '' for none (captions off, or nothing being said). */
  caption: string;
  speaking: boolean;
  /** The countdown's text, or '' when it does not show. */
  timeLeft: string;
}

/** The overlay of one `<equos-avatar>`'s stage. */
export class StageView {
  readonly root: HTMLDivElement;
  readonly #caption: HTMLParagraphElement;
  readonly #captions: HTMLDivElement;
  readonly #speaking: HTMLSpanElement;
  readonly #time: HTMLSpanElement;

  constructor() {
    // dir="auto": each line takes the direction of its own words (an English line on an Arabic page).
    this.#caption = element('p', { class: 'captions__text', dir: 'auto' });
    this.#captions = element('div', { class: 'captions', part: 'captions' }, this.#caption);
    this.#speaking = element('span', { class: 'badge badge--speaking', 'aria-hidden': 'true' }, element('span', { class: 'bars' }, ...[1, 2, 3, 4, 5].map(() => element('span', {}))));
    this.#time = element('span', { class: 'badge badge--time', part: 'countdown' });
    this.root = element('div', { class: 'stage__overlay' });
  }

  /** Puts the overlay at the start of the stage; false when the panel has not rendered yet. */
  mountIn(renderRoot: ParentNode): boolean {
    const stage = renderRoot.querySelector('.panel > .stage');
    if (!stage) return false;
    if (stage.firstChild !== this.root) stage.prepend(this.root);
    return true;
  }

  render(model: StageModel): void {
    if (this.#caption.textContent !== model.caption) this.#caption.textContent = model.caption;
    if (this.#time.textContent !== model.timeLeft) this.#time.textContent = model.timeLeft;
    // Absent rather than hidden: what is not showing is not in the DOM (nor in a page's queries).
    this.#place(this.#speaking, model.speaking);
    this.#place(this.#time, !!model.timeLeft);
    this.#place(this.#captions, !!model.caption);
  }

  #place(node: HTMLElement, shown: boolean): void {
    if (!shown) node.remove();
    else if (node.parentNode !== this.root) this.root.append(node);
  }
}
