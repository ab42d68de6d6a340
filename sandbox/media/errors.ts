/**
 * The one failure of the media readers: bytes that do not follow their format. A separate
 * class (rather than a bare `Error`) lets the demo avatar tell a broken asset from a bug.
 */

/**
 * A media file or packet that breaks its format; the message says which rule and where.
 *
 * @example
 * try { parseIvf(bytes); } catch (error) { if (error instanceof MediaFormatError) … }
 */
export class MediaFormatError extends Error {
  override readonly name = 'MediaFormatError';
}
