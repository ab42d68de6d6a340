/** The panel's icons (../view/icons.ts has the launcher's, and how they are drawn). */
import { svg } from 'lit';
import { icon } from '../view/icons.js';

export const microphoneIcon = icon(svg`<rect x="9" y="3" width="6" height="11" rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v3"/>`);
export const microphoneOffIcon = icon(svg`<path d="M15 10V6a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 4.8 2.4M5 11a7 7 0 0 0 11.3 5.5M19 11a7 7 0 0 1-.6 2.8M12 18v3M3 3l18 18"/>`);
export const hangUpIcon = icon(svg`<path d="M3.5 13.5c4.7-4 12.3-4 17 0M3.5 13.5l.8 3.2 3.6-1.2-.3-2.6M20.5 13.5l-.8 3.2-3.6-1.2.3-2.6" stroke-width="2.6"/>`);
export const soundIcon = icon(svg`<path d="M4 9v6h4l5 4V5L8 9zM16 9a4 4 0 0 1 0 6M19 6a8 8 0 0 1 0 12"/>`);
