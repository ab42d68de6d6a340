/**
 * Every language the widget speaks, rendered whole: no word missing or left in English, every
 * sentence that takes values working with them (plurals by `Intl`), right-to-left text
 * written for it, and the choice of language (attribute, page, browser, by primary subtag).
 */
import { readdirSync } from 'node:fs';
import { describe as suite, expect, it } from 'vitest';
import { EXAMPLE_SESSION, EXAMPLE_STATES } from '../../test/call-examples.js';
import type { CallState } from '../call/machine.js';
import { en as englishConversation } from '../live/conversation/strings.js';
import { describe } from '../panel/describe.js';
import { en } from './en.js';
import { panelStrings } from '../panel/panel-strings.js';
import { enLauncher } from './en-launcher.js';
import { languageOf, loadWords, SUPPORTED_LOCALES, withCallWords, wordsIfLoaded } from './localize.js';
import type { Strings, Words } from './strings.js';
import { INITIAL_LINK } from '../call/link.js';

/** The link of a joined call, as it starts. */
const link = INITIAL_LINK;

/** The languages issue 12 asks for, at least. */
const REQUIRED = ['en', 'fr', 'es', 'de', 'it', 'pt', 'nl', 'ru', 'zh', 'ja', 'ko', 'ar', 'hi', 'he'];
const RIGHT_TO_LEFT = ['ar', 'he'];
/** Languages not written in Latin letters: any Latin word there is English left behind. */
const NON_LATIN = ['ru', 'zh', 'ja', 'ko', 'ar', 'hi', 'he'];
/** Latin words every language may keep: the browsers' names, and "AI", which Chinese, Japanese, Korean and Hindi write so. */
const BRANDS = ['Chrome', 'Edge', 'Firefox', 'Safari', 'AI'];
/** Words that are rightly the same as English in a language (brand names, loanwords). Keep it short. */
const SAME_AS_ENGLISH: Record<string, string[]> = {};
/**
 * Sentences that rightly leave the avatar's name out, where the language would have to decline
 * or inflect it (Russian cases, Korean particles) and a natural sentence without it exists.
 */
const WITHOUT_NAME: Record<string, string[]> = { ru: ['tapForSound'], ko: ['backToConversation'] };

const NAME = 'Zoë';
/** Sample values by a sentence's key, in argument order. */
const samples = (key: string): unknown[] => (key === 'endsSoon' || key === 'endingIn' ? [30] : key === 'timeLeft' ? ['0:30'] : [NAME, '2:05']);

/** Every sentence of a set, as `path → text`, functions called with sample values. */
function flatten(words: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(words)) {
    const path = prefix + key;
    if (typeof value === 'function') out.set(path, (value as (...values: unknown[]) => string)(...samples(key)));
    else if (typeof value === 'string') out.set(path, value);
    else for (const [inner, text] of flatten(value as object, `${path}.`)) out.set(inner, text);
  }
  return out;
}

/** The shape of a set: each path and whether it is a sentence that takes values. */
const shape = (words: object, prefix = ''): string[] =>
  Object.entries(words).flatMap(([key, value]) => (typeof value === 'object' ? shape(value as object, `${prefix}${key}.`) : [`${prefix}${key}:${typeof value}`])).sort();

const languages = SUPPORTED_LOCALES.filter((language) => language !== 'en');
const all = new Map<string, Words & { strings: Strings }>();
// What the panel says in each language (English's words beyond the launcher's come with the panel's file).
// Each language's call words come from a file of their own, with the call (./call/<lang>.ts).
const beforeTheCall = new Map<string, Words>();
for (const language of SUPPORTED_LOCALES) {
  beforeTheCall.set(language, await loadWords(language, () => undefined));
  const words = await withCallWords(beforeTheCall.get(language)!, () => undefined);
  all.set(language, { ...words, strings: panelStrings(words) });
}

suite('the languages', () => {
  it('are every language file in this folder, the ones issue 12 asks for among them', () => {
    const files = readdirSync(new URL('.', import.meta.url)).flatMap((file) => /^([a-z]{2})\.ts$/.exec(file)?.[1] ?? []);
    expect([...SUPPORTED_LOCALES].sort()).toEqual(files.sort());
    expect(SUPPORTED_LOCALES).toEqual(expect.arrayContaining(REQUIRED));
  });

  it.each(languages)('%s has every word English has, of the same kind', (language) => {
    const words = all.get(language)!;
    expect(words.language).toBe(language);
    expect(shape(words.strings)).toEqual(shape(en));
    expect(shape(words.conversation!)).toEqual(shape(englishConversation));
  });

  it.each(languages)('%s leaves nothing in English', (language) => {
    const words = all.get(language)!;
    const allowed = SAME_AS_ENGLISH[language] ?? [];
    const english = new Map([...flatten(en), ...flatten(englishConversation)]);
    const same = [...flatten(words.strings), ...flatten(words.conversation!)].filter(([path, text]) => text === english.get(path) && !allowed.includes(path));
    expect(same).toEqual([]);
    if (NON_LATIN.includes(language)) {
      const latin = [...flatten(words.strings), ...flatten(words.conversation!)].flatMap(([path, text]) =>
        (text.replaceAll(NAME, '').match(/[A-Za-z]+/g) ?? []).filter((word) => !BRANDS.includes(word)).map((word) => `${path}: ${word}`),
      );
      expect(latin).toEqual([]);
    }
  });

  it.each(SUPPORTED_LOCALES)('%s fills in every value a sentence takes, cleanly written', (language) => {
    const words = all.get(language)!;
    const sentences = [...flatten(words.strings), ...flatten({ ...englishConversation, ...words.conversation })];
    for (const [path, text] of sentences) {
      const key = path.split('.').pop()!;
      expect(text.trim(), path).toBe(text);
      expect(text, path).not.toMatch(/undefined|NaN|null|\[object|[{}]|\.\.\.| {2}/);
      if (typeof samples(key)[0] === 'string' && !(WITHOUT_NAME[language] ?? []).includes(path) && isSentenceWithName(words, path)) {
        expect(text, path).toContain(RIGHT_TO_LEFT.includes(language) ? `\u2068${NAME}\u2069` : NAME);
      }
    }
    expect(words.strings.ended.hangup(NAME, '2:05')).toContain('2:05');
    expect({ ...englishConversation, ...words.conversation }.timeLeft('0:30')).toContain('0:30');
  });

  it.each(SUPPORTED_LOCALES)('%s gives every state of a call its own words', (language) => {
    // A CSP that blocks the token server reads like a refused origin, on purpose (../panel/describe.test.ts).
    const states = EXAMPLE_STATES.filter((state) => !(state.name === 'ending' && state.outcome.type === 'error') && !(state.name === 'error' && state.cause === 'blocked-by-page'));
    const strings = all.get(language)!.strings;
    const words = states.map((state: CallState) => describe(state, strings, NAME).announcement);
    expect(new Set(words).size, words.join('\n')).toBe(words.length);
  });
});

/** Whether the sentence at `path` is one that takes the avatar's name (not a number or a clock). */
function isSentenceWithName(words: Words, path: string): boolean {
  const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], { ...words.strings, ...words.conversation });
  if (typeof value !== 'function') return false;
  // Sentences that ignore the name in English too (`ended.max-duration`, most errors) do not count.
  const english = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], { ...en, ...englishConversation });
  return typeof english === 'function' && (english as (...values: unknown[]) => string)(...samples(path.split('.').pop()!)).includes(NAME);
}

suite('numbers in sentences', () => {
  const endsSoon = (language: string) => ({ ...englishConversation, ...all.get(language)!.conversation }).endsSoon;

  it.each([
    ['endsSoon', 'en', 1, 'The conversation ends in 1 second.'],
    ['endsSoon', 'en', 30, 'The conversation ends in 30 seconds.'],
    ['endsSoon', 'fr', 1, 'La conversation se termine dans 1 seconde.'],
    ['endsSoon', 'fr', 10, 'La conversation se termine dans 10 secondes.'],
    ['endsSoon', 'de', 1000, 'Das Gespräch endet in 1.000 Sekunden.'],
    ['endsSoon', 'ru', 1, 'Разговор закончится через 1 секунду.'],
    ['endsSoon', 'ru', 3, 'Разговор закончится через 3 секунды.'],
    ['endsSoon', 'ru', 11, 'Разговор закончится через 11 секунд.'],
    ['endsSoon', 'ru', 21, 'Разговор закончится через 21 секунду.'],
    ['endsSoon', 'ar', 1, 'تنتهي المحادثة خلال ثانية واحدة.'],
    ['endsSoon', 'ar', 2, 'تنتهي المحادثة خلال ثانيتين.'],
    ['endsSoon', 'ar', 10, 'تنتهي المحادثة خلال 10 ثوانٍ.'],
    ['endsSoon', 'ar', 30, 'تنتهي المحادثة خلال 30 ثانية.'],
    ['endsSoon', 'he', 1, 'השיחה תסתיים בעוד שנייה.'],
    ['endsSoon', 'he', 2, 'השיחה תסתיים בעוד שתי שניות.'],
    ['endsSoon', 'he', 30, 'השיחה תסתיים בעוד 30 שניות.'],
    ['endsSoon', 'ja', 30, '会話はあと30秒で終了します。'],
    ['endingIn', 'en', 1, 'It ends by itself in 1 second.'],
    ['endingIn', 'en', 15, 'It ends by itself in 15 seconds.'],
    ['endingIn', 'fr', 1, 'La conversation se terminera d’elle-même dans 1 seconde.'],
    ['endingIn', 'de', 15, 'Das Gespräch endet in 15 Sekunden von selbst.'],
    ['endingIn', 'ru', 1, 'Разговор завершится сам через 1 секунду.'],
    ['endingIn', 'ru', 3, 'Разговор завершится сам через 3 секунды.'],
    ['endingIn', 'ru', 12, 'Разговор завершится сам через 12 секунд.'],
    ['endingIn', 'ar', 2, 'تنتهي المحادثة تلقائيًا خلال ثانيتين.'],
    ['endingIn', 'ar', 5, 'تنتهي المحادثة تلقائيًا خلال 5 ثوانٍ.'],
    ['endingIn', 'he', 2, 'השיחה תסתיים מעצמה בעוד שתי שניות.'],
    ['endingIn', 'he', 12, 'השיחה תסתיים מעצמה בעוד 12 שניות.'],
    ['endingIn', 'zh', 12, '对话将在12秒后自动结束。'],
  ] as const)('%s in %s says %d seconds by its plural rules', (key, language, seconds, text) => {
    const sentence = key === 'endsSoon' ? endsSoon(language) : all.get(language)!.strings.endingIn;
    expect(sentence(seconds).replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x0660))).toBe(text);
  });

  it('has a sentence for every plural category each language uses', () => {
    for (const language of SUPPORTED_LOCALES) {
      for (const [key, sentence] of [['endsSoon', endsSoon(language)], ['endingIn', all.get(language)!.strings.endingIn]] as const) {
        const seen = new Map<string, string>();
        for (let seconds = 0; seconds <= 200; seconds += 1) seen.set(new Intl.PluralRules(language).select(seconds), sentence(seconds));
        for (const [category, text] of seen) expect(text, `${language} ${key} ${category}`).toMatch(/\S/);
        // Each category its own form where the language has one (not `other` for all): 1 and 2 read differently from 30.
        if (['ru', 'ar', 'he'].includes(language)) expect(new Set(seen.values()).size, `${language} ${key}`).toBeGreaterThan(2);
      }
    }
  });

  it.each(SUPPORTED_LOCALES)('%s asks "Still there?" with the name (isolated right to left), counting down by its plural rules, and words its end', (language) => {
    const strings = all.get(language)!.strings;
    const name = RIGHT_TO_LEFT.includes(language) ? `\u2068${NAME}\u2069` : NAME;
    const asking = describe({ name: 'idle-check', session: EXAMPLE_SESSION, link, endsAt: 2_000 }, strings, NAME, true, 0);
    expect(asking.message).toContain(name);
    expect(asking.status).toBe(strings.status.stillThere);
    expect(asking.countdown).toBe(strings.endingIn(2));
    expect(strings.continue).toMatch(/\S/);
    expect(strings.continue).not.toBe(strings.start);
    const end = describe({ name: 'ended', reason: 'idle', durationS: 200 }, strings, NAME).message!;
    expect(new Set([end, strings.ended['max-duration'](NAME, '3:20'), strings.ended.hangup(NAME, '3:20')]).size).toBe(3);
  });

  it.each(SUPPORTED_LOCALES)('%s words the avatar being late and away, with its name (isolated right to left)', (language) => {
    const strings = all.get(language)!.strings;
    const name = RIGHT_TO_LEFT.includes(language) ? `\u2068${NAME}\u2069` : NAME;
    const late = describe({ name: 'avatar-late', session: EXAMPLE_SESSION, link, endsAt: 12_000 }, strings, NAME, true, 0);
    const away = describe({ name: 'avatar-away', session: EXAMPLE_SESSION, link }, strings, NAME);
    for (const text of [late.status, late.message!, away.status, away.message!]) expect(text).toContain(name);
    expect(late.countdown).toBe(strings.endingIn(12));
    expect(new Set([late.announcement, away.announcement, describe({ name: 'waiting-for-avatar', session: EXAMPLE_SESSION, link }, strings, NAME).announcement]).size).toBe(3);
  });
});

suite('right-to-left text', () => {
  it('uses Arabic punctuation in Arabic', () => {
    const texts = [...flatten(all.get('ar')!.strings), ...flatten(all.get('ar')!.conversation!)];
    expect(texts.filter(([, text]) => /[,;?]/.test(text))).toEqual([]);
  });

  it('keeps each comma between Latin names with the Hebrew sentence (a right-to-left mark after it)', () => {
    const texts = [...flatten(all.get('he')!.strings), ...flatten(all.get('he')!.conversation!)];
    expect(texts.filter(([, text]) => /[A-Za-z],(?!\u200f)/.test(text))).toEqual([]);
    expect(all.get('he')!.strings.errors['unsupported-browser']('')).toContain('Chrome,\u200f Edge,\u200f Firefox');
  });
});

suite('choosing the language', () => {
  it('takes the first the widget speaks: the locale attribute, the page, then each of the browser’s in order', () => {
    expect(languageOf('fr-CA', 'en', 'en')).toBe('fr');
    expect(languageOf(null, 'de', 'en-US')).toBe('de');
    expect(languageOf(undefined, '', 'tlh', 'pt-BR', 'fr')).toBe('pt');
    expect(languageOf('xx', 'yy', 'zh-TW')).toBe('zh');
    expect(languageOf('zh_Hant_TW')).toBe('zh');
    expect(languageOf('HE-il')).toBe('he');
    expect(languageOf(null, '', 'sv-SE')).toBe('en');
    expect(languageOf()).toBe('en');
  });

  it('keeps a call’s words out of each language’s first file: they come with the call, once, and none for English (its are the call’s file’s)', async () => {
    const callFiles = readdirSync(new URL('./call/', import.meta.url)).flatMap((file) => /^([a-z]{2})\.ts$/.exec(file)?.[1] ?? []);
    expect(callFiles.sort()).toEqual(languages.sort());
    for (const language of languages) {
      expect(beforeTheCall.get(language)!.conversation, language).toBeUndefined();
      expect(all.get(language)!.conversation, language).toBeDefined();
      // Kept with the language's words: every widget of the page gets the same object.
      expect(wordsIfLoaded(language)!.conversation).toBe(all.get(language)!.conversation);
      expect(await withCallWords(wordsIfLoaded(language)!, () => undefined)).toBe(wordsIfLoaded(language));
    }
    expect(all.get('en')!.conversation).toBeUndefined();
  });

  it('has English’s launcher words at once, each other language loaded once, and English for one it cannot load', async () => {
    expect(wordsIfLoaded('en')?.strings).toBe(enLauncher);
    const japanese = await loadWords('ja', () => undefined);
    expect(japanese.strings).toEqual(all.get('ja')!.strings);
    expect(await loadWords('ja', () => undefined)).toBe(japanese);
    expect(wordsIfLoaded('ja')).toBe(japanese);
    expect((await loadWords('xx', () => undefined)).strings).toBe(enLauncher);
  });
});
