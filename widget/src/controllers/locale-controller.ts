/**
 * The widget's language: the `locale` attribute, else the page's `lang`, else the browser's;
 * its strings, English until another language's file has loaded.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { languageOf, loadStrings, stringsIfLoaded } from '../i18n/localize.js';
import type { Strings } from '../i18n/strings.js';

/** What the controller reads from its element. */
export interface LocaleOptions {
  locale(): string | null;
  /** Where one of the widget's files is (next to its script, or on the token server). */
  locate(file: string): string | undefined;
}

/** The language of one `<equos-avatar>`. */
export class LocaleController implements ReactiveController {
  #language = '';
  readonly #host: ReactiveControllerHost;
  readonly #options: LocaleOptions;

  constructor(host: ReactiveControllerHost, options: LocaleOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The strings to show now. */
  /** The language in use (`en` until another's strings have loaded). */
  get language(): string {
    return this.ready ? this.#language : 'en';
  }

  get strings(): Strings {
    return stringsIfLoaded(this.#language) ?? stringsIfLoaded('en')!;
  }

  /** The language's own strings are here (not English standing in). */
  get ready(): boolean {
    return stringsIfLoaded(this.#language) !== undefined;
  }

  hostUpdate(): void {
    const language = languageOf(this.#options.locale(), document.documentElement.lang, navigator.language);
    if (language === this.#language) return;
    this.#language = language;
    if (!this.ready) void loadStrings(language, this.#options.locate).then(() => this.#host.requestUpdate(), () => {});
  }
}
