/**
 * How test tools start Chromium here: Debian's package (never a downloaded browser), headless,
 * as root (no sandbox), with a fake camera and microphone that need no permission prompt, and
 * with the background traffic that this offline machine would refuse turned off.
 */

/** The browser binary [/usr/bin/chromium, or CHROMIUM_PATH]. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Command-line switches for every test and benchmark browser. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
