/**
 * The resizer, a capability the token server is given: it turns a preset's picture (any
 * common raster format) into a small square copy. Its one implementation is `sharp` (libvips),
 * loaded with a dynamic import so a runtime without it (or without its native binary) still
 * starts: the token server then sends browsers to each picture's source (`302`).
 *
 * Only the Node entry (../node/server.ts) loads it; the runtime-neutral parts import its type.
 */

/** A format a resizer encodes, named as in `image/<format>`. */
export type ThumbnailFormat = 'webp' | 'avif';

/** Makes small square copies of pictures. */
export interface ThumbnailResizer {
  /**
   * What it encodes, best first; the last is what every browser gets (the others only when
   * the request's `Accept` lists them).
   */
  readonly formats: readonly ThumbnailFormat[];
  /**
   * A `width` × `width` copy of `source`, cropped to a square around its centre, never
   * enlarged (a smaller source gives a smaller square).
   *
   * @throws when `source` is not a picture it can read
   */
  resize(source: Uint8Array, width: number, format: ThumbnailFormat): Promise<Uint8Array>;
}

/** Options of `loadSharpResizer`. */
export interface SharpResizerOptions {
  /**
   * Also encode AVIF for browsers that accept it [false]. Off because it is slow: measured on
   * the sandbox's picture with sharp 0.35, AVIF at 384 px costs 150–340 ms at libvips' default
   * effort and about 50 ms at effort 2 (WebP: 9–25 ms), to save 1–2 KB.
   */
  avif?: boolean;
}

/** Decoding stops beyond this many pixels (a 5 MB file can claim to be enormous). */
const MAX_INPUT_PIXELS = 40_000_000;
const WEBP_QUALITY = 80;
const AVIF = { quality: 50, effort: 2 } as const;

/**
 * The `sharp` resizer, or `null` when `sharp` cannot be loaded here.
 *
 * @example
 * const resizer = await loadSharpResizer();
 * const webp = await resizer?.resize(png, 128, 'webp');
 */
export async function loadSharpResizer(options: SharpResizerOptions = {}): Promise<ThumbnailResizer | null> {
  let sharp: typeof import('sharp').default;
  try {
    sharp = (await import('sharp')).default;
  } catch {
    return null;
  }
  // The token server keeps the finished copies itself; libvips' own cache would only hold
  // decoded sources (up to 50 MB) that are not asked for again.
  sharp.cache(false);
  return {
    formats: options.avif ? ['avif', 'webp'] : ['webp'],
    async resize(source, width, format) {
      const image = sharp(source, { limitInputPixels: MAX_INPUT_PIXELS });
      const { width: sourceWidth = 0, height: sourceHeight = 0 } = await image.metadata();
      // The square's side: the width asked for, or the source's shorter side if that is less
      // (min(w, h) is the same whichever way EXIF turns the picture).
      const side = Math.max(1, Math.min(width, sourceWidth, sourceHeight));
      const square = image.rotate().resize(side, side, { fit: 'cover' });
      const encoded = format === 'avif' ? square.avif(AVIF) : square.webp({ quality: WEBP_QUALITY });
      return new Uint8Array(await encoded.toBuffer());
    },
  };
}
