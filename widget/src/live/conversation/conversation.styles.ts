/**
 * Styles of the conversation's text side (./conversation-view.ts, ./stage-view.ts): captions
 * over the video, the transcript, the text box. Added with the call's styles (../call.styles.ts) and built on
 * the element's private custom properties (`--_*`), so themes and dark mode follow.
 */
import { css } from '../../internal/css-text.js';

export const CONVERSATION_CSS = css`
  .conversation {
    position: relative;
    display: flex;
    flex-direction: column;
    min-height: 0;
    border-top: 1px solid var(--_line);
  }
  .conversation[hidden],
  .conversation [hidden],
  .stage__overlay [hidden] {
    display: none !important;
  }
  /* Out of the stage's grid flow, so the video stays centred; above it, below the stage's message. */
  .stage__overlay {
    position: absolute;
    inset: 0;
    pointer-events: none;
  }
  .captions {
    position: absolute;
    inset-inline: 12px;
    bottom: 12px;
    display: flex;
    justify-content: center;
  }
  .captions__text {
    margin: 0;
    max-width: 100%;
    padding: 6px 12px;
    border-radius: 10px;
    background: rgb(0 0 0 / 0.72);
    color: #fff;
    font-size: 15px;
    line-height: 1.4;
    text-align: center;
    overflow-wrap: anywhere;
  }
  .transcript {
    max-height: 38vh;
    min-height: 72px;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: 10px 14px 4px;
    user-select: text;
    -webkit-user-select: text;
    font-size: 14px;
  }
  .transcript:focus-visible,
  .compose__input:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: -3px;
  }
  .line {
    margin: 0 0 8px;
    overflow-wrap: anywhere;
  }
  .line__who {
    display: block;
    color: var(--_muted);
    font-size: 12px;
    font-weight: 650;
  }
  .line--user {
    text-align: end;
  }
  .line--partial .line__text::after,
  .line--interrupted .line__text::after {
    content: '…';
  }
  .conversation__notice {
    margin: 8px 14px 0;
    color: var(--_muted);
    font-size: 13px;
  }
  .compose {
    display: flex;
    align-items: center;
    gap: 6px;
    padding: 8px 10px 0;
    margin: 0;
  }
  .chip,
  .compose__send {
    display: grid;
    place-items: center;
    flex: none;
    width: 40px;
    height: 40px;
    border-radius: 10px;
    color: var(--_muted);
  }
  .chip:hover,
  .compose__send:hover:not(:disabled) {
    background: var(--_line);
    color: var(--_text);
  }
  .chip[aria-pressed='true'],
  .chip[aria-expanded='true'] {
    color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 12%, transparent);
  }
  .compose__input {
    flex: 1;
    min-width: 0;
    height: 40px;
    padding: 0 12px;
    border: 1px solid var(--_line);
    border-radius: 10px;
    background: transparent;
    color: inherit;
    font: inherit;
    /* 16px keeps iOS Safari from zooming the page when the box gets focus. */
    font-size: 16px;
  }
  .compose__input::placeholder {
    color: var(--_muted);
  }
  .compose__input:disabled,
  .compose__send:disabled {
    opacity: 0.5;
    cursor: default;
  }
  .compose__send {
    color: var(--_accent);
  }
  /* The send arrow points the way the text runs. */
  .root--rtl .compose__send svg {
    transform: scaleX(-1);
  }
`;
