/** The composition root: what it refuses at boot, and that it wires one of everything. */
import { describe, expect, it } from 'vitest';
import { readSettings } from './config/settings.js';
import { createMemoryStore } from './ledger/memory-store.js';
import { silentLogger } from './logger.js';
import { createTokenServer } from './token-server.js';

describe('createTokenServer', () => {
  const { settings } = readSettings({ EQUOS_AVATAR_ID: 'a', SESSION_SECRET: 'token-server-test-secret-0123456789ab', EQUOS_CLIENT: 't' });
  const deps = () => ({ store: createMemoryStore(), logger: silentLogger });

  it('says how to fix a missing Equos client or an unknown default preset', () => {
    expect(settings.equos).toBeNull();
    expect(() => createTokenServer(settings, deps())).toThrow(/settings\.equos .* or pass deps\.equos/);
    expect(() => createTokenServer({ ...settings, equos: { apiKey: 'k'.repeat(10), endpoint: 'http://x' }, defaultPreset: 'other' }, deps())).toThrow(
      /defaultPreset "other"/,
    );
  });

  it('refuses an allowed origin that is not an origin at boot', () => {
    const equos = { apiKey: 'k'.repeat(10), endpoint: 'http://x' };
    expect(() => createTokenServer({ ...settings, equos, allowedOrigins: ['https://a.example/path'] }, deps())).toThrow(TypeError);
  });

  it('needs a ledger store: none is made up behind the caller’s back', () => {
    const equos = { apiKey: 'k'.repeat(10), endpoint: 'http://x' };
    // @ts-expect-error the store is required
    expect(() => createTokenServer({ ...settings, equos }, { logger: silentLogger })).toThrow(/deps\.store/);
  });
});
