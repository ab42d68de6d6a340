/**
 * Lit's templates without lit-html, for the widget's later files. A Lit template result is a
 * plain object (`_$litType$`, `strings`, `values`) and `nothing` a registered symbol: that is
 * the protocol by which copies of lit-html render each other's templates. The launcher's
 * lit-html renders what the panel's file writes, so the build gives that file these few lines
 * in place of `lit` (scripts/build.mjs), rather than a second lit-html (about 3 KB gzip).
 *
 * From source (tests, development) the panel's modules import the real `lit`.
 */
import type { TemplateResult, SVGTemplateResult } from 'lit';

const HTML_RESULT = 1;
const SVG_RESULT = 2;

/** lit-html's `html` tag. */
export const html = (strings: TemplateStringsArray, ...values: unknown[]): TemplateResult =>
  ({ ['_$litType$']: HTML_RESULT, strings, values }) as unknown as TemplateResult;

/** lit-html's `svg` tag. */
export const svg = (strings: TemplateStringsArray, ...values: unknown[]): SVGTemplateResult =>
  ({ ['_$litType$']: SVG_RESULT, strings, values }) as unknown as SVGTemplateResult;

/** lit-html's `nothing`: renders nothing, removes an attribute. */
export const nothing: unique symbol = Symbol.for('lit-nothing') as never;
