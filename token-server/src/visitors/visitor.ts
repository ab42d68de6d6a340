/**
 * The visitor as a LiveKit participant: an identity the server generates (a browser never
 * chooses who it is in the room) and a display name it may suggest, cleaned and bounded
 * before it reaches Equos.
 */
import { toBase64Url } from '../internal/base64url.js';

/** Longest display name passed on, in user-perceived characters. */
export const MAX_DISPLAY_NAME_LENGTH = 64;

/** A fresh, unguessable participant identity, e.g. `visitor-3kq…`. */
export function newVisitorIdentity(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `visitor-${toBase64Url(bytes)}`;
}

// C0/C1 controls, and the bidirectional overrides and isolates that let a name reorder the
// text around it (CVE-2021-42574, "Trojan Source").
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Cleans a visitor-supplied display name: NFC, no control or bidi-control characters,
 * whitespace collapsed and trimmed, at most `MAX_DISPLAY_NAME_LENGTH` graphemes (an emoji
 * is never cut in half).
 *
 * @returns the clean name, or `undefined` when nothing printable is left
 * @example
 * sanitiseDisplayName('  Ada\u0000 Lovelace ') // 'Ada Lovelace'
 */
export function sanitiseDisplayName(raw: string): string | undefined {
  return sanitiseVisitorText(raw, MAX_DISPLAY_NAME_LENGTH);
}

/**
 * Cleans any text a visitor's page sends on (a display name, a page variable) the same way:
 * NFC, no control or bidi-control characters, whitespace collapsed and trimmed, at most
 * `maxGraphemes` graphemes.
 *
 * @returns the clean text, or `undefined` when nothing printable is left
 */
export function sanitiseVisitorText(raw: string, maxGraphemes: number): string | undefined {
  const clean = raw.normalize('NFC').replace(UNSAFE_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
  if (clean === '') return undefined;
  // A grapheme is at least one UTF-16 unit: text this short cannot be too long (and most names
  // are), so it is not segmented (Intl.Segmenter showed in the load profile, issue 13).
  if (clean.length <= maxGraphemes) return clean;
  const parts = Array.from(graphemes.segment(clean), (part) => part.segment);
  return parts.length > maxGraphemes ? parts.slice(0, maxGraphemes).join('').trimEnd() : clean;
}
