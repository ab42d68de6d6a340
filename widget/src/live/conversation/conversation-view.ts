/**
 * The conversation's text side below the avatar's video: the transcript (`role="log"`), the
 * box to type in with the captions and transcript toggles, a standing notice, and a polite
 * announcer. Plain DOM rather than Lit templates: it travels in the widget's second file,
 * which does not carry Lit, and the panel the launcher's Lit renders never touches nodes it
 * did not create, so this block sits safely between the panel's stage and its controls.
 */
import { MAX_TYPED_CHARS } from '../../../../contract/equos/realtime.js';
import { element, icon } from './dom.js';
import type { TranscriptLine } from './transcript.js';
import type { ConversationStrings } from './strings.js';

/** What the view shows. */
export interface ConversationModel {
  strings: ConversationStrings;
  avatarName: string;
  /** The block is shown at all (a call is on, or one just ended with a transcript to read). */
  visible: boolean;
  /** The text box: absent (no call), shown but disabled (no avatar to read it yet), or usable. */
  typing: 'hidden' | 'disabled' | 'enabled';
  captionsOn: boolean;
  transcriptOpen: boolean;
  lines: readonly TranscriptLine[];
  /** A standing note (the call goes ahead without a microphone), or none. */
  notice: string | undefined;
}

/** What the visitor does in the view. */
export interface ConversationActions {
  onSend(text: string): void;
  onToggleCaptions(): void;
  onToggleTranscript(): void;
  onCopy(): void;
}

const CAPTIONS_ICON = 'M3 6h18v12H3zM10 10.5a2 2 0 1 0 0 3M17 10.5a2 2 0 1 0 0 3';
const TRANSCRIPT_ICON = 'M5 6h14M5 10h14M5 14h9M5 18h6';
const SEND_ICON = 'M4 12l16-8-6 16-2.5-6.5z';
const COPY_ICON = 'M9 9h11v11H9zM5 15V4h11';

/** The conversation block of one `<equos-avatar>`. */
export class ConversationView {
  /** The block, placed in the panel by `mountIn`. */
  readonly root: HTMLDivElement;
  readonly #transcript: HTMLDivElement;
  readonly #notice: HTMLParagraphElement;
  readonly #form: HTMLFormElement;
  readonly #input: HTMLInputElement;
  readonly #send: HTMLButtonElement;
  readonly #captionsButton: HTMLButtonElement;
  readonly #transcriptButton: HTMLButtonElement;
  readonly #copyButton: HTMLButtonElement;
  readonly #announcer: HTMLDivElement;
  readonly #lineElements = new Map<number, HTMLParagraphElement>();
  #strings: ConversationStrings | undefined;

  constructor(actions: ConversationActions) {
    this.#transcript = element('div', { id: 'equos-transcript', class: 'transcript', part: 'transcript', role: 'log', tabindex: '0' });
    this.#notice = element('p', { class: 'conversation__notice', part: 'notice', dir: 'auto' });
    this.#captionsButton = element('button', { class: 'chip', part: 'captions-button', type: 'button' }, icon(CAPTIONS_ICON));
    this.#transcriptButton = element('button', { class: 'chip', part: 'transcript-button', type: 'button', 'aria-controls': 'equos-transcript' }, icon(TRANSCRIPT_ICON));
    this.#copyButton = element('button', { class: 'chip', part: 'copy-button', type: 'button' }, icon(COPY_ICON));
    this.#input = element('input', { class: 'compose__input', part: 'text-input', type: 'text', enterkeyhint: 'send', autocomplete: 'off', maxlength: String(MAX_TYPED_CHARS) });
    this.#send = element('button', { class: 'compose__send', part: 'send-button', type: 'submit' }, icon(SEND_ICON));
    this.#form = element('form', { class: 'compose', part: 'compose' }, this.#captionsButton, this.#transcriptButton, this.#copyButton, this.#input, this.#send);
    this.#announcer = element('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
    this.root = element('div', { class: 'conversation', part: 'conversation' }, this.#transcript, this.#notice, this.#form, this.#announcer);

    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.#input.value.trim();
      if (!text) return;
      this.#input.value = '';
      actions.onSend(text);
    });
    this.#captionsButton.addEventListener('click', actions.onToggleCaptions);
    this.#transcriptButton.addEventListener('click', actions.onToggleTranscript);
    this.#copyButton.addEventListener('click', actions.onCopy);
  }

  /**
   * Puts the block between the panel's stage and its controls, if it is not there already.
   * Returns false when the panel has not rendered yet.
   */
  mountIn(renderRoot: ParentNode): boolean {
    const controls = renderRoot.querySelector('.panel > .controls');
    if (!controls) return false;
    if (this.root.nextElementSibling !== controls) controls.before(this.root);
    return true;
  }

  /** Brings the DOM up to date with `model` (touching only what changed). */
  render(model: ConversationModel): void {
    const { strings } = model;
    if (strings !== this.#strings) this.#relabel(strings);
    this.root.hidden = !model.visible;

    this.#captionsButton.setAttribute('aria-pressed', String(model.captionsOn));

    this.#transcriptButton.setAttribute('aria-expanded', String(model.transcriptOpen));
    this.#transcript.hidden = !model.transcriptOpen;
    this.#copyButton.hidden = !model.transcriptOpen || model.lines.length === 0;
    this.#renderLines(model);

    this.#notice.textContent = model.notice ?? '';
    this.#notice.hidden = !model.notice;

    this.#input.hidden = this.#send.hidden = model.typing === 'hidden';
    this.#input.disabled = this.#send.disabled = model.typing !== 'enabled';
    this.#input.placeholder = strings.typeTo(model.avatarName);
  }

  /** Says `text` to screen readers, politely. */
  announce(text: string): void {
    // A repeated sentence must still be read: clear, then set on the next frame.
    this.#announcer.textContent = '';
    requestAnimationFrame(() => (this.#announcer.textContent = text));
  }

  /** Puts focus in the text box (after sending, so the visitor can go on typing). */
  focusInput(): void {
    this.#input.focus();
  }

  #relabel(strings: ConversationStrings): void {
    this.#strings = strings;
    this.#captionsButton.setAttribute('aria-label', strings.captions);
    this.#captionsButton.title = strings.captions;
    this.#transcriptButton.setAttribute('aria-label', strings.transcript);
    this.#transcriptButton.title = strings.transcript;
    this.#copyButton.setAttribute('aria-label', strings.copy);
    this.#copyButton.title = strings.copy;
    this.#transcript.setAttribute('aria-label', strings.transcript);
    this.#input.setAttribute('aria-label', strings.typeMessage);
    this.#send.setAttribute('aria-label', strings.send);
    this.#send.title = strings.send;
  }

  #renderLines(model: ConversationModel): void {
    const keep = new Set(model.lines.map((line) => line.id));
    for (const [id, node] of this.#lineElements) {
      if (!keep.has(id)) {
        node.remove();
        this.#lineElements.delete(id);
      }
    }
    // Follow new lines only when the visitor has not scrolled up to read an older one.
    const log = this.#transcript;
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
    for (const line of model.lines) {
      let node = this.#lineElements.get(line.id);
      if (!node) {
        const who = element('span', { class: 'line__who' });
        node = element('p', { class: `line line--${line.author}`, part: `line line-${line.author}` }, who, element('span', { class: 'line__text', dir: 'auto' }));
        this.#lineElements.set(line.id, node);
        log.append(node);
      }
      const who = line.author === 'agent' ? model.avatarName : model.strings.you;
      const [whoNode, textNode] = node.children as unknown as [HTMLElement, HTMLElement];
      if (whoNode.textContent !== who) whoNode.textContent = who;
      if (textNode.textContent !== line.text) textNode.textContent = line.text;
      node.classList.toggle('line--partial', !line.finished);
      node.classList.toggle('line--interrupted', line.interrupted);
    }
    // Screen readers wait for a line being said to finish instead of reading every partial.
    log.setAttribute('aria-busy', String(model.lines.some((line) => !line.finished)));
    if (atBottom && !log.hidden) log.scrollTop = log.scrollHeight;
  }
}
