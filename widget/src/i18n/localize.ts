/**
 * The widget's languages. English ships in the widget's script; every other language is a
 * small file of its own, loaded only by pages that need it (the build names them, see
 * scripts/build.mjs). The language is the `locale` attribute, else the page's `lang`, else
 * the browser's; only the primary subtag counts (`fr-CA` → `fr`).
 */
import { en } from './en.js';
import type { Strings } from './strings.js';

/** Language → file name of its strings, set by the build; absent when running from source. */
declare const __EQUOS_LOCALE_FILES__: Record<string, string> | undefined;
/** `true` in the build, which then drops the source-only branch below (and its imports). */
declare const __EQUOS_BUNDLED__: boolean | undefined;

const BUNDLED = typeof __EQUOS_BUNDLED__ === 'boolean' && __EQUOS_BUNDLED__;
const FILES: Record<string, string> | undefined = BUNDLED ? __EQUOS_LOCALE_FILES__ : undefined;
/** From source (tests, development), languages are plain modules. */
const SOURCES: Record<string, () => Promise<{ default: Strings }>> = BUNDLED ? {} : { fr: () => import('./fr.js') };

/** The languages the widget speaks. */
export const SUPPORTED_LOCALES = ['en', ...Object.keys(FILES ?? SOURCES)];

const loaded = new Map<string, Strings>([['en', en]]);

/** The first supported language among `preferences` [en]. */
export function languageOf(...preferences: Array<string | null | undefined>): string {
  for (const preference of preferences) {
    const language = preference?.toLowerCase().split(/[-_]/)[0];
    if (language && SUPPORTED_LOCALES.includes(language)) return language;
  }
  return 'en';
}

/** The strings of `language` if already loaded. */
export function stringsIfLoaded(language: string): Strings | undefined {
  return loaded.get(language);
}

/**
 * Loads the strings of `language` (English when it cannot).
 *
 * @param locate where a widget file is (next to the script, or on the token server)
 */
export async function loadStrings(language: string, locate: (file: string) => string | undefined): Promise<Strings> {
  const ready = loaded.get(language);
  if (ready) return ready;
  const file = FILES?.[language];
  const url = file ? locate(file) : undefined;
  const module = url ? ((await import(/* webpackIgnore: true */ url)) as { default: Strings }) : await SOURCES[language]?.();
  if (!module) return en;
  loaded.set(language, module.default);
  return module.default;
}
