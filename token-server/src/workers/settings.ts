/**
 * The token server's settings on Cloudflare Workers: the Worker's vars and secrets (strings,
 * like environment variables) read by the same `readSettings` as on Node, plus what differs
 * on Workers, each refused or warned about by name:
 * - there is no file system, so no PRESETS_FILE: the one preset comes from the EQUOS_AVATAR_*
 *   (or EQUOS_CHARACTER_ID) variables;
 * - the ledger is the Durable Object bound as LEDGER, so LEDGER_PATH, REDIS_URL and DATABASE_URL
 *   mean nothing;
 * - there is no /metrics (METRICS_TOKEN): prom-client does not load in workerd;
 * - there is no local sandbox (it runs on Node), so EQUOS_API_KEY is required;
 * - every isolate is an instance of its own: a random name each (INSTANCE_ID would give all
 *   of them one name, and their claims would no longer keep two off one session).
 */
import { ConfigError, readSettings, type ReadSettings } from '../config/settings.js';
import { toBase64Url } from '../internal/base64url.js';

/** The variables that cannot work on Workers, and why. */
const UNAVAILABLE: Record<string, string> = {
  PRESETS_FILE:
    'cannot be read on Cloudflare Workers, which have no file system: configure the one preset with EQUOS_AVATAR_ID (and EQUOS_AGENT_ID, EQUOS_AVATAR_NAME, EQUOS_AVATAR_THUMBNAIL_URL) or EQUOS_CHARACTER_ID.',
  LEDGER_PATH: 'is not used on Cloudflare Workers, where the ledger is the Durable Object bound as LEDGER; remove it.',
  REDIS_URL: 'is not used on Cloudflare Workers, where the ledger is the Durable Object bound as LEDGER; remove it.',
  DATABASE_URL: 'is not used on Cloudflare Workers, where the ledger is the Durable Object bound as LEDGER; remove it.',
  // prom-client does not load in workerd, and counters kept per isolate would show a scrape
  // one isolate's share of the traffic.
  METRICS_TOKEN: 'is not available on Cloudflare Workers (no /metrics there: use Workers Logs and Analytics); remove it.',
};

/**
 * Reads the settings from a Worker's `env`: its string values are the variables; bindings
 * (the ledger object, the assets) are skipped.
 *
 * @throws ConfigError naming the variable at fault
 * @example
 * const { settings, warnings } = readWorkerSettings(env);
 */
export function readWorkerSettings(env: Readonly<Record<string, unknown>>): ReadSettings {
  const variables = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  for (const [variable, why] of Object.entries(UNAVAILABLE)) {
    if (variables[variable]?.trim()) throw new ConfigError(variable, why);
  }
  if (!variables.EQUOS_API_KEY) {
    throw new ConfigError('EQUOS_API_KEY', 'is required on Cloudflare Workers (the local sandbox runs on Node only): set it with `npx wrangler secret put EQUOS_API_KEY`.');
  }
  const read = readSettings(variables, { instanceId: `worker-${toBase64Url(crypto.getRandomValues(new Uint8Array(6)))}` });
  const warnings = [...read.warnings];
  if (variables.INSTANCE_ID?.trim()) {
    warnings.push('INSTANCE_ID gives every isolate of the Worker the same name, so their claims cannot keep two of them off one session; leave it unset on Workers.');
  }
  if (read.settings.demoPages) warnings.push('DEMO_PAGES is on: the demo pages are read from examples/ in the Worker\'s assets, which the documented set-up (the widget\'s files only) has not; they answer 404 there.');
  return { settings: read.settings, warnings };
}
