/**
 * The widget's icons, inline SVG (24×24, stroke currentColor), decorative: labels live on the
 * buttons. The launcher's file carries the launcher's two; each later file bundles those it uses.
 */
import { svg, type SVGTemplateResult } from 'lit';

export const icon = (paths: SVGTemplateResult) =>
  svg`<svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${paths}</svg>`;

export const minimizeIcon = icon(svg`<path d="M6 9l6 6 6-6"/>`);
export const talkIcon = icon(svg`<path d="M4 5h16v11H9l-5 4z"/><path d="M9 10h.01M12 10h.01M15 10h.01"/>`);
