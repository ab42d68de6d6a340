/**
 * Path data of the Picture-in-Picture parts' icons, drawn by ../conversation/dom.ts `icon`.
 * The microphone and hang-up are the panel's own (../../panel/icons.ts, Lit templates, which
 * this plain-DOM file cannot use), as single paths.
 */

/** A window with a smaller one floating in its corner. */
export const PICTURE_IN_PICTURE_ICON = 'M21 11V6a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v12a1 1 0 0 0 1 1h6M14 14h7v6h-7z';
export const MICROPHONE_ICON = 'M9 6a3 3 0 0 1 6 0v5a3 3 0 0 1-6 0zM5 11a7 7 0 0 0 14 0M12 18v3';
export const MICROPHONE_OFF_ICON = 'M15 10V6a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 4.8 2.4M5 11a7 7 0 0 0 11.3 5.5M19 11a7 7 0 0 1-.6 2.8M12 18v3M3 3l18 18';
export const HANG_UP_ICON = 'M3.5 13.5c4.7-4 12.3-4 17 0M3.5 13.5l.8 3.2 3.6-1.2-.3-2.6M20.5 13.5l-.8 3.2-3.6-1.2.3-2.6';
