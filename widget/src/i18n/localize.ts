/**
 * The widget's languages. English ships in the widget's script (the launcher's words; the
 * panel's come with the panel's file, a call's with the call's); every other language is two
 * small files, loaded only by pages that need them: its launcher's and panel's words, before
 * the launcher's label shows, and its call's words, at the first sign of intent. So is the
 * code that applies a page's own words (`strings`, ./overrides.ts). The build names them
 * `equos-avatar-<lang>.<hash>.js`, `equos-avatar-<lang>-call.<hash>.js` and
 * `equos-avatar-strings.<hash>.js`, one hash for the set (scripts/build.mjs). Only a
 * language's primary subtag counts (`pt-BR` → `pt`).
 */
import { importChecked } from '../internal/checked-import.js';
import { enLauncher } from './en-launcher.js';
import type { CallWordsModule, LocaleModule, Words } from './strings.js';

/** The hash in the names of the language files, set by the build; absent when running from source. */
declare const __EQUOS_I18N_HASH__: string | undefined;
/** The languages besides English that have a file, set by the build. */
declare const __EQUOS_LANGUAGES__: string[];

// Each test of `__EQUOS_I18N_HASH__` is written out where it is needed: the build then drops
// the branch for running from source, and the imports in it, at each place.

/** From source (tests, development), the files are plain modules. */
const SOURCES: Record<string, () => Promise<unknown>> =
  typeof __EQUOS_I18N_HASH__ === 'string'
    ? {}
    : {
        ar: () => import('./ar.js'),
        de: () => import('./de.js'),
        es: () => import('./es.js'),
        fr: () => import('./fr.js'),
        he: () => import('./he.js'),
        hi: () => import('./hi.js'),
        it: () => import('./it.js'),
        ja: () => import('./ja.js'),
        ko: () => import('./ko.js'),
        nl: () => import('./nl.js'),
        pt: () => import('./pt.js'),
        ru: () => import('./ru.js'),
        zh: () => import('./zh.js'),
        'ar-call': () => import('./call/ar.js'),
        'de-call': () => import('./call/de.js'),
        'es-call': () => import('./call/es.js'),
        'fr-call': () => import('./call/fr.js'),
        'he-call': () => import('./call/he.js'),
        'hi-call': () => import('./call/hi.js'),
        'it-call': () => import('./call/it.js'),
        'ja-call': () => import('./call/ja.js'),
        'ko-call': () => import('./call/ko.js'),
        'nl-call': () => import('./call/nl.js'),
        'pt-call': () => import('./call/pt.js'),
        'ru-call': () => import('./call/ru.js'),
        'zh-call': () => import('./call/zh.js'),
        strings: () => import('./overrides.js'),
      };

/** The languages the widget speaks. */
export const SUPPORTED_LOCALES = ['en', ...(typeof __EQUOS_I18N_HASH__ === 'string' ? __EQUOS_LANGUAGES__ : Object.keys(SOURCES).filter((name) => /^[a-z]{2}$/.test(name)))];

/** Each language's words once loaded; English's launcher words at once. */
const loaded = new Map<string, Words>([['en', { language: 'en', strings: enLauncher }]]);

/** The first supported language among `preferences`, by primary subtag [en]. */
export function languageOf(...preferences: Array<string | null | undefined>): string {
  for (const preference of preferences) {
    const language = preference?.toLowerCase().split(/[-_]/)[0];
    if (language && SUPPORTED_LOCALES.includes(language)) return language;
  }
  return 'en';
}

/** The words of `language` if already loaded. */
export function wordsIfLoaded(language: string): Words | undefined {
  return loaded.get(language);
}

/** Imports one of the widget's files of words (`fr`…, `fr-call`…, or `strings`) from wherever the widget is, its integrity checked. */
function load<T>(name: string, locate: (file: string) => string | undefined): Promise<T> {
  return (typeof __EQUOS_I18N_HASH__ === 'string' ? importChecked(`equos-avatar-${name}.${__EQUOS_I18N_HASH__}.js`, locate) : SOURCES[name]!()) as Promise<T>;
}

/**
 * Loads the words of `language` (English when its file cannot load).
 *
 * @param locate where a widget file is (next to the script, or on the token server)
 */
export async function loadWords(language: string, locate: (file: string) => string | undefined): Promise<Words> {
  if (!loaded.has(language)) {
    try {
      const { default: strings } = await load<LocaleModule>(language, locate);
      // Two widgets may have loaded it at once: keep the first, so both show the same words.
      if (!loaded.has(language)) loaded.set(language, { language, strings });
    } catch {
      return loaded.get('en')!;
    }
  }
  return loaded.get(language)!;
}

/**
 * `words` with their language's call words (`conversation`), loaded on intent; `words` as they
 * are for English (its are in the call's file) or when the file cannot load (English stands in).
 */
export async function withCallWords(words: Words, locate: (file: string) => string | undefined): Promise<Words> {
  const { language } = words;
  if (language === 'en' || words.conversation) return words;
  try {
    const { default: conversation } = await load<CallWordsModule>(`${language}-call`, locate);
    const current = loaded.get(language)!;
    // Kept with the language's words, so every widget of the page shows the same objects.
    if (!current.conversation) loaded.set(language, { ...current, conversation });
    return loaded.get(language)!;
  } catch {
    return words;
  }
}

/**
 * `words` with the page's own over them (`custom`: an object, or its JSON); `words` alone when
 * the code that applies them cannot load.
 */
export async function withPageWords(words: Words, custom: unknown, locate: (file: string) => string | undefined): Promise<Words> {
  try {
    return (await load<typeof import('./overrides.js')>('strings', locate)).withOverrides(words, custom);
  } catch {
    return words;
  }
}
