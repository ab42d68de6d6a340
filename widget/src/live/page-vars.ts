/**
 * The `page-vars` attribute: values for the template variables the preset lets the page fill
 * (the token server checks the names against the preset and cleans the values), as a JSON
 * object of strings, e.g. `page-vars='{"page_title":"Pricing","product":"Pro plan"}'`.
 */

/** The variables, or why the attribute cannot be used. */
export type PageVarsReading = { vars: Record<string, string> | undefined } | { problem: string };

/** Reads the attribute's value (null: absent). */
export function readPageVars(value: string | null): PageVarsReading {
  if (value === null || !value.trim()) return { vars: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { problem: `page-vars is not JSON (${JSON.stringify(value.slice(0, 40))}). Write a JSON object, e.g. page-vars='{"product":"Pro plan"}'.` };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { problem: 'page-vars must be a JSON object of names to strings, e.g. {"product":"Pro plan"}.' };
  const vars: Record<string, string> = {};
  for (const [name, raw] of Object.entries(parsed)) {
    if (typeof raw === 'string') vars[name] = raw;
    else if (typeof raw === 'number' || typeof raw === 'boolean') vars[name] = String(raw);
    else return { problem: `page-vars.${name} must be a string.` };
  }
  return { vars };
}
