/**
 * What a page may tell the avatar's prompt: values for the template variables its preset
 * declares (`page_vars`), nothing else. A page is public, so anything it may write anyone may
 * write: names are checked against the preset, values are cleaned and cut to the declared
 * length, and free prompt text is never accepted (a page sends `context` over the data
 * channel instead, which the avatar takes as information, not instructions).
 */
import type { Preset } from '../config/presets.js';
import { ProblemError } from '../problems.js';
import { sanitiseVisitorText } from '../visitors/visitor.js';

/**
 * The template variables to send Equos for `requested` under `preset`, or undefined for none.
 *
 * @throws ProblemError `field-not-allowed` (422) for a name the preset does not declare
 */
export function templateVarsFor(preset: Preset, requested: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (!requested || Object.keys(requested).length === 0) return undefined;
  const declared = new Map((preset.pageVars ?? []).map((variable) => [variable.name, variable.maxLength]));
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(requested)) {
    const maxLength = declared.get(name);
    if (maxLength === undefined) {
      throw new ProblemError('field-not-allowed', { detail: `page_vars.${name.slice(0, 32)} is not one of the variables the preset "${preset.name}" lets a page fill.` });
    }
    const clean = sanitiseVisitorText(value, maxLength);
    if (clean !== undefined) vars[name] = clean;
  }
  return Object.keys(vars).length > 0 ? vars : undefined;
}
