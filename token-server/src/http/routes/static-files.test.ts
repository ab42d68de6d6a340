/** The widget's files and the demo pages, as the token server serves them. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../config/settings.js';
import { createMemoryStore } from '../../ledger/memory-store.js';
import { silentLogger } from '../../logger.js';
import { nodeAssets } from '../../node/assets.js';
import { createTokenServer } from '../../token-server.js';
import { startStack } from '../../../test/harness.js';
import type { StaticAssets } from './static-files.js';

const files: Record<string, string> = {
  '/equos-avatar.js': 'console.log("widget")',
  '/equos-avatar@1.2.0-beta.1.js': 'console.log("widget")',
  '/equos-avatar-live.0123456789.js': 'export const live = 1',
  '/equos-avatar-fr.abcdef0123.js': 'export default {}',
  '/equos-avatar-zh.abcdef0123.js': 'export default {}',
  '/equos-avatar-strings.abcdef0123.js': 'export function withOverrides() {}',
  '/examples/index.html': '<!doctype html><title>demo</title>',
  '/examples/one-line-bubble.html': '<!doctype html><title>one line</title>',
  '/examples/inline-blocks.html': [
    '<!doctype html><style>\r\n  p { color: red }\r\n</style>',
    '<!-- <script>commented()</script> -->',
    '<script src="/equos-avatar.js">ignored()</script>',
    '<SCRIPT type="module">go("</p><!--")</SCRIPT >',
    '<script>go("</p><!--")</script>',
  ].join('\n'),
};
const memoryAssets: StaticAssets = { read: async (path) => (path in files ? new TextEncoder().encode(files[path]) : null) };

function app(options: { demoPages?: boolean; assets?: StaticAssets } = {}) {
  const { settings } = readSettings({ EQUOS_API_KEY: 'sk_static_test_key', EQUOS_ENDPOINT: 'http://127.0.0.1:9', EQUOS_AVATAR_ID: 'a', SESSION_SECRET: 'static-files-session-secret-0123456789ab' });
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

  it('serves the versioned script (what a page pins with integrity) to any site, cached for a year', async () => {
    const response = await app().request('/equos-avatar@1.2.0-beta.1.js', { headers: { origin: 'https://any-site.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.text()).toBe(files['/equos-avatar@1.2.0-beta.1.js']);
    for (const path of ['/equos-avatar@9.9.9.js', '/equos-avatar@.js', '/equos-avatar@-1.js', '/equos-avatar@1.0%2F..%2Fmanifest.js', '/equos-avatar@1.0.0.txt']) {
      expect((await app().request(path)).status, path).toBe(404);
    }
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

  it('serves every other content-hashed widget file the same way (the page-words file, any language)', async () => {
    for (const path of ['/equos-avatar-strings.abcdef0123.js', '/equos-avatar-zh.abcdef0123.js']) {
      const response = await app().request(path, { headers: { origin: 'https://boutique.example' } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('access-control-allow-origin'), path).toBe('*');
    }
    // Only content-hashed names: anything else under the prefix is not a widget file.
    for (const path of ['/equos-avatar-strings.js', '/equos-avatar-Strings.abcdef0123.js', '/equos-avatar-.abcdef0123.js', '/equos-avatar-x..abcdef0123.js']) {
      expect((await app().request(path)).status, path).toBe(404);
    }
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

/** The CSP hash source of a block of text, computed here independently of the server. */
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const directives = (policy: string | null) => new Map((policy ?? '').split(';').map((directive) => {
  const [name = '', ...values] = directive.trim().split(/\s+/);
  return [name, values] as const;
}));

describe('Content-Security-Policy of the demo pages', () => {
  it('is sent with every HTML page, and locks down what the pages do not need', async () => {
    for (const path of ['/', '/examples/one-line-bubble.html', '/examples/inline-blocks.html']) {
      const policy = directives((await app().request(path)).headers.get('content-security-policy'));
      expect(policy.get('default-src'), path).toEqual(["'self'"]);
      expect(policy.get('object-src'), path).toEqual(["'none'"]);
      expect(policy.get('base-uri'), path).toEqual(["'none'"]);
      expect(policy.get('form-action'), path).toEqual(["'self'"]);
      expect(policy.get('frame-ancestors'), path).toEqual(["'self'"]);
      // A call talks to a LiveKit server elsewhere and shows thumbnails from anywhere.
      expect(policy.get('connect-src'), path).toEqual(["'self'", 'ws:', 'wss:', 'https:', 'http:']);
      expect(policy.get('img-src'), path).toEqual(["'self'", 'data:', 'blob:', 'https:', 'http:']);
      expect(policy.get('media-src'), path).toEqual(["'self'", 'blob:']);
    }
    const plain = directives((await app().request('/')).headers.get('content-security-policy'));
    expect(plain.get('script-src')).toEqual(["'self'"]);
    expect(plain.get('style-src')).toEqual(["'self'"]);
  });

  it("allows a page's own inline scripts and styles by hash, and nothing else inline", async () => {
    const policy = directives((await app().request('/examples/inline-blocks.html')).headers.get('content-security-policy'));
    // One hash for the two identical scripts; none for the external or the commented-out one.
    expect(policy.get('script-src')).toEqual(["'self'", sha256('go("</p><!--")')]);
    // The browser hashes the text after turning CRLF into LF.
    expect(policy.get('style-src')).toEqual(["'self'", sha256('\n  p { color: red }\n')]);
    expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('keeps its policy on a 304, and sends none with scripts or other files', async () => {
    const page = await app().request('/examples/inline-blocks.html');
    const again = await app().request('/examples/inline-blocks.html', { headers: { 'if-none-match': page.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(again.headers.get('content-security-policy')).toBe(page.headers.get('content-security-policy'));
    for (const path of ['/equos-avatar.js', '/equos-avatar-live.0123456789.js', '/equos-avatar-fr.abcdef0123.js']) {
      expect((await app().request(path)).headers.get('content-security-policy'), path).toBeNull();
    }
  });

  it('covers the inline scripts and styles of the real example pages, over HTTP', async () => {
    const folder = new URL('../../../../examples/', import.meta.url);
    const stack = await startStack({ config: { demoPages: true }, deps: { assets: nodeAssets() } });
    try {
      let blocks = 0;
      for (const name of readdirSync(folder).filter((file) => file.endsWith('.html'))) {
        const html = readFileSync(new URL(name, folder), 'utf8');
        const response = await stack.request(name === 'index.html' ? '/' : `/examples/${name}`, { origin: null });
        expect(response.text, name).toBe(html);
        const policy = directives(response.headers.get('content-security-policy'));
        expect(policy.get('default-src'), name).toEqual(["'self'"]);
        for (const [, tag, text] of html.matchAll(/<(script|style)>([\s\S]*?)<\/\1>/g)) {
          expect(policy.get(`${tag}-src`), `${name} <${tag}>`).toContain(sha256(text!));
          blocks += 1;
        }
      }
      // js-api.html's script, and the page styles of one-line-bubble.html and inline-embed.html.
      expect(blocks).toBeGreaterThanOrEqual(3);
    } finally {
      await stack.close();
    }
  });
});

describe('the built widget, over HTTP', () => {
  it('serves every file the build emits to pages of any origin, each content-hashed one cached for a year', async () => {
    const dist = new URL('../../../../dist/', import.meta.url);
    let manifest: { loader: string; live: string; strings: string; locales: Record<string, string>; files: string[] };
    try {
      manifest = JSON.parse(readFileSync(new URL('manifest.json', dist), 'utf8'));
    } catch {
      throw new Error('dist/manifest.json is missing: run `npm run build` first.');
    }
    expect(manifest.files).toEqual(expect.arrayContaining([manifest.loader, manifest.live, manifest.strings, ...Object.values(manifest.locales)]));
    expect(Object.keys(manifest.locales).length).toBeGreaterThanOrEqual(13);
    const stack = await startStack({ deps: { assets: nodeAssets() } });
    try {
      for (const file of manifest.files) {
        const response = await stack.request(`/${file}`, { origin: 'https://boutique.example' });
        expect(response.status, file).toBe(200);
        expect(response.headers.get('content-type'), file).toBe('text/javascript; charset=utf-8');
        expect(response.headers.get('access-control-allow-origin'), file).toBe('*');
        expect(response.headers.get('cross-origin-resource-policy'), file).toBe('cross-origin');
        expect(response.headers.get('cache-control'), file).toBe(file === manifest.loader ? 'public, max-age=300, stale-while-revalidate=86400' : 'public, max-age=31536000, immutable');
        expect(response.text, file).toBe(readFileSync(new URL(file, dist), 'utf8'));
      }
    } finally {
      await stack.close();
    }
  });
});

describe('compressed widget files', () => {
  /** A GET over real HTTP whose body is read as sent (fetch would decompress it). */
  function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      get(url, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
  }

  it('sends each built script as the browser takes it: Brotli first, else gzip, else as it is, each with its own ETag', async () => {
    const dist = new URL('../../../../dist/', import.meta.url);
    const manifest = JSON.parse(readFileSync(new URL('manifest.json', dist), 'utf8')) as { files: string[] };
    const stack = await startStack({ deps: { assets: nodeAssets() } });
    try {
      for (const file of manifest.files) {
        const original = readFileSync(new URL(file, dist));
        const url = `${stack.url}/${file}`;
        const brotli = await rawGet(url, { 'accept-encoding': 'gzip, deflate, br, zstd' });
        expect([brotli.status, brotli.headers['content-encoding'], brotli.headers.vary], file).toEqual([200, 'br', 'Accept-Encoding']);
        expect(brotliDecompressSync(brotli.body).equals(original), file).toBe(true);
        expect(brotli.body.length, file).toBeLessThan(original.length);
        const gzip = await rawGet(url, { 'accept-encoding': 'gzip;q=1.0, br;q=0' });
        expect(gzip.headers['content-encoding'], file).toBe('gzip');
        expect(gunzipSync(gzip.body).equals(original), file).toBe(true);
        const plain = await rawGet(url, { 'accept-encoding': 'identity' });
        expect([plain.headers['content-encoding'], plain.body.equals(original)], file).toEqual([undefined, true]);
        expect(new Set([brotli.headers.etag, gzip.headers.etag, plain.headers.etag]).size, file).toBe(3);
        const revalidated = await rawGet(url, { 'accept-encoding': 'br', 'if-none-match': String(brotli.headers.etag) });
        expect([revalidated.status, revalidated.headers['content-encoding'], revalidated.body.length], file).toEqual([304, 'br', 0]);
      }
      // What every page loads first is sent well within its budget.
      const launcher = await rawGet(`${stack.url}/equos-avatar.js`, { 'accept-encoding': 'gzip' });
      expect(launcher.body.length).toBeLessThanOrEqual(12 * 1024);
    } finally {
      await stack.close();
    }
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
