/**
 * Styles of `<equos-avatar>` before anyone clicks: the host and the launcher. Public custom
 * properties (`--equos-avatar-*`) are read once into private ones (`--_*`) that the rules use.
 * `:host { all: initial }` stops inherited page styles (fonts, colours, line heights, text
 * transforms) from reaching inside.
 *
 * The panel is styled in ./panel/panel.styles.ts, which comes with the panel's file, and what
 * only a running call shows (the avatar's video, the speaking and time badges, the live dots,
 * the microphone's level) in ./live/call.styles.ts, which comes with the call's. Both are
 * added after these rules and use their custom properties.
 */
import { css } from 'lit';

export const styles = css`
  :host {
    all: initial;
    display: block;
  }
  :host([hidden]) {
    display: none;
  }
  .root {
    --_accent: var(--equos-avatar-accent, #4f46e5);
    --_on-accent: var(--equos-avatar-accent-contrast, #fff);
    --_font: var(--equos-avatar-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif);
    --_x: var(--equos-avatar-offset-x, 20px);
    --_y: var(--equos-avatar-offset-y, 20px);
    --_z: var(--equos-avatar-z-index, 2147483000);
    --_launcher: var(--equos-avatar-launcher-size, 60px);
    --_surface: var(--equos-avatar-surface, #fff);
    --_text: var(--equos-avatar-text, #15171c);
    --_shadow: var(--equos-avatar-shadow, 0 18px 50px rgb(15 20 40 / 0.22), 0 2px 8px rgb(15 20 40 / 0.1));
    font: 15px/1.45 var(--_font);
    color: var(--_text);
    -webkit-font-smoothing: antialiased;
  }
  .root--dark {
    --_surface: var(--equos-avatar-surface, #17191f);
    --_text: var(--equos-avatar-text, #f1f2f5);
  }
  @media (prefers-color-scheme: dark) {
    .root--auto {
      --_surface: var(--equos-avatar-surface, #17191f);
      --_text: var(--equos-avatar-text, #f1f2f5);
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
    border: 0;
    background: none;
    -webkit-tap-highlight-color: transparent;
  }
  button:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 3px;
  }
  /* Launcher */
  .launcher {
    position: fixed;
    z-index: var(--_z);
    bottom: var(--_y);
    right: var(--_x);
    display: flex;
    align-items: center;
    gap: 10px;
    padding: 0;
  }
  .root--left .launcher {
    right: auto;
    left: var(--_x);
  }
  /* The label is on the page's side of the bubble, whatever the side and the text direction. */
  .root--left .launcher,
  .root--rtl .launcher {
    flex-direction: row-reverse;
  }
  .root--rtl.root--left .launcher {
    flex-direction: row;
  }
  .launcher:focus-visible {
    outline: none;
  }
  .launcher:focus-visible .launcher__bubble {
    outline: 3px solid var(--_accent);
    outline-offset: 3px;
  }
  .launcher__label {
    max-width: min(300px, calc(100vw - var(--_launcher) - 2 * var(--_x) - 10px));
    padding: 9px 14px;
    border-radius: 18px;
    background: var(--_surface);
    color: var(--_text);
    box-shadow: var(--_shadow);
    font-weight: 600;
    line-height: 1.3;
    text-wrap: balance;
  }
  .launcher__bubble {
    position: relative;
    display: grid;
    place-items: center;
    width: var(--_launcher);
    height: var(--_launcher);
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_on-accent);
    box-shadow: var(--_shadow);
    transition: transform 160ms ease;
  }
  .launcher:hover .launcher__bubble {
    transform: scale(1.06);
  }
  /* The picture covers the icon once it has arrived. */
  .launcher__bubble img {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    border-radius: 50%;
    object-fit: cover;
    border: 3px solid var(--_accent);
  }

  /* When the panel's file cannot load: said where the panel would be. */
  .unavailable {
    max-width: 300px;
    margin: 0;
    padding: 12px 14px;
    border-radius: 12px;
    background: var(--_surface);
    box-shadow: var(--_shadow);
  }
  .root--floating .unavailable {
    position: fixed;
    z-index: var(--_z);
    right: var(--_x);
    bottom: calc(var(--_y) + var(--_launcher) + 14px);
  }
  .root--left .unavailable {
    right: auto;
    left: var(--_x);
  }

  /* Phones: the open panel takes the whole screen (./panel/panel.styles.ts). */
  @media (max-width: 640px) {
    .root--open .launcher {
      display: none;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation: none !important;
      transition: none !important;
    }
  }
`;
