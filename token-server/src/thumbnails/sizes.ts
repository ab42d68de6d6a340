/**
 * The sizes the token server resizes a preset's picture to, and where each is served: one
 * small list, so the route, `GET api/presets` and a created session name the same URLs (and a
 * cache holds a bounded number of copies).
 */
import type { PresetThumbnail } from '../../../contract/token-server-api.js';

/**
 * The widths served, in pixels, smallest first: the launcher (60 CSS px) at 1× and 2×, and the
 * panel's picture (up to 180 CSS px) at 1× and 2×.
 */
export const THUMBNAIL_WIDTHS = [64, 128, 192, 384] as const;

/** One of `THUMBNAIL_WIDTHS`. */
export type ThumbnailWidth = (typeof THUMBNAIL_WIDTHS)[number];

/** The width when a request names none, and of `thumbnail_url`: the launcher on a 2× screen. */
export const DEFAULT_THUMBNAIL_WIDTH: ThumbnailWidth = 128;

/** The width of a created session's picture (`avatar_thumbnail_url`): the panel's 180 CSS px at 2×. */
export const SESSION_PICTURE_WIDTH: ThumbnailWidth = 384;

/**
 * The served width for a requested one: the next allowed width up, or the largest.
 *
 * @example
 * thumbnailWidthFor(100) // 128
 * thumbnailWidthFor(5000) // 384
 */
export function thumbnailWidthFor(requested: number): ThumbnailWidth {
  return THUMBNAIL_WIDTHS.find((width) => width >= requested) ?? THUMBNAIL_WIDTHS[THUMBNAIL_WIDTHS.length - 1]!;
}

/**
 * The path of a preset's picture at `width`, relative to the token server (the widget
 * resolves it against the server URL, as it does every `thumbnail_url`).
 *
 * @example
 * thumbnailPath('ava', 128) // 'api/presets/ava/thumbnail?w=128'
 */
export function thumbnailPath(presetName: string, width: ThumbnailWidth): string {
  return `api/presets/${encodeURIComponent(presetName)}/thumbnail?w=${width}`;
}

/** Every size of a preset's picture, as `GET api/presets` lists them. */
export function presetThumbnails(presetName: string): PresetThumbnail[] {
  return THUMBNAIL_WIDTHS.map((width) => ({ url: thumbnailPath(presetName, width), width }));
}
