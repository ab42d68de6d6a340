/**
 * The widget's files, so one deployment hosts both the API and the script pages embed:
 * `/equos-avatar.js` (short cache: its URL never changes) and the content-hashed
 * `/equos-avatar-live.<hash>.js` and `/equos-avatar-<lang>.<hash>.js` (cached for a year).
 * All may be loaded by any site, so they carry `Access-Control-Allow-Origin: *` (the others
 * are ES module imports).
 *
 * Optionally also the demo page (`/`) and the examples (`/examples/…`).
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
    const body = await options.assets.read(path);
    if (!body) {
      throw new ProblemError('not-found', {
        detail: path.startsWith('/equos-avatar') ? 'The widget is not built: run `npm run build`.' : undefined,
      });
    }
    const etag = `"${await digest(body)}"`;
    const headers: Record<string, string> = {
      'Content-Type': TYPES[path.split('.').pop() ?? ''] ?? 'application/octet-stream',
      'Cache-Control': cacheControl,
      ETag: etag,
      ...(crossOrigin ? { 'Access-Control-Allow-Origin': '*' } : {}),
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
  }

  app.get('/equos-avatar.js', (c) => send(c, '/equos-avatar.js', SHORT_CACHE, true));
  // Every content-hashed file the build emits: the call's file and each language's.
  app.get('/:file{equos-avatar-(?:live|[a-z]{2})\\.[0-9a-f]{10}\\.js}', (c) => send(c, `/${c.req.param('file')}`, IMMUTABLE, true));
  app.get('/:file{equos-avatar[\\w.-]*\\.(?:LEGAL|LICENSES)\\.txt}', (c) => send(c, `/${c.req.param('file')}`, SHORT_CACHE, true));

  if (options.demoPages) {
    app.get('/', (c) => send(c, '/examples/index.html', 'no-cache', false));
    app.get('/examples/:file{[\\w-]+\\.(?:html|css|js|png|svg)}', (c) => send(c, `/examples/${c.req.param('file')}`, 'no-cache', false));
  }
  return app;
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
