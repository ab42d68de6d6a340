/**
 * Styles of `<equos-avatar>`. Public custom properties (`--equos-avatar-*`) are read once
 * into private ones (`--_*`) that the rules use. `:host { all: initial }` stops inherited
 * page styles (fonts, colours, line heights, text transforms) from reaching inside.
 *
 * What only a running call shows (the avatar's video, the speaking and time badges, the live
 * dots, the microphone's level) is styled in ./live/call.styles.ts, which arrives with the
 * call's file.
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
    --_danger: var(--equos-avatar-danger, #e5484d);
    --_radius: var(--equos-avatar-radius, 18px);
    --_font: var(--equos-avatar-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif);
    --_x: var(--equos-avatar-offset-x, 20px);
    --_y: var(--equos-avatar-offset-y, 20px);
    --_z: var(--equos-avatar-z-index, 2147483000);
    --_launcher: var(--equos-avatar-launcher-size, 60px);
    --_width: var(--equos-avatar-panel-width, 380px);
    --_height: var(--equos-avatar-panel-height, 600px);
    --_surface: var(--equos-avatar-surface, #fff);
    --_text: var(--equos-avatar-text, #15171c);
    --_muted: var(--equos-avatar-muted, #5c6370);
    --_line: rgb(0 0 0 / 0.09);
    --_stage: #e9ecf2;
    --_shadow: var(--equos-avatar-shadow, 0 18px 50px rgb(15 20 40 / 0.22), 0 2px 8px rgb(15 20 40 / 0.1));
    font: 15px/1.45 var(--_font);
    color: var(--_text);
    -webkit-font-smoothing: antialiased;
  }
  .root--dark {
    --_surface: var(--equos-avatar-surface, #17191f);
    --_text: var(--equos-avatar-text, #f1f2f5);
    --_muted: var(--equos-avatar-muted, #a3a9b6);
    --_line: rgb(255 255 255 / 0.1);
    --_stage: #0d0f13;
  }
  @media (prefers-color-scheme: dark) {
    .root--auto {
      --_surface: var(--equos-avatar-surface, #17191f);
      --_text: var(--equos-avatar-text, #f1f2f5);
      --_muted: var(--equos-avatar-muted, #a3a9b6);
      --_line: rgb(255 255 255 / 0.1);
      --_stage: #0d0f13;
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
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
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
  .launcher__bubble img {
    width: 100%;
    height: 100%;
    border-radius: 50%;
    object-fit: cover;
    border: 3px solid var(--_accent);
  }

  /* Panel */
  .panel {
    display: flex;
    flex-direction: column;
    overflow: hidden;
    background: var(--_surface);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
  }
  .root--floating .panel {
    position: fixed;
    z-index: var(--_z);
    right: var(--_x);
    bottom: calc(var(--_y) + var(--_launcher) + 14px);
    width: min(var(--_width), calc(100vw - 2 * var(--_x)));
    height: min(var(--_height), calc(100vh - var(--_y) * 2 - var(--_launcher) - 14px));
    animation: rise 180ms ease-out;
  }
  .root--left .panel {
    right: auto;
    left: var(--_x);
  }
  .root--inline .panel {
    width: 100%;
    min-height: 420px;
    height: var(--equos-avatar-inline-height, 520px);
    border: 1px solid var(--_line);
    box-shadow: none;
  }
  .panel[hidden] {
    display: none;
  }
  .panel__header {
    display: flex;
    align-items: center;
    gap: 12px;
    padding: 14px 14px 12px 16px;
    border-bottom: 1px solid var(--_line);
  }
  .panel__avatar {
    width: 40px;
    height: 40px;
    border-radius: 50%;
    object-fit: cover;
    background: var(--_stage);
    flex: none;
  }
  .panel__title {
    flex: 1;
    min-width: 0;
  }
  .panel__name {
    margin: 0;
    font-size: 16px;
    font-weight: 650;
  }
  .status {
    display: flex;
    align-items: center;
    gap: 6px;
    margin: 0;
    color: var(--_muted);
    font-size: 13px;
  }
  .status__dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: currentColor;
  }
  .status--error .status__dot {
    background: var(--_danger);
  }
  .icon-button {
    display: grid;
    place-items: center;
    width: 40px;
    height: 40px;
    border-radius: 50%;
    color: var(--_muted);
  }
  .icon-button:hover {
    background: var(--_line);
    color: var(--_text);
  }

  /* Stage */
  .stage {
    position: relative;
    flex: 1;
    display: grid;
    place-items: center;
    overflow: hidden;
    background: var(--_stage);
  }
  /* Before a call: the picture and the introduction together in the middle, not a screen apart. */
  .stage:has(> .intro) {
    align-content: center;
    gap: 4px;
  }
  .stage__poster {
    width: 45%;
    max-width: 180px;
    aspect-ratio: 1;
    border-radius: 50%;
    object-fit: cover;
    opacity: 0.95;
  }
  .stage__poster--waiting {
    animation: breathe 1.8s ease-in-out infinite;
  }
  .stage__message {
    position: absolute;
    inset: auto 16px 16px;
    margin: 0;
    padding: 12px 14px;
    border-radius: 12px;
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.12);
    font-size: 14px;
  }
  .stage__message--error {
    border-inline-start: 4px solid var(--_danger);
  }
  .intro {
    padding: 0 24px;
    text-align: center;
  }
  .intro p {
    margin: 14px 0 0;
    color: var(--_muted);
  }

  /* Controls */
  .controls {
    display: flex;
    justify-content: center;
    align-items: center;
    gap: 16px;
    padding: 16px;
  }
  .primary {
    width: 100%;
    min-height: 48px;
    padding: 12px 20px;
    border-radius: 12px;
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 650;
  }
  .primary:hover {
    filter: brightness(1.08);
  }
  .round {
    position: relative;
    display: grid;
    place-items: center;
    width: 56px;
    height: 56px;
    border-radius: 50%;
    background: var(--_line);
  }
  .round--mic[aria-pressed='false'] {
    background: var(--_text);
    color: var(--_surface);
  }
  .round--hangup {
    width: 64px;
    background: var(--_danger);
    color: #fff;
    border-radius: 32px;
  }
  .round--hangup:disabled {
    opacity: 0.5;
    cursor: default;
  }

  /* Phones: the open panel takes the whole screen. */
  @media (max-width: 640px) {
    .root--floating .panel {
      inset: 0;
      width: 100%;
      height: 100%;
      border-radius: 0;
    }
    .root--open .launcher {
      display: none;
    }
    .round {
      width: 64px;
      height: 64px;
    }
    .icon-button {
      width: 48px;
      height: 48px;
    }
  }

  @keyframes rise {
    from {
      opacity: 0;
      transform: translateY(12px);
    }
  }
  @keyframes breathe {
    50% {
      transform: scale(0.96);
      opacity: 0.75;
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
