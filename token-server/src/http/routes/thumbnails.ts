/**
 * `GET /api/presets/:name/thumbnail?w=<px>`: a preset's picture, square and small (see
 * ../../thumbnails/). `w` rounds up to the next served width (64, 128, 192, 384) and is 128
 * when absent. Cached by browsers and CDNs for a day (then revalidated with the ETag).
 *
 * Mounted ahead of the origin allowlist, like the widget's own files: a picture costs nothing,
 * shows nothing private (the presets list names it to anyone), and any page may show it,
 * so it carries `Access-Control-Allow-Origin: *` whoever asks (an `<img>` sends no Origin;
 * a `crossorigin` one, or a canvas, may read it too).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { methodNotAllowed } from '../method-not-allowed.js';
import { ProblemError } from '../../problems.js';
import { DEFAULT_THUMBNAIL_WIDTH, thumbnailWidthFor, type ThumbnailWidth } from '../../thumbnails/sizes.js';
import type { Thumbnails } from '../../thumbnails/thumbnails.js';

const CACHE_CONTROL = 'public, max-age=86400, stale-while-revalidate=604800';
/** Without a resizer, the redirect to the source is short-lived: one may be installed tomorrow. */
const REDIRECT_CACHE_CONTROL = 'public, max-age=300';
const WIDTH = /^[1-9][0-9]*$/;

/** Mounts at `/api/presets`. */
export function thumbnailRoutes(thumbnails: Thumbnails): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/:name/thumbnail', async (c) => {
      const width = widthOf(c.req.query('w'));
      const answer = await thumbnails.get(c.req.param('name'), width, c.req.header('accept'), c.get('requestId'));
      if (answer.kind === 'source') {
        return c.body(null, 302, { Location: answer.url, 'Cache-Control': REDIRECT_CACHE_CONTROL, 'Access-Control-Allow-Origin': '*' });
      }
      const headers: Record<string, string> = {
        'Content-Type': answer.contentType,
        'Cache-Control': CACHE_CONTROL,
        ETag: answer.etag,
        'Access-Control-Allow-Origin': '*',
        ...(answer.negotiated ? { Vary: 'Accept' } : {}),
      };
      if (matchesEtag(c.req.header('if-none-match'), answer.etag)) return c.body(null, 304, headers);
      return c.body(answer.body as Uint8Array<ArrayBuffer>, 200, headers);
    })
    .all('/:name/thumbnail', methodNotAllowed('GET, HEAD'));
}

/** The served width for the `w` parameter. */
function widthOf(w: string | undefined): ThumbnailWidth {
  if (w === undefined) return DEFAULT_THUMBNAIL_WIDTH;
  if (!WIDTH.test(w)) throw new ProblemError('invalid-field', { detail: '`w` must be a whole number of pixels from 1 (it rounds up to 64, 128, 192 or 384).' });
  return thumbnailWidthFor(Number(w));
}

/** Whether `If-None-Match` names `etag` (or is `*`); weak comparison, as RFC 9110 §13.1.2 says. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header
    .slice(0, 2048)
    .split(',')
    .some((tag) => {
      const trimmed = tag.trim();
      return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
    });
}
