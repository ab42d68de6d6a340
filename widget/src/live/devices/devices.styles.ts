/**
 * Styles of the devices button, its menu and its notice (./device-menu-view.ts), part of the
 * call's one stylesheet (../call.styles.ts), after the launcher's and the panel's styles, whose
 * private custom properties (`--_*`) they use, so themes and dark mode follow.
 */
import { css } from '../../internal/css-text.js';

export const DEVICES_CSS = css`
  .devices__button {
    display: grid;
    place-items: center;
    flex: none;
    width: 44px;
    height: 44px;
    border-radius: 50%;
    color: var(--_muted);
  }
  .devices__button:hover,
  .devices__button[aria-expanded='true'] {
    background: var(--_line);
    color: var(--_text);
  }
  /* Over the panel, above the controls (positioned by the call's styles): as wide as the panel allows. */
  .devices__menu,
  .devices__notice {
    position: absolute;
    inset-inline: 12px;
    bottom: calc(100% - 8px);
    box-sizing: border-box;
  }
  .devices__menu {
    z-index: 2;
    display: grid;
    gap: 12px;
    max-height: 60vh;
    overflow-y: auto;
    padding: 14px;
    border: 1px solid var(--_line);
    border-radius: 14px;
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 8px 28px rgb(0 0 0 / 0.18);
  }
  .devices__menu[hidden],
  .devices [hidden] {
    display: none;
  }
  .devices__field {
    display: grid;
    gap: 4px;
    font-size: 13px;
    color: var(--_muted);
  }
  .devices__select {
    width: 100%;
    min-width: 0;
    height: 40px;
    padding: 0 8px;
    border: 1px solid var(--_line);
    border-radius: 10px;
    background: var(--_surface);
    color: var(--_text);
    /* 16px keeps iOS Safari from zooming the page when the list gets focus. */
    font: inherit;
    font-size: 16px;
  }
  .devices__voice {
    display: flex;
    align-items: center;
    gap: 10px;
  }
  .devices__mute {
    display: grid;
    place-items: center;
    flex: none;
    width: 40px;
    height: 40px;
    border-radius: 10px;
    color: var(--_text);
  }
  .devices__mute[aria-pressed='true'] {
    color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 12%, transparent);
  }
  .devices__volume {
    flex: 1;
    min-width: 0;
    accent-color: var(--_accent);
  }
  .devices__button:focus-visible,
  .devices__select:focus-visible,
  .devices__mute:focus-visible,
  .devices__volume:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .devices__notice {
    z-index: 1;
    margin: 0;
    padding: 8px 12px;
    border-radius: 10px;
    background: rgb(0 0 0 / 0.78);
    color: #fff;
    font-size: 13px;
    text-align: center;
    pointer-events: none;
  }
  /* Empty, it takes no room and shows nothing, but stays in the page: a live region must be
     there before the words it reads arrive. */
  .devices__notice:empty {
    padding: 0;
    background: none;
  }
  @media (max-width: 640px) {
    .devices__button {
      width: 48px;
      height: 48px;
    }
  }
`;
