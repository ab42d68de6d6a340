/**
 * The widget's files, so one deployment hosts both the API and the script pages embed:
 * `/equos-avatar.js` (short cache: its URL never changes), the same bytes as
 * `/equos-avatar@<version>.js` (cached for a year: what a page pins with `integrity`), and every
 * content-hashed `/equos-avatar-<part>.<hash>.js` (cached for a year): the call's file (`live`),
 * each language's (`fr`…), the one that applies a page's own words (`strings`) and the
 * integrity index (`integrity`). All may be loaded by any site, so they carry
 * `Access-Control-Allow-Origin: *`: the later files are ES module imports, and a
 * `<script integrity crossorigin>` is a CORS request too. Each is sent compressed when the browser takes it: the build writes a
 * Brotli and a gzip copy beside it (`.br`, `.gz`), so nothing is compressed per request.
 *
 * Optionally also the demo page (`/`) and the examples (`/examples/…`), each HTML page with
 * a Content-Security-Policy (see `pagePolicy`).
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { ProblemError } from '../../problems.js';

/** Where files come from (the filesystem on Node; anything on other runtimes). */
export interface StaticAssets {
  /** The bytes of a public path such as `/equos-avatar.js`, or null when there is none. */
  read(path: string): Promise<Uint8Array | null>;
}

/** Options of `staticFileRoutes`. */
export interface StaticFileOptions {
  assets: StaticAssets;
  /** Serve the demo page and the examples [true]. */
  demoPages: boolean;
}

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  png: 'image/png',
  svg: 'image/svg+xml',
};

const SHORT_CACHE = 'public, max-age=300, stale-while-revalidate=86400';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Mounts at `/`. */
export function staticFileRoutes(options: StaticFileOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  async function send(c: Context<AppEnv>, path: string, cacheControl: string, crossOrigin: boolean): Promise<Response> {
    const original = await options.assets.read(path);
    if (!original) {
      throw new ProblemError('not-found', {
        detail: path.startsWith('/equos-avatar') ? 'The widget is not built: run `npm run build`.' : undefined,
      });
    }
    const widget = path.startsWith('/equos-avatar') && path.endsWith('.js');
    const { body, encoding } = widget ? await compressed(path, original, c.req.header('accept-encoding')) : { body: original, encoding: undefined };
    // One tag per representation: a cache must not answer a gzip request with Brotli.
    const etag = `"${await digest(body)}"`;
    const headers: Record<string, string> = {
      'Content-Type': TYPES[path.split('.').pop() ?? ''] ?? 'application/octet-stream',
      'Cache-Control': cacheControl,
      ETag: etag,
      ...(widget ? { Vary: 'Accept-Encoding' } : {}),
      ...(encoding ? { 'Content-Encoding': encoding } : {}),
      ...(crossOrigin ? { 'Access-Control-Allow-Origin': '*' } : {}),
      ...(path.endsWith('.html') ? { 'Content-Security-Policy': await pagePolicy(body) } : {}),
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
  }

  /** The build's compressed copy of `path` that the browser accepts (Brotli first), else the file. */
  async function compressed(path: string, original: Uint8Array, accepted: string | undefined): Promise<{ body: Uint8Array; encoding: string | undefined }> {
    for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']] as const) {
      if (!accepts(accepted, encoding)) continue;
      const body = await options.assets.read(path + suffix);
      if (body) return { body, encoding };
    }
    return { body: original, encoding: undefined };
  }

  app.get('/equos-avatar.js', (c) => send(c, '/equos-avatar.js', SHORT_CACHE, true));
  // The same script under its version's name (a semver: digits, letters, `.`, `+`, `-`), which
  // pages pin with `integrity`: its bytes never change, so it is cached for a year.
  app.get('/:file{equos-avatar@[0-9A-Za-z][0-9A-Za-z.+-]{0,39}\\.js}', (c) => send(c, `/${c.req.param('file')}`, IMMUTABLE, true));
  // Every content-hashed file the build emits, by its naming (dist/manifest.json `files`): the
  // call's file, each language's, the page-words file, and any the build adds later.
  app.get('/:file{equos-avatar-[a-z][a-z0-9-]{0,31}\\.[0-9a-f]{10}\\.js}', (c) => send(c, `/${c.req.param('file')}`, IMMUTABLE, true));
  app.get('/:file{equos-avatar[\\w.-]*\\.(?:LEGAL|LICENSES)\\.txt}', (c) => send(c, `/${c.req.param('file')}`, SHORT_CACHE, true));

  if (options.demoPages) {
    app.get('/', (c) => send(c, '/examples/index.html', 'no-cache', false));
    app.get('/examples/:file{[\\w-]+\\.(?:html|css|js|png|svg)}', (c) => send(c, `/examples/${c.req.param('file')}`, 'no-cache', false));
  }
  return app;
}

/** Whether an `Accept-Encoding` header takes `encoding` (named, or `*`, with a q above 0). */
function accepts(header: string | undefined, encoding: string): boolean {
  let star = false;
  for (const item of (header ?? '').toLowerCase().split(',')) {
    const [token = '', ...parameters] = item.split(';');
    const name = token.trim();
    const q = parameters.map((parameter) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(parameter)?.[1]).find((value) => value !== undefined);
    const wanted = q === undefined || Number(q) > 0;
    if (name === encoding) return wanted;
    if (name === '*') star = wanted;
  }
  return star;
}

/** ETags of bodies already hashed: assets that hand back the same bytes are hashed once. */
const digests = new WeakMap<Uint8Array, string>();

async function digest(body: Uint8Array): Promise<string> {
  let known = digests.get(body);
  if (known === undefined) {
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-1', body as Uint8Array<ArrayBuffer>));
    known = Array.from(hash.subarray(0, 10), (byte) => byte.toString(16).padStart(2, '0')).join('');
    digests.set(body, known);
  }
  return known;
}

/** Policies of pages already read: a page hands back the same bytes until it changes. */
const policies = new WeakMap<Uint8Array, string>();

/**
 * The Content-Security-Policy of a demo or example page: scripts and styles from this server,
 * plus the page's own inline `<script>` and `<style>` blocks by their SHA-256 (computed from
 * the file, so editing a page needs no policy change). A call reaches out beyond this server:
 * the LiveKit server Equos names (WebSocket, and HTTPS or, in the local sandbox, HTTP for
 * LiveKit's connection checks) and avatar thumbnails from any host, so those are open by
 * scheme. Nothing may frame the page but itself, as X-Frame-Options: SAMEORIGIN says.
 *
 * @example
 * // default-src 'self'; script-src 'self' 'sha256-…'; style-src 'self'; …
 * await pagePolicy(new TextEncoder().encode('<script>go()</script>'))
 */
export async function pagePolicy(html: Uint8Array): Promise<string> {
  let policy = policies.get(html);
  if (policy === undefined) {
    const { scripts, styles } = inlineBlocks(new TextDecoder().decode(html));
    const sources = async (blocks: string[]) => ["'self'", ...new Set(await Promise.all(blocks.map(hashSource)))].join(' ');
    policy = [
      "default-src 'self'",
      `script-src ${await sources(scripts)}`,
      `style-src ${await sources(styles)}`,
      "img-src 'self' data: blob: https: http:",
      "media-src 'self' blob:",
      "connect-src 'self' ws: wss: https: http:",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'self'",
    ].join('; ');
    policies.set(html, policy);
  }
  return policy;
}

// A comment is matched first where one starts, so a <script> inside a comment is skipped, and
// a script's text runs to its end tag, `<!--` or not, as the HTML parser reads them.
const INLINE_BLOCK = /<!--[\s\S]*?-->|<(script|style)\b([^>]*)>([\s\S]*?)<\/\1\s*>/gi;

/** The text of a page's inline scripts (those without `src`) and style blocks. */
function inlineBlocks(html: string): { scripts: string[]; styles: string[] } {
  const scripts: string[] = [];
  const styles: string[] = [];
  for (const [, element, attributes = '', text = ''] of html.matchAll(INLINE_BLOCK)) {
    if (element?.toLowerCase() === 'style') styles.push(text);
    else if (element && !/(?:^|\s)src\s*=/i.test(attributes)) scripts.push(text);
  }
  return { scripts, styles };
}

/** A CSP hash source for a block's text, hashed as the browser does: UTF-8, newlines as LF. */
async function hashSource(text: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text.replace(/\r\n?/g, '\n')));
  return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(hash)))}'`;
}
