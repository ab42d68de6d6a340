/**
 * CSS as text, for the second file's styles. The build minifies these templates as it does
 * Lit's (files named `*.styles.ts`); importing Lit's `css` instead would bring all of Lit into
 * this file (its packages declare side effects).
 *
 * The raw strings are used: a CSS escape such as `\2026` (which the minifier writes for `…`)
 * is not a valid JavaScript escape, and a tagged template's cooked string for it is undefined.
 */
export const css = (text: TemplateStringsArray): string => text.raw.join('');
