/** DATABASE_URL: how it is read into a Postgres ledger's location, and how the settings check it. */
import { describe, expect, it } from 'vitest';
import { ConfigError, readSettings } from '../config/settings.js';
import { DEFAULT_POSTGRES_SCHEMA, readPostgresUrl } from './postgres-location.js';

const production = { EQUOS_API_KEY: 'sk_live_abcdefghijklmnop', EQUOS_AVATAR_ID: 'avatar-1' };

function configError(env: Record<string, string>): ConfigError {
  try {
    readSettings(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readPostgresUrl', () => {
  it('takes the schema out of the URL and passes the rest on as written', () => {
    expect(readPostgresUrl('postgres://avatar:s3cret@db.internal:5432/shop')).toEqual({ connectionString: 'postgres://avatar:s3cret@db.internal:5432/shop', schema: DEFAULT_POSTGRES_SCHEMA });
    expect(readPostgresUrl('postgresql://db/shop?schema=avatar_eu')).toEqual({ connectionString: 'postgresql://db/shop', schema: 'avatar_eu' });
    expect(readPostgresUrl('postgres://db/shop?sslmode=require&schema=staging_2&host=%2Fvar%2Frun%2Fpostgresql')).toEqual({
      connectionString: 'postgres://db/shop?sslmode=require&host=%2Fvar%2Frun%2Fpostgresql',
      schema: 'staging_2',
    });
  });

  it('refuses another scheme, and a schema name that is not a plain identifier, without repeating the URL', () => {
    expect(() => readPostgresUrl('mysql://root:pw@db/shop')).toThrow(/must be a postgres:\/\/ or postgresql:\/\/ URL/);
    for (const schema of ['Upper', '1st', 'has-dash', 'x'.repeat(64), '', 'a%22b']) {
      expect(() => readPostgresUrl(`postgres://user:pw@db/shop?schema=${schema}`), schema).toThrow(/not a plain schema name/);
    }
    expect(() => readPostgresUrl('postgres://user:topsecret@db/shop?schema=Bad')).not.toThrow(/topsecret/);
  });
});

describe('DATABASE_URL in the settings', () => {
  it('selects the Postgres ledger, over LEDGER_PATH as REDIS_URL does', () => {
    const url = 'postgres://avatar@db.internal/shop?schema=avatar';
    expect(readSettings({ ...production, DATABASE_URL: url }).settings.ledger).toEqual({ kind: 'postgres', url });
    expect(readSettings({ ...production, DATABASE_URL: url, LEDGER_PATH: '/tmp/l.sqlite' }).settings.ledger).toEqual({ kind: 'postgres', url });
    expect(readSettings({ ...production, DATABASE_URL: '  ' }).settings.ledger).toEqual({ kind: 'sqlite', path: 'data/ledger.sqlite' });
  });

  it('refuses a URL of another database or a bad schema, and both DATABASE_URL and REDIS_URL', () => {
    expect(configError({ ...production, DATABASE_URL: 'mysql://root:pw@db/shop' }).variable).toBe('DATABASE_URL');
    expect(configError({ ...production, DATABASE_URL: 'postgres://db/shop?schema=Robert;DROP' }).message).toMatch(/^DATABASE_URL: schema .* is not a plain schema name/);
    const both = configError({ ...production, DATABASE_URL: 'postgres://db/shop', REDIS_URL: 'redis://cache:6379' });
    expect(both.variable).toBe('DATABASE_URL');
    expect(both.message).toMatch(/REDIS_URL is set too/);
  });
});
