/**
 * The floating launcher: the avatar's face in a bubble, its name, and a live dot during a
 * call. It paints at once; the picture fills in over the icon when it arrives, and the label
 * shows once its words are known (the avatar's name, the page's language).
 */
import { html, nothing } from 'lit';
import { minimizeIcon, talkIcon } from './icons.js';
import { renderPicture, type Picture } from './picture.js';

/** What the launcher shows and does. */
export interface LauncherView {
  /** What it says, once known. */
  label: string | undefined;
  picture: Picture | undefined;
  open: boolean;
  live: boolean;
  /** The panel's id, once it is there. */
  controls: string | undefined;
  onToggle: () => void;
  onIntent: () => void;
}

/** Renders the launcher button. */
export function renderLauncher(view: LauncherView) {
  return html`<button
    class="launcher"
    part="launcher"
    type="button"
    aria-expanded=${view.open ? 'true' : 'false'}
    aria-controls=${view.controls ?? nothing}
    aria-label=${view.label ?? nothing}
    @click=${view.onToggle}
    @pointerenter=${view.onIntent}
    @focus=${view.onIntent}
    @touchstart=${view.onIntent}
  >
    ${view.label && !view.open ? html`<span class="launcher__label" part="launcher-label" aria-hidden="true" dir="auto">${view.label}</span>` : nothing}
    <span class="launcher__bubble">
      ${view.open ? minimizeIcon : [talkIcon, view.picture ? renderPicture(view.picture, '', 60) : nothing]}
      ${view.live ? html`<span class="launcher__live"></span>` : nothing}
    </span>
  </button>`;
}
