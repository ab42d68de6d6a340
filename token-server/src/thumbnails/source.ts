/**
 * Fetching a preset's picture from the URL its operator configured (never a URL from a
 * request), bounded in time and size, and only if it is a raster image.
 */

/** Why a source could not be used; `status` is the source's HTTP status for `status`. */
export type SourceFailure = 'timeout' | 'unreachable' | 'status' | 'not-an-image' | 'too-large' | 'undecodable';

/** A picture that could not be fetched or read. */
export class ThumbnailSourceError extends Error {
  readonly reason: SourceFailure;
  readonly status: number | undefined;

  constructor(reason: SourceFailure, status?: number, options?: { cause?: unknown }) {
    super(`thumbnail source: ${reason}${status === undefined ? '' : ` (HTTP ${status})`}`, options);
    this.name = 'ThumbnailSourceError';
    this.reason = reason;
    this.status = status;
  }
}

/** Limits of `fetchSource`. */
export interface SourceLimits {
  /** The whole fetch, headers and body, in ms. */
  timeoutMs: number;
  /** Largest body accepted, in bytes. */
  maxBytes: number;
}

/** Raster types a resizer reads. SVG is left out: it is a document, not a picture, to a decoder. */
const IMAGE_TYPES = /^image\/(?:png|jpeg|jpg|webp|avif|gif)\s*(?:;|$)/i;

/**
 * The bytes of the picture at `url`.
 *
 * @param fetcher [globalThis.fetch]
 * @throws ThumbnailSourceError
 * @example
 * const png = await fetchSource('https://cdn.example/ava.png', { timeoutMs: 5000, maxBytes: 5_000_000 });
 */
export async function fetchSource(url: string, limits: SourceLimits, fetcher: typeof fetch = fetch): Promise<Uint8Array> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  const failure = (error: unknown) =>
    error instanceof ThumbnailSourceError ? error : new ThumbnailSourceError(controller.signal.aborted ? 'timeout' : 'unreachable', undefined, { cause: error });
  try {
    let response: Response;
    try {
      // No credentials of any kind: the picture is public.
      response = await fetcher(url, { signal: controller.signal, headers: { accept: 'image/png,image/jpeg,image/webp,image/avif,image/gif;q=0.9' }, credentials: 'omit' });
    } catch (error) {
      throw failure(error);
    }
    const refuse = async (reason: SourceFailure, status?: number): Promise<never> => {
      await response.body?.cancel().catch(() => {});
      throw new ThumbnailSourceError(reason, status);
    };
    if (!response.ok) return await refuse('status', response.status);
    if (!IMAGE_TYPES.test(response.headers.get('content-type') ?? '')) return await refuse('not-an-image');
    if (Number(response.headers.get('content-length') ?? 0) > limits.maxBytes) return await refuse('too-large');
    return await readCapped(response, limits.maxBytes).catch((error: unknown) => {
      throw failure(error);
    });
  } finally {
    clearTimeout(timer);
  }
}

/** The body, refused as soon as it passes `maxBytes` (a missing or false Content-Length included). */
async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new ThumbnailSourceError('too-large');
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
