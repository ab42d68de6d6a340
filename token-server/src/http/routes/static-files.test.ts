/** The widget's files and the demo pages, as the token server serves them. */
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../config/settings.js';
import { createMemoryStore } from '../../ledger/memory-store.js';
import { silentLogger } from '../../logger.js';
import { nodeAssets } from '../../node/assets.js';
import { createTokenServer } from '../../token-server.js';
import type { StaticAssets } from './static-files.js';

const files: Record<string, string> = {
  '/equos-avatar.js': 'console.log("widget")',
  '/equos-avatar-live.0123456789.js': 'export const live = 1',
  '/equos-avatar-fr.abcdef0123.js': 'export default {}',
  '/examples/index.html': '<!doctype html><title>demo</title>',
  '/examples/one-line-bubble.html': '<!doctype html><title>one line</title>',
};
const memoryAssets: StaticAssets = { read: async (path) => (path in files ? new TextEncoder().encode(files[path]) : null) };

function app(options: { demoPages?: boolean; assets?: StaticAssets } = {}) {
  const { settings } = readSettings({ EQUOS_API_KEY: 'sk_static_test_key', EQUOS_ENDPOINT: 'http://127.0.0.1:9', EQUOS_AVATAR_ID: 'a', SESSION_SECRET: 'x'.repeat(40) });
  return createTokenServer({ ...settings, demoPages: options.demoPages ?? true }, { store: createMemoryStore(), logger: silentLogger, assets: options.assets ?? memoryAssets }).app;
}

describe('widget files', () => {
  it('serves the widget script to any site, with a short cache and an ETag', async () => {
    const response = await app().request('/equos-avatar.js', { headers: { origin: 'https://any-site.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=86400');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await response.text()).toBe(files['/equos-avatar.js']);

    const etag = response.headers.get('etag')!;
    const again = await app().request('/equos-avatar.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('caches the content-hashed second file for a year', async () => {
    const response = await app().request('/equos-avatar-live.0123456789.js');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('serves each language file to any site, cached for a year (pages of other languages import it)', async () => {
    const response = await app().request('/equos-avatar-fr.abcdef0123.js', { headers: { origin: 'https://boutique.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect((await app().request('/equos-avatar-fr.js')).status).toBe(404);
  });

  it('answers 404 problems for unknown or missing files, and says when the widget is not built', async () => {
    const missing = await app({ assets: { read: async () => null } }).request('/equos-avatar.js');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'not-found', detail: 'The widget is not built: run `npm run build`.' });
    expect((await app().request('/equos-avatar-live.nothex.js')).status).toBe(404);
    expect((await app().request('/examples/../package.json')).status).toBe(404);
  });

  it('serves the demo page and examples unless DEMO_PAGES is off', async () => {
    const demo = await app().request('/');
    expect(demo.status).toBe(200);
    expect(demo.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await app().request('/examples/one-line-bubble.html')).status).toBe(200);
    expect((await app({ demoPages: false }).request('/')).status).toBe(404);
    expect((await app({ demoPages: false }).request('/examples/one-line-bubble.html')).status).toBe(404);
  });
});

describe('nodeAssets', () => {
  it('reads the built widget and the examples, and nothing outside their folders', async () => {
    const assets = nodeAssets();
    expect(await assets.read('/examples/index.html')).not.toBeNull();
    expect(await assets.read('/examples/../package.json')).toBeNull();
    expect(await assets.read('/../package.json')).toBeNull();
    expect(await assets.read('/examples/missing.html')).toBeNull();
  });
});
