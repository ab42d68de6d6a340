/**
 * Styles of what only a running call shows: the avatar's video, the speaking and time
 * badges, the live and warning dots, the microphone's level ring, and the conversation's text
 * side (./conversation/conversation.styles.ts). They arrive with the call's
 * file and are added after the launcher's (../equos-avatar.styles.ts) and the panel's
 * (../panel/panel.styles.ts), whose private custom properties (`--_*`) they use.
 */
import { CONVERSATION_CSS } from './conversation/conversation.styles.js';
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
  adoptStyles(root, 'call', CALL_CSS + CONVERSATION_CSS);
}
