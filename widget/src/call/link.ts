/**
 * The link of a joined call: the connection quality LiveKit reports for the visitor (the
 * worst of what it sends and receives), and whether the avatar's video comes down it. A
 * weak link offers audio only; one that stays weak falls back to it by itself, and comes
 * back to video once it is good again. Pure, like the machine that holds it (./machine.ts).
 *
 *   video ⇄ video-weak → audio-fallback → video (the link is good again)
 *              ↓ (the visitor)     ↖ (the visitor)
 *          audio-only  ───────────→ video / video-weak
 */

/** What LiveKit reports: `lost` is a link that carries nothing; `unknown` before the first report. */
export type Quality = 'excellent' | 'good' | 'poor' | 'lost' | 'unknown';

/** Every state of the link. */
export type Link =
  /** The avatar's video comes down a link that is good (or not scored yet). */
  | { name: 'video'; quality: Quality }
  /** The link is weak: audio only is offered; `fallback`: it comes by itself if the link stays weak (not after the visitor asked for video back). */
  | { name: 'video-weak'; quality: Quality; fallback: boolean }
  /** The visitor chose audio only: the avatar's video is not received until they ask for it again. */
  | { name: 'audio-only'; quality: Quality }
  /** The link stayed weak, so the avatar's video was stopped; it comes back when the link is good. */
  | { name: 'audio-fallback'; quality: Quality };

/** Everything that moves the link. */
export type LinkEvent =
  | { type: 'quality'; quality: Quality }
  /** The visitor asks for audio only (`on`), or for the video back. */
  | { type: 'audio-only'; on: boolean }
  /** The link stayed weak for a while. */
  | { type: 'audio-fallback' };

/** What each state of the link allows and shows. */
export interface LinkTraits {
  /** The avatar's video is received (and shown where the call's state shows it). */
  receivesVideo: boolean;
  /** What the visitor is offered: audio only, the video back, or nothing. */
  offer: 'audio-only' | 'video' | null;
}

/** Every link state's row. */
export const LINK_TABLE = {
  video: { receivesVideo: true, offer: null },
  'video-weak': { receivesVideo: true, offer: 'audio-only' },
  'audio-only': { receivesVideo: false, offer: 'video' },
  'audio-fallback': { receivesVideo: false, offer: 'video' },
} as const satisfies Record<Link['name'], LinkTraits>;

/** The link of a call that has just joined. */
export const INITIAL_LINK: Link = { name: 'video', quality: 'unknown' };

/** A link that cannot carry the avatar's video well. */
export const isWeak = (quality: Quality) => quality === 'poor' || quality === 'lost';

/** The next link; an event that changes nothing returns `link` itself. */
export function nextLink(link: Link, event: LinkEvent): Link {
  switch (event.type) {
    case 'quality': {
      const { quality } = event;
      if (quality === link.quality) return link;
      if (link.name === 'video' && isWeak(quality)) return { name: 'video-weak', quality, fallback: true };
      if (link.name === 'video-weak' && !isWeak(quality)) return { name: 'video', quality };
      // Good again: the video comes back by itself (only after a fallback, never after the visitor's choice).
      if (link.name === 'audio-fallback' && (quality === 'excellent' || quality === 'good')) return { name: 'video', quality };
      return { ...link, quality };
    }
    case 'audio-only':
      if (event.on) return link.name === 'video' || link.name === 'video-weak' ? { name: 'audio-only', quality: link.quality } : link;
      if (link.name !== 'audio-only' && link.name !== 'audio-fallback') return link;
      // The visitor's own choice: no fallback again on this weak link.
      return isWeak(link.quality) ? { name: 'video-weak', quality: link.quality, fallback: false } : { name: 'video', quality: link.quality };
    case 'audio-fallback':
      return link.name === 'video-weak' && link.fallback ? { name: 'audio-fallback', quality: link.quality } : link;
  }
}
