/** The floating launcher: the avatar's face in a bubble, its name, and a live dot during a call. */
import { html, nothing } from 'lit';
import { minimizeIcon, talkIcon } from './icons.js';

/** What the launcher shows and does. */
export interface LauncherView {
  label: string;
  thumbnail?: string | undefined;
  open: boolean;
  live: boolean;
  showLabel: boolean;
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
    aria-controls="panel"
    aria-label=${view.label}
    @click=${view.onToggle}
    @pointerenter=${view.onIntent}
    @focus=${view.onIntent}
    @touchstart=${view.onIntent}
  >
    ${view.showLabel ? html`<span class="launcher__label" part="launcher-label" aria-hidden="true" dir="auto">${view.label}</span>` : nothing}
    <span class="launcher__bubble">
      ${view.open ? minimizeIcon : view.thumbnail ? html`<img src=${view.thumbnail} alt="" />` : talkIcon}
      ${view.live ? html`<span class="launcher__live"></span>` : nothing}
    </span>
  </button>`;
}
