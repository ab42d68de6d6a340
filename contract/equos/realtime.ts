/**
 * Equos' real-time channel: the JSON messages an Equos avatar and the page exchange over
 * LiveKit user data packets on the topic `equos_event`, published reliably. Both sides of this
 * project read and write them through this file: the widget (its second file) and the
 * sandbox's demo avatar.
 *
 * Parsing is strict about shape and lenient about extras: a message of an unknown type, or
 * one missing a field this product needs, parses to `undefined` and is ignored, because a
 * newer avatar may send more than we know and a page must never break on it.
 *
 * @see ../../../shared/reference/equos-api.md ("The real-time channel")
 */

/** The data topic of every message. */
export const EQUOS_TOPIC = 'equos_event';

/** Longest page context the widget sends, in characters (the avatar reads it every turn). */
export const MAX_CONTEXT_CHARS = 2000;
/** Longest typed message, in characters. */
export const MAX_TYPED_CHARS = 500;

/** Page → avatar. */
export type PageMessage =
  /** What the page knows (product, page, visitor state): information, not instructions. */
  | { type: 'context'; content: string }
  /**
   * The visitor typed this. The avatar answers it but sends no `user` utterance back for it:
   * the page shows what it typed itself (user utterances are for speech the avatar heard).
   */
  | { type: 'usr.txt'; text: string };

/** One line of the conversation, sent as partials (growing `content`) until `finished`. */
export interface Utterance {
  author: 'agent' | 'user';
  content: string;
  /** ISO 8601: when the line started. */
  recordedAt: string;
  finished: boolean;
}

/** Avatar → page. */
export type AgentMessage =
  | { type: 'utterance'; utterance: Utterance }
  /** The avatar was cut off: what it was saying stops here. */
  | { type: 'interrupt' }
  /** The avatar asks the page to act (e.g. `show_pricing`). */
  | { type: 'trigger'; name: string; params: Record<string, unknown> }
  /** The session reaches its maximum duration in this many seconds. */
  | { type: 'expire_soon'; seconds_remaining: number }
  | { type: 'error'; code: string };

/**
 * UTF-8, from the runtime: every one this product runs on (browsers, Node, Deno, Bun, Workers)
 * has `TextEncoder`/`TextDecoder`, but the contract compiles against the ECMAScript library only,
 * so it names just what it uses.
 */
const { TextEncoder: Utf8Encoder, TextDecoder: Utf8Decoder } = globalThis as unknown as {
  TextEncoder: new () => { encode(text: string): Uint8Array<ArrayBuffer> };
  TextDecoder: new () => { decode(bytes: Uint8Array): string };
};
const encoder = new Utf8Encoder();
const decoder = new Utf8Decoder();

/** The bytes of a message, as published. */
export function encodeMessage(message: PageMessage | AgentMessage): Uint8Array<ArrayBuffer> {
  return encoder.encode(JSON.stringify(message));
}

function json(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(decoder.decode(bytes));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** A message the avatar sent, or `undefined` when it is not one this product knows. */
export function parseAgentMessage(bytes: Uint8Array): AgentMessage | undefined {
  const message = json(bytes);
  switch (message?.['type']) {
    case 'utterance': {
      const utterance = message['utterance'];
      if (!isRecord(utterance) || (utterance['author'] !== 'agent' && utterance['author'] !== 'user') || !isString(utterance['content'])) return undefined;
      return {
        type: 'utterance',
        utterance: {
          author: utterance['author'],
          content: utterance['content'],
          recordedAt: isString(utterance['recordedAt']) ? utterance['recordedAt'] : new Date().toISOString(),
          // A line without the flag is taken as complete: better a caption that stays than one that never ends.
          finished: utterance['finished'] !== false,
        },
      };
    }
    case 'interrupt':
      return { type: 'interrupt' };
    case 'trigger':
      return isString(message['name']) && message['name'] ? { type: 'trigger', name: message['name'], params: isRecord(message['params']) ? message['params'] : {} } : undefined;
    case 'expire_soon': {
      const seconds = message['seconds_remaining'];
      return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? { type: 'expire_soon', seconds_remaining: seconds } : undefined;
    }
    case 'error':
      return { type: 'error', code: isString(message['code']) ? message['code'] : 'unknown' };
    default:
      return undefined;
  }
}

/** A message the page sent, or `undefined` when it is not one. */
export function parsePageMessage(bytes: Uint8Array): PageMessage | undefined {
  const message = json(bytes);
  if (message?.['type'] === 'context' && isString(message['content'])) return { type: 'context', content: message['content'] };
  if (message?.['type'] === 'usr.txt' && isString(message['text'])) return { type: 'usr.txt', text: message['text'] };
  return undefined;
}
