/**
 * Styles of what only a running call shows: the avatar's video, the speaking and time
 * badges, the live and warning dots, the microphone's level ring, the link's bars and note,
 * the conversation's text side (./conversation/conversation.styles.ts), the devices menu
 * (./devices/devices.styles.ts) and the floating window's toggle and note
 * (./picture-in-picture/picture-in-picture.styles.ts): one stylesheet, which arrives with the call's file and is
 * added after the launcher's (../equos-avatar.styles.ts) and the panel's
 * (../panel/panel.styles.ts), whose private custom properties (`--_*`) it uses.
 */
import { CONVERSATION_CSS } from './conversation/conversation.styles.js';
import { DEVICES_CSS } from './devices/devices.styles.js';
import { PANEL_PICTURE_IN_PICTURE_CSS } from './picture-in-picture/picture-in-picture.styles.js';
import { adoptStyles, css } from '../internal/css-text.js';

const CALL_CSS = css`
  .launcher__live {
    position: absolute;
    top: 1px;
    inset-inline-end: 1px;
    width: 16px;
    height: 16px;
    border-radius: 50%;
    background: #22c55e;
    border: 3px solid var(--_surface);
    animation: pulse 1.6s ease-in-out infinite;
  }
  .status--live .status__dot {
    background: #22c55e;
  }
  .status--warn .status__dot {
    background: #f59e0b;
    animation: pulse 1s ease-in-out infinite;
  }
  /* The whole avatar, framed by its own aspect ratio; fit="cover" fills the stage instead. */
  .stage video {
    width: 100%;
    height: 100%;
    object-fit: contain;
  }
  :host([fit='cover']) .stage video {
    object-fit: cover;
  }
  .badge {
    position: absolute;
    top: 12px;
    display: flex;
    align-items: center;
    gap: 6px;
    padding: 5px 10px;
    border-radius: 999px;
    background: rgb(0 0 0 / 0.55);
    color: #fff;
    font-size: 12px;
    font-weight: 600;
  }
  .badge--speaking {
    inset-inline-start: 12px;
  }
  .badge--time {
    inset-inline-end: 12px;
  }
  .bars {
    display: flex;
    align-items: flex-end;
    gap: 2px;
    height: 12px;
  }
  .bars span {
    width: 3px;
    height: 100%;
    border-radius: 2px;
    background: #fff;
    animation: bar 0.9s ease-in-out infinite;
  }
  /* Five bars of different rhythms: a voice, not a pause sign. */
  .bars span:nth-child(2) {
    animation-delay: -0.45s;
    animation-duration: 0.7s;
  }
  .bars span:nth-child(3) {
    animation-delay: -0.2s;
    animation-duration: 1.1s;
  }
  .bars span:nth-child(4) {
    animation-delay: -0.6s;
    animation-duration: 0.8s;
  }
  .bars span:nth-child(5) {
    animation-delay: -0.1s;
    animation-duration: 1s;
  }
  /* The link: the quality's bars in the header, before the minimise button (CSS order: they are added after it). */
  .panel__header > .quality {
    order: 1;
  }
  .panel__header > [part~='minimize-button'] {
    order: 2;
  }
  .quality {
    display: inline-flex;
    align-items: flex-end;
    gap: 2px;
    height: 16px;
    padding: 0 4px;
    flex: none;
  }
  .quality[hidden],
  .link-note[hidden],
  .link-note [hidden] {
    display: none;
  }
  .quality span {
    width: 4px;
    border-radius: 1px;
    background: color-mix(in srgb, var(--_text) 20%, transparent);
  }
  .quality span:nth-child(1) { height: 25%; }
  .quality span:nth-child(2) { height: 50%; }
  .quality span:nth-child(3) { height: 75%; }
  .quality span:nth-child(4) { height: 100%; }
  .quality span.on {
    background: #22c55e;
  }
  .quality[data-quality='poor'] span.on {
    background: #f59e0b;
  }
  .quality[data-quality='lost'] span:first-child {
    background: #ef4444;
  }
  /* Under the stage: why the video is off (or may be), and what to do, in one line or two. */
  .link-note {
    display: flex;
    align-items: center;
    gap: 10px;
    margin: 8px 12px 0;
    padding: 8px 10px 8px 12px;
    border-radius: 10px;
    background: color-mix(in srgb, #f59e0b 14%, var(--_surface));
    color: var(--_text);
    font-size: 13px;
    line-height: 1.35;
  }
  .link-note__text {
    margin: 0;
    flex: 1;
  }
  .link-note__offer {
    flex: none;
    border: 0;
    border-radius: 999px;
    padding: 6px 12px;
    background: var(--_accent);
    color: var(--_on-accent);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  .link-note__offer:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  /* The microphone's level: a ring behind the button, scaled by the meter (compositor only). */
  .level-ring {
    position: absolute;
    inset: 0;
    z-index: -1;
    border-radius: inherit;
    background: color-mix(in srgb, var(--_accent) 35%, transparent);
    transform: scale(1);
    opacity: 0;
    transition: transform 90ms linear, opacity 90ms linear;
    will-change: transform, opacity;
    pointer-events: none;
  }
  /* A stacking context, so the ring (z-index -1) sits behind the button, above the panel. */
  .controls {
    position: relative;
    z-index: 0;
  }
  .round--mic[aria-pressed='false'] .level-ring {
    display: none;
  }
  @keyframes pulse {
    50% {
      opacity: 0.45;
    }
  }
  @keyframes bar {
    0%,
    100% {
      transform: scaleY(0.3);
    }
    50% {
      transform: scaleY(1);
    }
  }
`;

/** Adds the call's styles to the element's shadow root, once. */
export function adoptCallStyles(root: ShadowRoot): void {
  adoptStyles(root, 'call', CALL_CSS + CONVERSATION_CSS + DEVICES_CSS + PANEL_PICTURE_IN_PICTURE_CSS);
}
