/**
 * Styles of Picture-in-Picture: the panel's toggle and the note over its stage (part of the
 * call's one stylesheet, ../call.styles.ts, using the panel's private custom properties), and the
 * floating window's own sheet. That window is a document of its own: no style of the page or
 * of the element reaches it, so it gets this sheet alone, with the widget's theme copied onto
 * its root as the same private custom properties (`THEME_PROPERTIES`).
 */
import { css } from '../../internal/css-text.js';

/** The custom properties the floating window takes from the panel, so it wears the widget's theme. */
export const THEME_PROPERTIES = ['--_surface', '--_text', '--_muted', '--_line', '--_stage', '--_accent', '--_on-accent', '--_danger', '--_font'] as const;

/** In the panel. */
export const PANEL_PICTURE_IN_PICTURE_CSS = css`
  /* Secondary to the microphone and hang-up: smaller, so a labelled hang-up still fits beside it. */
  .round.round--float {
    width: 44px;
    height: 44px;
  }
  .round--float[aria-pressed='true'] {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  /* At the top of the stage, clear of the stage's own message at its bottom. */
  .stage__floating {
    position: absolute;
    inset: 16px 16px auto;
    margin: 0;
    padding: 10px 14px;
    border-radius: 12px;
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.12);
    font-size: 14px;
    text-align: center;
  }
`;

/** The floating window's whole sheet. */
export const FLOATING_WINDOW_CSS = css`
  html,
  body {
    height: 100%;
    margin: 0;
  }
  body {
    display: flex;
    flex-direction: column;
    background: var(--_surface);
    color: var(--_text);
    font: 15px/1.45 var(--_font);
  }
  .header {
    padding: 8px 14px;
    border-bottom: 1px solid var(--_line);
  }
  .header p {
    margin: 0;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .name {
    font-weight: 650;
  }
  .status {
    color: var(--_muted);
    font-size: 13px;
  }
  .stage {
    flex: 1;
    min-height: 0;
    display: grid;
    place-items: center;
    overflow: hidden;
    background: var(--_stage);
  }
  .stage video {
    width: 100%;
    height: 100%;
    object-fit: contain;
  }
  .controls {
    display: flex;
    justify-content: center;
    gap: 16px;
    padding: 10px;
  }
  button {
    display: grid;
    place-items: center;
    width: 52px;
    height: 52px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: var(--_line);
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  button:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  .mic[aria-pressed='false'] {
    background: var(--_text);
    color: var(--_surface);
  }
  .hangup {
    width: 64px;
    border-radius: 32px;
    background: var(--_danger);
    color: #fff;
  }
  .continue {
    width: auto;
    padding: 0 18px;
    border-radius: 26px;
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 650;
  }
`;
