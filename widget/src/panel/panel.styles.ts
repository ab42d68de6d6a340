/**
 * Styles of the panel (./panel-view.ts), added to the element's shadow root after the
 * launcher's (../equos-avatar.styles.ts), whose public and private custom properties they use,
 * when the panel's file arrives. The panel's own properties are read here.
 */
import { adoptStyles, css } from '../internal/css-text.js';

const PANEL_CSS = css`
  .root {
    --_danger: var(--equos-avatar-danger, #e5484d);
    --_radius: var(--equos-avatar-radius, 18px);
    --_width: var(--equos-avatar-panel-width, 380px);
    --_height: var(--equos-avatar-panel-height, 600px);
    --_muted: var(--equos-avatar-muted, #5c6370);
    --_line: rgb(0 0 0 / 0.09);
    --_stage: #e9ecf2;
  }
  .root--dark {
    --_muted: var(--equos-avatar-muted, #a3a9b6);
    --_line: rgb(255 255 255 / 0.1);
    --_stage: #0d0f13;
  }
  @media (prefers-color-scheme: dark) {
    .root--auto {
      --_muted: var(--equos-avatar-muted, #a3a9b6);
      --_line: rgb(255 255 255 / 0.1);
      --_stage: #0d0f13;
    }
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
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
  .stage__countdown {
    display: block;
    margin-top: 4px;
    font-weight: 650;
    font-variant-numeric: tabular-nums;
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

  /* The site's disclosure before the first call: a card over the stage, read before agreeing. */
  .consent {
    position: absolute;
    inset: auto 16px 16px;
    max-height: calc(100% - 32px);
    overflow: auto;
    padding: 14px 16px;
    border-radius: 12px;
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.12);
    font-size: 14px;
  }
  .consent p {
    margin: 0 0 8px;
  }
  .consent__title {
    font-weight: 650;
  }
  /* The text's own colour, underlined: the accent may be too light on a dark surface to read. */
  .consent__link {
    color: inherit;
    font-weight: 600;
    text-underline-offset: 2px;
  }
  .consent__link:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
    border-radius: 2px;
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
  /* "Still there?" answered beside the call's round buttons; agreeing to the disclosure beside declining. */
  .primary[part~='continue-button'],
  .primary[part~='consent-button'] {
    flex: 1;
    width: auto;
  }
  .primary[part~='consent-button'] {
    padding-inline: 12px;
  }
  .secondary {
    flex: 1;
    min-height: 48px;
    padding: 12px 16px;
    border-radius: 12px;
    background: var(--_line);
    font-weight: 650;
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
  /* The way out while the call is about to end by itself: its words, not only its icon. */
  .round.round--labelled {
    display: flex;
    gap: 8px;
    width: auto;
    padding: 0 20px;
    font-weight: 650;
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
`;

/** Adds the panel's styles to the element's shadow root, once. */
export function adoptPanelStyles(root: ShadowRoot): void {
  adoptStyles(root, 'panel', PANEL_CSS);
}
