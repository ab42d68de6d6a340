/** The panel's words: its language's, English's filled in (the launcher's file has only the launcher's). */
import { en } from '../i18n/en.js';
import type { Strings, Words } from '../i18n/strings.js';

const complete = new WeakMap<Words, Strings>();

/** Every word the panel says, in the language of `words`, with the page's own over them. */
export function panelStrings(words: Words): Strings {
  let strings = complete.get(words);
  if (!strings) complete.set(words, (strings = { ...en, ...words.strings }));
  return strings;
}
