/** The avatar's picture, at the size the screen needs (the token server serves it resized). */
import { html, nothing } from 'lit';

/** A picture: its address, and the sizes it comes in (an `<img srcset>`), when known. */
export interface Picture {
  src: string;
  srcset?: string | undefined;
}

/**
 * An `<img>` of `picture`, decorative (the name is said next to it).
 *
 * @param sizes its width on the page, in CSS pixels: the browser picks from `srcset` by it
 */
export function renderPicture(picture: Picture, className: string, sizes: number) {
  return html`<img class=${className} src=${picture.src} srcset=${picture.srcset ?? nothing} sizes=${picture.srcset ? `${sizes}px` : nothing} alt="" />`;
}
