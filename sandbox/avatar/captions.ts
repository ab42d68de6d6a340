/**
 * The words of the demo avatar's conversation as the page's transcript shows them, and how a
 * line's words are revealed while its audio plays. Pure: no clock, no room.
 *
 * The sandbox has no speech recognition and no speech synthesis at run time, so the captions
 * say honestly what they can: the visitor's speech is described ("spoke for 2.4 s"), the echo
 * is labelled, and a reply's answer lives in its transcript (the spoken line says so).
 */
import { MAX_CONTEXT_CHARS, MAX_TYPED_CHARS } from '../../contract/equos/realtime.js';

/** The echo's caption: the avatar cannot write down words it did not recognise. */
export const ECHO_CAPTION = '(your words, played back)';

/** Longest part of the page context a reply quotes back, in characters (captions stay short). */
export const QUOTED_CONTEXT_CHARS = 200;

/** One step of a line being revealed: show `content` once `atMs` of its audio has played. */
export interface PartialStep {
  atMs: number;
  content: string;
}

/** Fewer steps than words on short lines: a caption that changes faster than this only flickers. */
const MIN_STEP_MS = 200;

/**
 * The partials of a line: its words revealed in order, spread evenly over its audio, the first
 * at 0 ms. The last step holds every word; the caller sends the finished line when the audio
 * ends. Each step's content is a prefix of `text`, so its spacing and punctuation are kept.
 *
 * @param durationMs how long the line's audio plays
 * @example
 * partialSteps('Here is what I heard:', 1520);
 * // [{ atMs: 0, content: 'Here' }, { atMs: 304, content: 'Here is' }, …, { atMs: 1216, content: 'Here is what I heard:' }]
 */
export function partialSteps(text: string, durationMs: number): PartialStep[] {
  const wordEnds = [...text.matchAll(/\S+/g)].map((match) => match.index + match[0].length);
  if (wordEnds.length === 0) return [];
  const count = Math.max(1, Math.min(wordEnds.length, Math.floor(durationMs / MIN_STEP_MS)));
  return Array.from({ length: count }, (_, step) => ({
    atMs: Math.round((durationMs * step) / count),
    content: text.slice(0, wordEnds[Math.ceil((wordEnds.length * (step + 1)) / count) - 1]),
  }));
}

/**
 * `text` on one line: control characters and runs of white space become one space, and past
 * `maxChars` it is cut with an ellipsis. What the page sends is shown back inside a caption,
 * never interpreted.
 */
export function oneLine(text: string, maxChars: number): string {
  // Control characters (C0, DEL, C1) and bidirectional overrides would break the caption's
  // layout or disguise its text.
  const flat = text.replace(/[\s\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
  return flat.length <= maxChars ? flat : `${flat.slice(0, maxChars - 1).trimEnd()}…`;
}

/** The page context as the avatar keeps it: one line, at most MAX_CONTEXT_CHARS. */
export function keptContext(content: string): string | undefined {
  return oneLine(content, MAX_CONTEXT_CHARS) || undefined;
}

/** What the visitor typed as the avatar reads it: one line, at most MAX_TYPED_CHARS. */
export function keptTyped(text: string): string | undefined {
  return oneLine(text, MAX_TYPED_CHARS) || undefined;
}

/**
 * The transcript of a reply to typed text: the spoken line's words, then the answer the audio
 * cannot say: the visitor's words quoted and, when the page told the avatar where the visitor
 * is, that place. The context is quoted as data, whatever it says.
 *
 * @example
 * replyCaption('Thanks for your message. My answer is in the transcript.', 'hello', 'Pricing page');
 * // 'Thanks for your message. My answer is in the transcript. You wrote: "hello". You\'re on: Pricing page.'
 */
export function replyCaption(spoken: string, typed: string, context: string | undefined): string {
  const where = context ? ` You're on: ${withFullStop(oneLine(context, QUOTED_CONTEXT_CHARS))}` : '';
  return `${spoken} You wrote: "${typed}".${where}`;
}

/**
 * The user utterance for speech the avatar heard: how long, not what (no speech recognition).
 *
 * @example
 * heardCaption(2430); // '(spoke for 2.4 s)'
 */
export function heardCaption(spokeForMs: number): string {
  return `(spoke for ${(Math.max(0, spokeForMs) / 1000).toFixed(1)} s)`;
}

function withFullStop(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}
