/**
 * Serving presets' pictures small: each preset's configured picture, fetched once, resized
 * once per width and format, and kept in memory (a bounded LRU). Concurrent requests for the
 * same copy wait for one resize, and the sizes of one preset share one fetch of its source.
 *
 * A copy is fresh for `freshMs`; after that the next request still gets it at once while it
 * is fetched and resized again in the background (and kept if that fails). A source that
 * fails with no copy to fall back on answers `502 thumbnail-unavailable` for `failureTtlMs`
 * (so a dead source is not hammered), then is tried again.
 *
 * Runtime-neutral: the resizer is given (./resizer.ts), `fetch` and Web Crypto are the
 * platform's.
 */
import type { Preset } from '../config/presets.js';
import type { Logger } from '../logger.js';
import { ProblemError } from '../problems.js';
import type { ThumbnailFormat, ThumbnailResizer } from './resizer.js';
import type { ThumbnailWidth } from './sizes.js';
import { fetchSource, ThumbnailSourceError } from './source.js';

/** Options of `createThumbnails`; all but `resizer` have defaults. */
export interface ThumbnailOptions {
  /** Resizes pictures; `null` when this runtime cannot: requests are then sent to the source (`302`). */
  resizer: ThumbnailResizer | null;
  /** Fetches sources [globalThis.fetch]. */
  fetch?: typeof fetch;
  /** The whole fetch of a source, in ms [5000]. */
  sourceTimeoutMs?: number;
  /** Largest source accepted, in bytes [5 MB]. */
  maxSourceBytes?: number;
  /** Copies kept in memory [64: a few presets × 4 widths × 2 formats]. */
  maxEntries?: number;
  /** How long a copy is served before its source is fetched again, in ms [1 hour]. */
  freshMs?: number;
  /** How long a failed source answers 502 before it is tried again, in ms [10 s]. */
  failureTtlMs?: number;
}

/** A resized copy, ready to send. */
export interface ThumbnailImage {
  kind: 'image';
  body: Uint8Array;
  /** `image/webp` or `image/avif`. */
  contentType: string;
  /** A strong validator (quoted), from the bytes. */
  etag: string;
  /** Whether the format depended on the request's `Accept` (then `Vary: Accept`). */
  negotiated: boolean;
}

/** What a request for a picture gets: a copy, or (with no resizer) the source to go to. */
export type ThumbnailAnswer = ThumbnailImage | { kind: 'source'; url: string };

/** The presets' pictures. */
export interface Thumbnails {
  /** Whether pictures are resized here (else `GET api/presets` lists their sources, as before). */
  readonly resizes: boolean;
  /**
   * The picture of `presetName` at `width`, in the best format `accept` allows.
   *
   * @throws ProblemError `not-found` (no such preset, or it has no picture), `thumbnail-unavailable` (its source failed)
   */
  get(presetName: string, width: ThumbnailWidth, accept: string | undefined, requestId?: string): Promise<ThumbnailAnswer>;
}

const DEFAULTS = { sourceTimeoutMs: 5000, maxSourceBytes: 5 * 1024 * 1024, maxEntries: 64, freshMs: 60 * 60 * 1000, failureTtlMs: 10_000 };

/** A key's state in the cache: a copy (maybe stale), or a recent failure. */
type Entry = { image: ThumbnailImage; freshUntil: number; refreshing: boolean } | { failure: ThumbnailSourceError; retryAt: number };

/**
 * Creates the presets' pictures.
 *
 * @example
 * const thumbnails = createThumbnails(presets, { resizer: await loadSharpResizer() }, logger);
 * const answer = await thumbnails.get('default', 128, 'image/webp,*\/*');
 */
export function createThumbnails(presets: readonly Preset[], options: ThumbnailOptions, logger: Logger, now: () => number = Date.now): Thumbnails {
  const { resizer } = options;
  const settings = { ...DEFAULTS, ...definedOf(options) };
  const sources = new Map(presets.flatMap((preset) => (preset.thumbnailUrl ? [[preset.name, preset.thumbnailUrl] as const] : [])));
  const known = new Set(presets.map((preset) => preset.name));
  const entries = new Map<string, Entry>(); // in use order, oldest first
  const resizing = new Map<string, Promise<ThumbnailImage>>();
  const fetching = new Map<string, Promise<Uint8Array>>();

  const remember = (key: string, entry: Entry) => {
    entries.delete(key);
    entries.set(key, entry);
    if (entries.size > settings.maxEntries) entries.delete(entries.keys().next().value!);
  };

  /** The source of one preset, once for all its sizes at a time. */
  function source(presetName: string, url: string): Promise<Uint8Array> {
    let pending = fetching.get(presetName);
    if (!pending) {
      pending = fetchSource(url, { timeoutMs: settings.sourceTimeoutMs, maxBytes: settings.maxSourceBytes }, settings.fetch).finally(() => fetching.delete(presetName));
      fetching.set(presetName, pending);
    }
    return pending;
  }

  /** Fetches and resizes one copy (one run per key at a time), and records the outcome. */
  function load(key: string, presetName: string, url: string, width: ThumbnailWidth, format: ThumbnailFormat, negotiated: boolean, requestId: string | undefined): Promise<ThumbnailImage> {
    let pending = resizing.get(key);
    if (pending) return pending;
    pending = (async () => {
      const bytes = await source(presetName, url);
      const started = now();
      let body: Uint8Array;
      try {
        body = await resizer!.resize(bytes, width, format);
      } catch (error) {
        throw new ThumbnailSourceError('undecodable', undefined, { cause: error });
      }
      const image: ThumbnailImage = { kind: 'image', body, contentType: `image/${format}`, etag: await strongEtag(body), negotiated };
      logger.debug('thumbnail.resized', { request_id: requestId, preset: presetName, width, format, source_bytes: bytes.byteLength, bytes: body.byteLength, ms: now() - started });
      remember(key, { image, freshUntil: now() + settings.freshMs, refreshing: false });
      return image;
    })()
      .catch((error: unknown) => {
        const failure = error instanceof ThumbnailSourceError ? error : new ThumbnailSourceError('undecodable', undefined, { cause: error });
        // The URL is left out (a signed CDN URL carries its signature): its host says enough.
        logger.warn('thumbnail.source.failed', { request_id: requestId, preset: presetName, width, format, reason: failure.reason, status: failure.status, source_host: hostOf(url) });
        const stale = entries.get(key);
        if (stale && 'image' in stale) {
          remember(key, { image: stale.image, freshUntil: now() + settings.failureTtlMs, refreshing: false });
          return stale.image;
        }
        remember(key, { failure, retryAt: now() + settings.failureTtlMs });
        throw failure;
      })
      .finally(() => resizing.delete(key));
    resizing.set(key, pending);
    return pending;
  }

  return {
    resizes: resizer !== null,
    async get(presetName, width, accept, requestId) {
      const url = sources.get(presetName);
      if (!url) {
        const detail = known.has(presetName) ? `The preset "${presetName}" has no picture.` : `No preset is named "${presetName.slice(0, 64)}".`;
        throw new ProblemError('not-found', { detail });
      }
      if (!resizer) return { kind: 'source', url };
      const format = formatFor(accept, resizer.formats);
      const negotiated = resizer.formats.length > 1;
      const key = `${presetName}\n${width}\n${format}`;
      const entry = entries.get(key);
      if (entry && 'image' in entry) {
        remember(key, entry);
        if (entry.freshUntil <= now() && !entry.refreshing) {
          entry.refreshing = true;
          // Served as it is; the next request gets the new copy (or this one, if the source fails).
          void load(key, presetName, url, width, format, negotiated, requestId).catch(() => {});
        }
        return entry.image;
      }
      if (entry && entry.retryAt > now()) throw unavailable();
      try {
        return await load(key, presetName, url, width, format, negotiated, requestId);
      } catch {
        throw unavailable();
      }
    },
  };
}

function unavailable(): ProblemError {
  return new ProblemError('thumbnail-unavailable', { detail: "The preset's picture could not be fetched or read; try again shortly." });
}

/**
 * The first of `formats` (best first) that `accept` lists by name with a non-zero q, else the
 * last one. A wildcard (`image/*`) does not count: browsers send it whatever they decode.
 */
export function formatFor(accept: string | undefined, formats: readonly ThumbnailFormat[]): ThumbnailFormat {
  const fallback = formats[formats.length - 1] ?? 'webp';
  if (!accept || formats.length < 2) return fallback;
  const listed = new Set(
    accept
      .slice(0, 1024)
      .split(',')
      .flatMap((range) => {
        const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
        const q = params.find((param) => param.startsWith('q='));
        return q !== undefined && !(Number(q.slice(2)) > 0) ? [] : [type];
      }),
  );
  return formats.find((format) => listed.has(`image/${format}`)) ?? fallback;
}

async function strongEtag(body: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', body as Uint8Array<ArrayBuffer>));
  return `"${Array.from(hash.subarray(0, 16), (byte) => byte.toString(16).padStart(2, '0')).join('')}"`;
}

function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host : 'unparsable';
}

/** `options` without its undefined members, so they do not override the defaults. */
function definedOf(options: ThumbnailOptions): Partial<typeof DEFAULTS> & { fetch?: typeof fetch } {
  return Object.fromEntries(Object.entries(options).filter(([name, value]) => value !== undefined && name !== 'resizer'));
}
