/** WEBHOOK_URL, WEBHOOK_SECRET and USAGE_TOKEN: what is taken, what is refused, and that the secrets never show in a refusal. */
import { describe, expect, it } from 'vitest';
import { ConfigError, readSettings } from './settings.js';

const production = { EQUOS_API_KEY: 'sk_live_abcdefghijklmnop', EQUOS_AVATAR_ID: 'avatar-1' };
const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789ABCDEF').toString('base64')}`;
const TOKEN = 'usage-token-0123456789-abcdefghijklmnopqrstuvwxyz';

function refusal(env: Record<string, string>): ConfigError {
  try {
    readSettings({ ...production, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('the webhook and usage settings', () => {
  it('are off unless set', () => {
    const { settings } = readSettings(production);
    expect(settings.webhook).toBeNull();
    expect(settings.usageToken).toBeNull();
  });

  it('take an https URL with its secret, http to loopback, and any http in development', () => {
    expect(readSettings({ ...production, WEBHOOK_URL: 'https://crm.example/hooks/equos?key=1', WEBHOOK_SECRET: SECRET }).settings.webhook).toEqual({ url: 'https://crm.example/hooks/equos?key=1', secret: SECRET });
    for (const url of ['http://127.0.0.1:9000/hook', 'http://localhost/hook', 'http://[::1]:8080/']) {
      expect(readSettings({ ...production, WEBHOOK_URL: url, WEBHOOK_SECRET: SECRET }).settings.webhook?.url).toBe(new URL(url).href);
    }
    expect(readSettings({ ...production, WEBHOOK_URL: 'http://crm.internal/hook', WEBHOOK_SECRET: SECRET, DEVELOPMENT_MODE: 'on' }).settings.webhook?.url).toBe('http://crm.internal/hook');
    expect(readSettings({ ...production, USAGE_TOKEN: TOKEN }).settings.usageToken).toBe(TOKEN);
  });

  it.each([
    [{ WEBHOOK_URL: 'http://crm.example/hook', WEBHOOK_SECRET: SECRET }, 'WEBHOOK_URL', /https/],
    [{ WEBHOOK_URL: 'ftp://crm.example/hook', WEBHOOK_SECRET: SECRET }, 'WEBHOOK_URL', /http\(s\) URL/],
    [{ WEBHOOK_URL: 'not a url', WEBHOOK_SECRET: SECRET }, 'WEBHOOK_URL', /http\(s\) URL/],
    [{ WEBHOOK_URL: 'https://user:pass@crm.example/hook', WEBHOOK_SECRET: SECRET }, 'WEBHOOK_URL', /user or password/],
    [{ WEBHOOK_URL: 'https://crm.example/hook' }, 'WEBHOOK_SECRET', /required/],
    [{ WEBHOOK_URL: 'https://crm.example/hook', WEBHOOK_SECRET: 'not-whsec-0123456789abcdef0123456789abcdef' }, 'WEBHOOK_SECRET', /whsec_/],
    [{ WEBHOOK_URL: 'https://crm.example/hook', WEBHOOK_SECRET: 'whsec_not base64!!' }, 'WEBHOOK_SECRET', /whsec_/],
    [{ WEBHOOK_URL: 'https://crm.example/hook', WEBHOOK_SECRET: `whsec_${Buffer.from('sixteen bytes...').toString('base64')}` }, 'WEBHOOK_SECRET', /24 to 64 bytes \(it has 16/],
    [{ USAGE_TOKEN: 'short-token' }, 'USAGE_TOKEN', /at least 32/],
    [{ USAGE_TOKEN: 'ab'.repeat(20) }, 'USAGE_TOKEN', /too few different|repeated/],
    [{ USAGE_TOKEN: `${TOKEN} with spaces` }, 'USAGE_TOKEN', /no spaces/],
  ])('refuse %o, naming %s and never echoing a secret', (env, variable, message) => {
    const error = refusal(env as Record<string, string>);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
    for (const secret of [SECRET, SECRET.slice(6), TOKEN, ...Object.values(env).filter((value) => !value.startsWith('http'))]) expect(error.message).not.toContain(secret);
  });

  it('warn of a secret without a URL', () => {
    const { settings, warnings } = readSettings({ ...production, WEBHOOK_SECRET: SECRET });
    expect(settings.webhook).toBeNull();
    expect(warnings).toContain('WEBHOOK_SECRET is set without WEBHOOK_URL: no session events are sent.');
  });
});
