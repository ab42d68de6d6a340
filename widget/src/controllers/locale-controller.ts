/**
 * The widget's language: the `locale` attribute, else the page's `<html lang>`, else the
 * browser's languages in the visitor's order; the first the widget speaks wins. Its words,
 * with the page's own (`strings`) over them; English until another language's file is in.
 * A call's words come once asked for (`wantCallWords`, at the first sign of intent).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { languageOf, loadWords, withCallWords, withPageWords, wordsIfLoaded } from '../i18n/localize.js';
import type { ConversationStrings, Words } from '../i18n/strings.js';

/** What the controller reads from its element. */
export interface LocaleOptions {
  locale(): string | null;
  /** The page's own words (`strings`): an object, its JSON, or nothing. */
  custom(): unknown;
  /** Where one of the widget's files is (next to its script, or on the token server). */
  locate(file: string): string | undefined;
}

/** The language and words of one `<equos-avatar>`. */
export class LocaleController implements ReactiveController {
  #language = '';
  #custom: unknown;
  /** The call's words are wanted (a sign of intent was seen), and whether the words shown were resolved with them. */
  #callWanted = false;
  #withCall = false;
  /** The words shown; until the first are in, English stands in. */
  #words: Words | undefined;
  readonly #host: ReactiveControllerHost;
  readonly #options: LocaleOptions;

  constructor(host: ReactiveControllerHost, options: LocaleOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The words to show now (English's are the launcher's only: the panel's file completes them). */
  get words(): Words {
    return this.#words ?? wordsIfLoaded('en')!;
  }

  /** The words to show now. */
  get strings(): Words['strings'] {
    return this.words.strings;
  }

  /** The conversation's words of the language and the page, for the second file. */
  get conversation(): Partial<ConversationStrings> | undefined {
    return this.#words?.conversation;
  }

  /** Loads the call's words too, from now on (the visitor showed intent: a call may follow). */
  wantCallWords(): void {
    if (this.#callWanted) return;
    this.#callWanted = true;
    this.#host.requestUpdate();
  }

  /** The widget's own words are in (not English standing in). */
  get ready(): boolean {
    return this.#words !== undefined;
  }

  hostUpdate(): void {
    const language = languageOf(this.#options.locale(), document.documentElement.lang, ...(navigator.languages || [navigator.language]));
    const custom = this.#options.custom() || undefined;
    const withCall = this.#callWanted;
    if (language === this.#language && custom === this.#custom && withCall === this.#withCall) return;
    this.#language = language;
    this.#custom = custom;
    this.#withCall = withCall;
    const words = wordsIfLoaded(language);
    // Already here: shown in this very render, with no English in between.
    if (words && !custom && (!withCall || language === 'en' || words.conversation)) this.#words = words;
    else {
      const { locate } = this.#options;
      void loadWords(language, locate)
        .then((loaded) => (withCall ? withCallWords(loaded, locate) : loaded))
        .then((loaded) => (custom ? withPageWords(loaded, custom, locate) : loaded))
        .then((next) => {
          // A later choice (another locale, other words) wins over this one.
          if (language !== this.#language || custom !== this.#custom || withCall !== this.#withCall) return;
          this.#words = next;
          this.#host.requestUpdate();
        });
    }
  }
}
