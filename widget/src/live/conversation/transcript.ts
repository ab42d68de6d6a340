/**
 * The conversation as text: every line both sides said, and the caption of what the avatar is
 * saying now. Pure (no DOM, no clock of its own): the conversation controller feeds it the
 * avatar's utterances and the visitor's typed lines, and renders what it holds.
 *
 * Utterances arrive as partials (the same line growing) until one is `finished`; a partial
 * updates the author's open line in place, so the transcript never shows a line twice.
 */
import type { Utterance } from '../../../../contract/equos/realtime.js';

/** Who said a line. */
export type Author = Utterance['author'];

/** One line of the transcript. */
export interface TranscriptLine {
  /** Stable for the line's life (the view keys its element by it). */
  readonly id: number;
  readonly author: Author;
  text: string;
  finished: boolean;
  /** Cut off by an interrupt before it was finished. */
  interrupted: boolean;
  /** Typed by the visitor (not heard by the avatar's speech recognition). */
  readonly typed: boolean;
}

/** The avatar's caption: the line it is saying, until it has stayed up long enough. */
export interface Caption {
  lineId: number;
  text: string;
  /** Local clock (ms) after which a finished caption is taken down; absent while being said. */
  until?: number;
}

/** Longest caption shown, in characters: about two lines over the video; a longer line shows its end. */
export const CAPTION_MAX_CHARS = 110;

/**
 * What a caption shows of a line: the end of it, as subtitles do, since the newest words are
 * the ones being heard; cut at a word, with an ellipsis in front.
 */
export function captionText(text: string, maxChars: number = CAPTION_MAX_CHARS): string {
  if (text.length <= maxChars) return text;
  const tail = text.slice(text.length - maxChars);
  const space = tail.indexOf(' ');
  return `…${space > 0 && space < maxChars / 3 ? tail.slice(space + 1) : tail}`;
}

/** How long a finished caption stays up, in ms: enough to read the end of a line. */
export const CAPTION_LINGER_MS = 4000;
/** Lines kept; older ones drop off the top (a long call must not grow the DOM without end). */
export const MAX_LINES = 200;

/** The transcript of one call. */
export class Transcript {
  readonly lines: TranscriptLine[] = [];
  caption: Caption | undefined;
  #nextId = 1;

  /** Applies an utterance; returns the line it created or changed. */
  applyUtterance(utterance: Utterance, now: number): TranscriptLine {
    const open = this.#openLineOf(utterance.author);
    const line = open ?? this.#add(utterance.author, false);
    line.text = utterance.content;
    line.finished = utterance.finished;
    if (utterance.author === 'agent') {
      this.caption = { lineId: line.id, text: line.text, ...(utterance.finished ? { until: now + CAPTION_LINGER_MS } : {}) };
    }
    return line;
  }

  /** Adds what the visitor typed. */
  addTyped(text: string): TranscriptLine {
    const line = this.#add('user', true);
    line.text = text;
    line.finished = true;
    return line;
  }

  /** The avatar was cut off: its open line ends where it was, and the caption comes down. */
  interrupt(): void {
    const open = this.#openLineOf('agent');
    if (open) {
      open.finished = true;
      open.interrupted = true;
    }
    this.caption = undefined;
  }

  /** Takes down a finished caption whose time is up; returns whether it did. */
  expireCaption(now: number): boolean {
    if (this.caption?.until === undefined || now < this.caption.until) return false;
    this.caption = undefined;
    return true;
  }

  /** The transcript as plain text, one `Name: line` per line, for copying. */
  toText(nameOf: (author: Author) => string): string {
    return this.lines.map((line) => `${nameOf(line.author)}: ${line.text}`).join('\n');
  }

  #openLineOf(author: Author): TranscriptLine | undefined {
    for (let index = this.lines.length - 1; index >= 0; index -= 1) {
      const line = this.lines[index]!;
      if (line.author === author && !line.typed) return line.finished ? undefined : line;
    }
    return undefined;
  }

  #add(author: Author, typed: boolean): TranscriptLine {
    const line: TranscriptLine = { id: this.#nextId++, author, text: '', finished: false, interrupted: false, typed };
    this.lines.push(line);
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES);
    return line;
  }
}
