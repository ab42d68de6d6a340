/**
 * Reads a small request body by its declared content type, turning every malformed case
 * into a 4xx problem instead of an exception from deep inside a parser.
 */
import type { Context } from 'hono';
import { ProblemError } from '../../problems.js';

/** A body as the route sees it. */
export type RequestBody =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; value: string };

/** Content types a route accepts besides an empty body. */
export type AcceptedBody = 'json' | 'text';

/**
 * Reads the body. An empty body is always accepted (with any or no content type), since
 * `fetch(url, { method: 'POST' })` sends none.
 *
 * @param accepted `json` for application/json; `text` for text/plain or no content type
 *   (what `navigator.sendBeacon` sends for a string or an untyped Blob)
 * @throws ProblemError `unsupported-media-type` (415) or `invalid-json` (400)
 */
export async function readBody(c: Context, accepted: readonly AcceptedBody[]): Promise<RequestBody> {
  const text = await c.req.text();
  if (text.trim() === '') return { kind: 'empty' };

  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/json' && accepted.includes('json')) {
    return { kind: 'json', value: parseJson(text) };
  }
  if ((mediaType === 'text/plain' || mediaType === '') && accepted.includes('text')) {
    return { kind: 'text', value: text };
  }
  const expected = accepted.map((kind) => (kind === 'json' ? 'application/json' : 'text/plain')).join(' or ');
  throw new ProblemError('unsupported-media-type', {
    detail: `Send ${expected}${mediaType ? `, not ${mediaType.slice(0, 64)}` : ' with a Content-Type header'}.`,
  });
}

/** Parses JSON text, or throws the `invalid-json` problem. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProblemError('invalid-json', { detail: 'The body could not be parsed as JSON.' });
  }
}
