/**
 * A page's own words (the `strings` property, or the `strings` attribute as JSON) over its
 * language's. A file of its own (`equos-avatar-strings.<hash>.js`), loaded only by pages that
 * set them, so the script every page loads does not carry it.
 *
 * Forgiving, because marketers write it: bad JSON, an unknown key or a value of the wrong kind
 * is skipped with one console warning naming it, and everything else still applies.
 */
import { en } from './en.js';
import { isolate } from './format.js';
import type { ConversationStrings, Words } from './strings.js';

/** The values a sentence takes, by the placeholder each goes in, in argument order [name]. */
const PLACEHOLDERS: Record<string, readonly string[]> = { endsSoon: ['seconds'], endingIn: ['seconds'], timeLeft: ['clock'], microphoneSwitched: ['device'] };
const NAME = ['name'];
/** What every `ended.*` sentence takes. */
const NAME_AND_DURATION = ['name', 'duration'];

/** The conversation's keys (its English is in the second file): 1 for a sentence that takes a value. */
const CONVERSATION_KEYS: Record<keyof ConversationStrings, 0 | 1> = {
  captions: 0,
  transcript: 0,
  copy: 0,
  copied: 0,
  pictureInPicture: 0,
  inFloatingWindow: 1,
  you: 0,
  typeMessage: 0,
  typeTo: 1,
  send: 0,
  devices: 0,
  microphoneChoice: 0,
  speakerChoice: 0,
  volume: 0,
  muteVoice: 0,
  microphoneSwitched: 1,
  noMicrophone: 1,
  endsSoon: 1,
  timeLeft: 1,
  qualityExcellent: 0,
  qualityGood: 0,
  qualityPoor: 0,
  qualityLost: 0,
  weakConnection: 0,
  switchToAudio: 0,
  switchToVideo: 0,
  videoBack: 0,
  audioOnlyChosen: 1,
  audioFallback: 1,
};

/** Languages written right to left, whose names are isolated as their own files do. */
const RIGHT_TO_LEFT = ['ar', 'he'];

/** A key naming a language's own section (no word of the widget has a two-letter name). */
const LANGUAGE_SECTION = /^[a-z]{2}$/;

/** Values already warned about: one warning per value, not per render or language. */
const warned = new Set<unknown>();

type Tree = Record<string, unknown>;

const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null && !Array.isArray(value);
const owns = (tree: Tree, key: string) => Object.prototype.hasOwnProperty.call(tree, key);

/**
 * `words` with `custom` over them.
 *
 * @param words a language's (English has no `conversation`: it is the second file's)
 * @param custom an object, or its JSON (the attribute)
 * @example
 * withOverrides({ language: 'en', strings: en }, '{"talkTo":"Chat with {name}"}').strings.talkTo('Ava') // 'Chat with Ava'
 */
export function withOverrides(words: Words, custom: unknown): Words {
  const { language } = words;
  const problems: string[] = [];
  let given = custom;
  if (typeof given === 'string') {
    try {
      given = JSON.parse(given);
    } catch {
      problems.push('the attribute is not valid JSON');
    }
  }
  const strings: Tree = { ...words.strings };
  const conversation: Tree = { ...words.conversation };
  if (isTree(given)) {
    const mine = forLanguage(given, language);
    // English's own words are only the launcher's until the panel's file is in: every key
    // a page may set is in English's full set.
    const shape: Tree = { ...en, ...words.strings };
    for (const [key, takes] of Object.entries(CONVERSATION_KEYS)) shape[key] = takes ? String : '';
    for (const [key, value] of Object.entries(overrides(shape, mine, '', problems, language))) {
      (owns(CONVERSATION_KEYS, key) ? conversation : strings)[key] = value;
    }
  } else if (!problems.length) {
    problems.push('it must be an object such as {"talkTo": "Chat with {name}"}');
  }
  if (problems.length && !warned.has(custom)) {
    warned.add(custom);
    console.warn(`<equos-avatar>: strings: ${problems.join('; ')}. The rest applies.`);
  }
  return { language, strings: strings as unknown as Words['strings'], conversation: conversation as Partial<ConversationStrings> };
}

/**
 * The words for `language` of a page that writes several: a section named by a language
 * (`"fr": { "consent": { … } }`) applies over the shared words in that language only; the
 * other languages' sections are left out.
 */
function forLanguage(given: Tree, language: string): Tree {
  const shared = Object.fromEntries(Object.entries(given).filter(([key]) => !LANGUAGE_SECTION.test(key)));
  const section = given[language];
  if (!isTree(section)) return shared;
  for (const [key, value] of Object.entries(section)) {
    const under = shared[key];
    shared[key] = isTree(value) && isTree(under) ? { ...under, ...value } : value;
  }
  return shared;
}

/** The entries of `given` that fit `shape` (nested ones merged with the shape's own), noting the rest. */
function overrides(shape: Tree, given: Tree, path: string, problems: string[], language: string): Tree {
  const out: Tree = {};
  for (const [key, value] of Object.entries(given)) {
    const name = path + key;
    const current = owns(shape, key) ? shape[key] : undefined;
    if (current === undefined) {
      problems.push(`unknown key "${name}"`);
    } else if (isTree(current)) {
      if (isTree(value)) out[key] = { ...current, ...overrides(current, value, `${name}.`, problems, language) };
      else problems.push(`"${name}" must be an object`);
    } else if (typeof current === 'function' && typeof value === 'function') {
      out[key] = value;
    } else if (typeof value === 'string') {
      if (typeof current === 'function') out[key] = sentence(value, path === 'ended.' ? NAME_AND_DURATION : (PLACEHOLDERS[key] ?? NAME), name, problems, language);
      else {
        if (/\{(?:name|duration|seconds|clock|device)\}/.test(value)) problems.push(`"${name}" takes no placeholders`);
        out[key] = value;
      }
    } else {
      problems.push(`"${name}" must be a string`);
    }
  }
  return out;
}

/** A sentence that takes values, from text with `{placeholders}`. */
function sentence(text: string, names: readonly string[], key: string, problems: string[], language: string): (...values: unknown[]) => string {
  for (const [, name] of text.matchAll(/\{(\w+)\}/g)) {
    if (!names.includes(name!)) problems.push(`"${key}" has no {${name}} (it takes ${names.map((known) => `{${known}}`).join(', ')})`);
  }
  const rightToLeft = RIGHT_TO_LEFT.includes(language);
  const format = (value: unknown, name: string) => {
    if (typeof value === 'number') return new Intl.NumberFormat(language).format(value);
    return rightToLeft && (name === 'name' || name === 'device') ? isolate(String(value)) : String(value);
  };
  return (...values) =>
    text.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
      const index = names.indexOf(name);
      return index < 0 ? placeholder : format(values[index], name);
    });
}
