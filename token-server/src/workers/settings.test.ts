/** The Worker's settings: what cannot work on Workers is refused by name, before anything starts. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/settings.js';
import { readWorkerSettings } from './settings.js';

const KEY = `sk_test_${'a1b2c3'.repeat(6)}`;
const base = { EQUOS_API_KEY: KEY, EQUOS_AVATAR_ID: 'avatar-1', ALLOWED_ORIGINS: 'https://shop.example' };
const refusal = (env: Record<string, unknown>) => {
  try {
    readWorkerSettings(env);
  } catch (error) {
    if (error instanceof ConfigError) return { variable: error.variable, message: error.message };
    throw error;
  }
  return undefined;
};

describe('readWorkerSettings', () => {
  it('reads the vars and secrets as readSettings does, skipping bindings, with a random instance name per call', () => {
    const binding = { idFromName() {}, get() {} };
    const { settings, warnings } = readWorkerSettings({ ...base, LEDGER: binding, MAX_SESSIONS_PER_VISITOR: '1' });
    expect(settings.equos).toMatchObject({ apiKey: KEY, endpoint: 'https://api.equos.ai' });
    expect(settings.limits.perVisitor).toBe(1);
    expect(settings.presets).toHaveLength(1);
    expect(settings.instanceId).toMatch(/^worker-[\w-]{8}$/);
    expect(readWorkerSettings(base).settings.instanceId).not.toBe(settings.instanceId);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['PRESETS_FILE', 'presets.json', /no file system/],
    ['LEDGER_PATH', 'data/ledger.sqlite', /Durable Object bound as LEDGER/],
    ['REDIS_URL', 'redis://127.0.0.1:6379', /Durable Object bound as LEDGER/],
    ['DATABASE_URL', 'postgres://127.0.0.1/ledger', /Durable Object bound as LEDGER/],
    ['METRICS_TOKEN', 'a'.repeat(16) + 'b'.repeat(16) + '0123456789', /no \/metrics there/],
  ])('refuses %s, which cannot work on Workers', (variable, value, why) => {
    const refused = refusal({ ...base, [variable]: value });
    expect(refused?.variable).toBe(variable);
    expect(refused?.message).toMatch(why);
  });

  it('requires the API key (no sandbox on Workers), and never repeats an invalid one', () => {
    expect(refusal({ ...base, EQUOS_API_KEY: '' })).toMatchObject({ variable: 'EQUOS_API_KEY', message: expect.stringContaining('wrangler secret put EQUOS_API_KEY') });
    const invalid = refusal({ ...base, EQUOS_API_KEY: 'has spaces in it' });
    expect(invalid?.variable).toBe('EQUOS_API_KEY');
    expect(invalid?.message).not.toContain('has spaces');
  });

  it('warns that INSTANCE_ID names every isolate alike, and that the demo pages are not deployed', () => {
    const { settings, warnings } = readWorkerSettings({ ...base, INSTANCE_ID: 'edge', DEMO_PAGES: 'on', PUBLIC_URL: 'https://tokens.example' });
    expect(settings.instanceId).toBe('edge');
    expect(warnings).toEqual([expect.stringMatching(/^INSTANCE_ID gives every isolate/), expect.stringMatching(/^DEMO_PAGES is on: the demo pages are read from examples\//)]);
  });
});
