import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError, ENVIRONMENT_VARIABLES, readSettings, type SettingsHost } from './settings.js';

/** The settings of `env` (with `readFile` for a presets file), as `{ config, listen }` views of the one object. */
function settingsOf(env: Record<string, string>, readFile?: SettingsHost['readFile']) {
  const { settings, warnings } = readSettings(env, readFile ? { readFile } : {});
  return { config: settings, listen: settings, warnings };
}

const KEY = 'sk_live_abcdefghijklmnop';
const production = { EQUOS_API_KEY: KEY, EQUOS_AVATAR_ID: 'avatar-1', EQUOS_AGENT_ID: 'agent-1' };

function configError(env: Record<string, string>, files: Record<string, string> = {}): ConfigError {
  try {
    settingsOf(env, (path: string) => {
      if (!(path in files)) throw new Error('ENOENT');
      return files[path]!;
    });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readSettings', () => {
  it('builds a default preset from EQUOS_* variables, with safe defaults', () => {
    const { config, listen, warnings } = settingsOf({ ...production, EQUOS_AVATAR_NAME: 'Jeremy' });
    expect(config.equos).toEqual({ apiKey: KEY, endpoint: 'https://api.equos.ai' });
    expect(config.presets).toEqual([
      { name: 'default', displayName: 'Jeremy', avatarId: 'avatar-1', agentId: 'agent-1', maxDurationS: 600 },
    ]);
    expect(config.defaultPreset).toBe('default');
    expect(config.allowedOrigins).toEqual([]);
    // Unset: one is made once and kept in the ledger (../deployment/deployment.ts).
    expect(config.sessionSecret).toBeNull();
    expect(listen).toMatchObject({ listen: { port: 8787, host: '127.0.0.1' }, ledger: { kind: 'sqlite', path: 'data/ledger.sqlite' } });
    expect(listen.reaper).toEqual({ intervalMs: 2000, graceMs: 30_000, orphanSweepMs: 300_000, retryBaseMs: 2000, retryMaxMs: 300_000, createSettleMs: 5000 });
    expect(listen.deadlines).toEqual({ create: 15_000, stop: 8_000, get: 8_000, list: 10_000 });
    expect(listen.equosRetry).toEqual({ attempts: 3, baseDelayMs: 250, maxDelayMs: 2000 });
    expect(config.limits).toEqual({ ratePerMinute: 10, siteRatePerMinute: 300, perVisitor: 2, concurrent: 25, actionsPerMinute: 600 });
    expect(config.heartbeat).toEqual({ intervalMs: 20_000, timeoutMs: 90_000, idleStopMs: 600_000 });
    expect(config.trustedProxy).toBeNull();
    // With a real key the demo pages are off unless asked for.
    expect(config.demoPages).toBe(false);
    expect(config.usesSandbox).toBe(false);
    expect(config.publicOrigin).toBeNull();
    expect(warnings.join('\n')).toMatch(/ALLOWED_ORIGINS and PUBLIC_URL are empty/);
  });

  it('runs on the local sandbox when no API key is set', () => {
    const { config, warnings } = settingsOf({});
    expect(config.equos).toBeNull();
    expect(config.usesSandbox).toBe(true);
    // The local demo: its pages on, and a ledger of its own (never the real Equos' one).
    expect(config.demoPages).toBe(true);
    // Its sessions end with the process: so does its ledger, unless one is named.
    expect(config.ledger).toEqual({ kind: 'memory' });
    expect(settingsOf({ LEDGER_PATH: '/tmp/l.sqlite' }).config.ledger).toEqual({ kind: 'sqlite', path: '/tmp/l.sqlite' });
    expect(settingsOf({ ALLOWED_ORIGINS: '*' }).config.allowedOrigins).toBe('*');
    expect(warnings).toEqual([]);
    expect(config.presets[0]).toMatchObject({ avatarId: 'sandbox-avatar', agentId: 'sandbox-agent', displayName: 'Ava' });
  });

  it('reads origins, secret, limits, endpoint, port and host', () => {
    const { config, listen, warnings } = settingsOf({
      ...production,
      ALLOWED_ORIGINS: ' https://a.example, https://b.example:8443/ ',
      SESSION_SECRET: 'Zq3v9K1xTt7mWb2Lr8Ne5Hc0Ys4Pj6Ud',
      PUBLIC_URL: 'https://avatar.example/widget/',
      MAX_SESSION_SECONDS: '900',
      EQUOS_ENDPOINT: 'http://127.0.0.1:9999/',
      PORT: '0',
      HOST: '0.0.0.0',
    });
    expect(config.allowedOrigins).toEqual(['https://a.example', 'https://b.example:8443']);
    expect(config.sessionSecret).toBe('Zq3v9K1xTt7mWb2Lr8Ne5Hc0Ys4Pj6Ud');
    expect(config.publicOrigin).toBe('https://avatar.example');
    expect(config.presets[0]!.maxDurationS).toBe(900);
    expect(config.equos!.endpoint).toBe('http://127.0.0.1:9999');
    expect(listen).toMatchObject({ listen: { port: 0, host: '0.0.0.0' } });
    expect(warnings).toEqual([]);
  });

  it('reads the ledger, limits, heartbeat, reaper and proxy settings', () => {
    const { config, listen } = settingsOf({
      ...production,
      REDIS_URL: 'redis://10.0.0.5:6379',
      RATE_LIMIT_PER_MINUTE: '4',
      MAX_SESSIONS_PER_VISITOR: '1',
      MAX_CONCURRENT_SESSIONS: '40',
      DAILY_BUDGET_MINUTES: '600',
      HEARTBEAT_INTERVAL_S: '0.5',
      HEARTBEAT_TIMEOUT_S: '2',
      IDLE_STOP_S: '120',
      REAPER_INTERVAL_S: '0.25',
      STOP_GRACE_S: '1.5',
      ORPHAN_SWEEP_S: '0',
      TRUSTED_PROXY_HEADER: 'X-Forwarded-For',
      TRUSTED_PROXY_HOPS: '2',
      INSTANCE_ID: 'web-1',
    });
    expect(listen).toMatchObject({ ledger: { kind: 'redis', url: 'redis://10.0.0.5:6379' }, reaper: { intervalMs: 250, graceMs: 1500, orphanSweepMs: 0 }, instanceId: 'web-1' });
    expect(config).toMatchObject({
      limits: { ratePerMinute: 4, perVisitor: 1, concurrent: 40, dailyBudgetMinutes: 600 },
      heartbeat: { intervalMs: 500, timeoutMs: 2000, idleStopMs: 120_000 },
      trustedProxy: { header: 'x-forwarded-for', hops: 2 },
    });
    expect(configError({ ...production, HEARTBEAT_INTERVAL_S: '20', HEARTBEAT_TIMEOUT_S: '30' }).variable).toBe('HEARTBEAT_TIMEOUT_S');
    expect(configError({ ...production, IDLE_STOP_S: '1.5' }).variable).toBe('IDLE_STOP_S');
    expect(settingsOf(production).config.heartbeat.idleStopMs).toBe(600_000);
    expect(configError({ ...production, REDIS_URL: 'http://x' }).variable).toBe('REDIS_URL');
    expect(configError({ ...production, TRUSTED_PROXY_HEADER: 'bad header' }).variable).toBe('TRUSTED_PROXY_HEADER');
    expect(configError({ ...production, REAPER_INTERVAL_S: 'often' }).variable).toBe('REAPER_INTERVAL_S');
  });

  it('reads the Equos deadlines, above 10 s too (the gateway enforces exactly these)', () => {
    const { listen } = settingsOf({ ...production, EQUOS_CREATE_TIMEOUT_S: '30', EQUOS_STOP_TIMEOUT_S: '12.5' });
    expect(listen.deadlines).toEqual({ create: 30_000, stop: 12_500, get: 12_500, list: 10_000 });
    expect(configError({ ...production, EQUOS_CREATE_TIMEOUT_S: '121' }).variable).toBe('EQUOS_CREATE_TIMEOUT_S');
  });

  it('documents every variable it reads in the README, and reads every variable the README documents', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    // The Configuration section, up to the next one of its level (Deploying names bindings, not variables).
    const start = readme.indexOf('\n## Configuration\n');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const documented = new Set([...section.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1]!));
    expect([...ENVIRONMENT_VARIABLES].filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => !(ENVIRONMENT_VARIABLES as readonly string[]).includes(name))).toEqual([]);
  });

  it('asks for consent to CONSENT_VERSION only when it is set, and refuses a version the widget could not send', () => {
    expect(settingsOf(production).config.consentVersion).toBeNull();
    expect(settingsOf({ ...production, CONSENT_VERSION: '  ' }).config.consentVersion).toBeNull();
    for (const version of ['2026-11', 'v3', 'privacy-2.1', 'a', 'A:b_c.d-e', 'x'.repeat(64)]) {
      expect(settingsOf({ ...production, CONSENT_VERSION: version }).config.consentVersion).toBe(version);
    }
    expect(settingsOf({ ...production, CONSENT_VERSION: ' v3 ' }).config.consentVersion).toBe('v3');
    for (const version of ['-v3', '.hidden', 'x'.repeat(65), 'v 3', 'v3/4', 'privacy–2', 'vé']) {
      const error = configError({ ...production, CONSENT_VERSION: version });
      expect(error.variable).toBe('CONSENT_VERSION');
      expect(error.message).toMatch(/1–64 letters, digits/);
    }
  });

  it('logs at LOG_LEVEL (info by default)', () => {
    expect(settingsOf(production).listen.logLevel).toBe('info');
    expect(settingsOf({ ...production, LOG_LEVEL: 'DEBUG' }).listen.logLevel).toBe('debug');
    expect(configError({ ...production, LOG_LEVEL: 'loud' }).variable).toBe('LOG_LEVEL');
  });

  it('serves the demo pages with a real key only when DEMO_PAGES is on, and warns without PUBLIC_URL', () => {
    expect(settingsOf(production).config.demoPages).toBe(false);
    const asked = settingsOf({ ...production, DEMO_PAGES: 'on' });
    expect(asked.config.demoPages).toBe(true);
    expect(asked.warnings.join()).toMatch(/DEMO_PAGES is on without PUBLIC_URL/);
    expect(settingsOf({ DEMO_PAGES: 'off' }).config.demoPages).toBe(false);
    expect(configError({ ...production, DEMO_PAGES: 'maybe' }).variable).toBe('DEMO_PAGES');
  });

  it('refuses ALLOWED_ORIGINS=* with a real key unless DEVELOPMENT_MODE is on, and then warns', () => {
    const refused = configError({ ...production, ALLOWED_ORIGINS: '*' });
    expect(refused.variable).toBe('ALLOWED_ORIGINS');
    expect(refused.message).toMatch(/DEVELOPMENT_MODE=on/);
    const { config, warnings } = settingsOf({ ...production, ALLOWED_ORIGINS: '*', DEVELOPMENT_MODE: 'on' });
    expect(config.allowedOrigins).toBe('*');
    expect(warnings.join()).toMatch(/any website/);
  });

  it.each([
    ['too short', 'Zq3v9K1xTt7mWb2Lr8Ne5Hc0'],
    ['one character', 'a'.repeat(48)],
    ['few characters', 'abababababcdcdcdcdcdabababababcdcdcdcd'],
    ['a piece repeated', 'correct-horse-'.repeat(4)],
  ])('refuses a weak SESSION_SECRET (%s)', (_, secret) => {
    expect(configError({ ...production, SESSION_SECRET: secret }).variable).toBe('SESSION_SECRET');
  });

  it('reads PUBLIC_URL as an origin and refuses what is not a URL', () => {
    expect(settingsOf({ ...production, PUBLIC_URL: 'http://127.0.0.1:8787' }).config.publicOrigin).toBe('http://127.0.0.1:8787');
    expect(configError({ ...production, PUBLIC_URL: 'avatar.example' }).variable).toBe('PUBLIC_URL');
  });

  it.each([
    [{ MAX_SESSION_SECONDS: 'ten' }, 'MAX_SESSION_SECONDS'],
    [{ MAX_SESSION_SECONDS: '4' }, 'MAX_SESSION_SECONDS'],
    [{ MAX_SESSION_SECONDS: '1e3' }, 'MAX_SESSION_SECONDS'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ ALLOWED_ORIGINS: 'https://a.example/path' }, 'ALLOWED_ORIGINS'],
    [{ ALLOWED_ORIGINS: 'a.example' }, 'ALLOWED_ORIGINS'],
    [{ ALLOWED_ORIGINS: 'https://a.example,*' }, 'ALLOWED_ORIGINS'],
    [{ EQUOS_ENDPOINT: 'ftp://api.equos.ai' }, 'EQUOS_ENDPOINT'],
    [{ EQUOS_ENDPOINT: 'https://api.equos.ai/?x=1' }, 'EQUOS_ENDPOINT'],
    [{ EQUOS_AVATAR_ID: '' }, 'EQUOS_AVATAR_ID'],
    [{ EQUOS_AVATAR_ID: 'has space' }, 'EQUOS_AVATAR_ID'],
    [{ EQUOS_AGENT_ID: 'a/b' }, 'EQUOS_AGENT_ID'],
    [{ EQUOS_AVATAR_THUMBNAIL_URL: 'javascript:alert(1)' }, 'EQUOS_AVATAR_THUMBNAIL_URL'],
    [{ EQUOS_CLIENT: 'bad tag' }, 'EQUOS_CLIENT'],
    [{ EQUOS_CLIENT: 'x'.repeat(101) }, 'EQUOS_CLIENT'],
  ])('stops start-up on %o, naming %s', (override, variable) => {
    const error = configError({ ...production, ...override });
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).not.toContain(KEY);
  });

  it('never repeats the API key, whatever is wrong with it', () => {
    for (const key of ['sk live with spaces', 'short', `sk_${'x'.repeat(600)}`, 'sk_live_\nnewline_inside']) {
      const error = configError({ ...production, EQUOS_API_KEY: key });
      expect(error.variable).toBe('EQUOS_API_KEY');
      expect(error.message).not.toContain(key.trim().slice(0, 6));
    }
  });

  describe('PRESETS_FILE', () => {
    const file = (content: unknown) => ({ '/etc/presets.json': JSON.stringify(content) });
    const env = { EQUOS_API_KEY: KEY, PRESETS_FILE: '/etc/presets.json', MAX_SESSION_SECONDS: '600' };

    it('reads several presets and a default', () => {
      const { config } = settingsOf(env, () =>
        JSON.stringify({
          default: 'sales',
          presets: [
            { name: 'support', avatar_id: 'av1', agent_id: 'ag1' },
            { name: 'sales', display_name: ' Sofia ', avatar_id: 'av2', thumbnail_url: 'https://cdn.example/s.png', max_duration_s: 120 },
          ],
        }),
      );
      expect(config.defaultPreset).toBe('sales');
      expect(config.presets).toEqual([
        { name: 'support', displayName: 'support', avatarId: 'av1', agentId: 'ag1', maxDurationS: 600 },
        { name: 'sales', displayName: 'Sofia', avatarId: 'av2', thumbnailUrl: 'https://cdn.example/s.png', maxDurationS: 120 },
      ]);
    });

    it.each([
      [{ presets: [] }, /presets must be a non-empty array/],
      [{ presets: [{ name: 'Bad Name', avatar_id: 'a' }] }, /presets\[0\]\.name/],
      [{ presets: [{ name: 'a' }] }, /presets\[0\]\.avatar_id/],
      [{ presets: [{ name: 'a', avatar_id: 'x', max_duration_s: 601 }] }, /presets\[0\]\.max_duration_s .*MAX_SESSION_SECONDS \(600\)/],
      [{ presets: [{ name: 'a', avatar_id: 'x', thumbnail_url: 'data:x' }] }, /thumbnail_url/],
      [{ presets: [{ name: 'a', avatar_id: 'x' }, { name: 'a', avatar_id: 'y' }] }, /appears twice/],
      [{ default: 'zzz', presets: [{ name: 'a', avatar_id: 'x' }] }, /default must be the name/],
    ])('refuses %o', (content, message) => {
      const error = configError(env, file(content));
      expect(error.variable).toBe('PRESETS_FILE');
      expect(error.message).toMatch(message);
    });

    it('says when the file is missing or not JSON', () => {
      expect(configError(env).message).toMatch(/cannot be read/);
      expect(configError(env, { '/etc/presets.json': '{nope' }).message).toMatch(/not valid JSON/);
    });
  });

  it('reads a v3 character for the default preset (EQUOS_CHARACTER_ID), alone', () => {
    const { config } = settingsOf({ EQUOS_API_KEY: KEY, EQUOS_CHARACTER_ID: 'char_1', EQUOS_AVATAR_NAME: 'Ava' });
    expect(config.presets).toEqual([{ name: 'default', displayName: 'Ava', characterId: 'char_1', maxDurationS: 600 }]);
    expect(settingsOf({ EQUOS_CHARACTER_ID: 'sandbox-character' }).config.presets[0]).toMatchObject({ characterId: 'sandbox-character', displayName: 'Ava' });
    expect(configError({ ...production, EQUOS_CHARACTER_ID: 'char_1' }).variable).toBe('EQUOS_CHARACTER_ID');
    expect(configError({ EQUOS_API_KEY: KEY, EQUOS_CHARACTER_ID: 'has space' }).variable).toBe('EQUOS_CHARACTER_ID');
  });

  it('reads character presets from PRESETS_FILE, and refuses a file mixing generations or a preset naming both', () => {
    const env = { EQUOS_API_KEY: KEY, PRESETS_FILE: '/p.json' };
    const read = (presets: unknown[]) => settingsOf(env, () => JSON.stringify({ presets }));
    expect(read([{ name: 'sales', character_id: 'char_2', max_duration_s: 120 }]).config.presets).toEqual([{ name: 'sales', displayName: 'sales', characterId: 'char_2', maxDurationS: 120 }]);
    const mixed = configError(env, { '/p.json': JSON.stringify({ presets: [{ name: 'a', character_id: 'c' }, { name: 'b', avatar_id: 'x' }] }) });
    expect(mixed.message).toMatch(/one Equos API generation/);
    const both = configError(env, { '/p.json': JSON.stringify({ presets: [{ name: 'a', character_id: 'c', avatar_id: 'x' }] }) });
    expect(both.message).toMatch(/presets\[0\]\.character_id/);
  });

  it('reads the page variables a preset lets the page fill, and refuses malformed ones', () => {
    const env = { EQUOS_API_KEY: KEY, PRESETS_FILE: '/p.json' };
    const file = (page_vars: unknown) => ({ '/p.json': JSON.stringify({ presets: [{ name: 'a', avatar_id: 'x', page_vars }] }) });
    expect(settingsOf(env, () => file(['page_title', { name: 'product', max_length: 80 }])['/p.json']).config.presets[0]!.pageVars).toEqual([
      { name: 'page_title', maxLength: 200 },
      { name: 'product', maxLength: 80 },
    ]);
    for (const bad of ['page_title', ['Bad Name'], [{ name: 'x', max_length: 0 }], ['a', 'a']]) {
      expect(configError(env, file(bad)).message).toMatch(/presets\[0\]\.page_vars/);
    }
  });

  it('requires an avatar id with a real API key (and no presets file)', () => {
    expect(configError({ EQUOS_API_KEY: KEY }).variable).toBe('EQUOS_AVATAR_ID');
  });
});
