/**
 * What the language files share to write numbers and names into sentences. Each language's
 * file carries its own copy (they are built one by one), so this stays a few lines.
 */

/** A sentence for each plural category a language uses; `other` is required. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/**
 * The form of a sentence for `count` by the language's plural rules (`Intl.PluralRules`),
 * with the number, formatted for the language, in place of `#`.
 *
 * @example
 * plural('ru', 3, { one: '# секунду', few: '# секунды', many: '# секунд', other: '# секунды' }) // '3 секунды'
 */
export function plural(language: string, count: number, forms: PluralForms): string {
  const form = forms[new Intl.PluralRules(language).select(count)] ?? forms.other;
  return form.replace('#', new Intl.NumberFormat(language).format(count));
}

/**
 * `text` isolated from the sentence around it (FSI … PDI), for right-to-left languages: a
 * name in Latin letters ("Ava") then cannot pull the punctuation next to it into its own
 * direction, nor turn a sentence that starts with it left-to-right.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
