/**
 * How test tools start Firefox here: Debian's `firefox-esr` (never a downloaded browser),
 * headless, driven by puppeteer-core over WebDriver BiDi, with a fake camera and microphone
 * that need no prompt, and with a profile that already allows the microphone on the origins
 * under test.
 *
 * Why a stored permission (see ../livekit/WERIFT-NOTES.md §9): without one (and before any
 * capture) Firefox gathers only the candidates of its default route, never loopback, and
 * cannot reach the sandbox on 127.0.0.1. A real visitor has granted the microphone by the
 * time the widget connects; the profile stands in for that grant. puppeteer's
 * `overridePermissions` does not cover the microphone in Firefox, so the grant is written
 * into the profile's `permissions.sqlite`, as Firefox itself stores "Remember this decision".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** The browser binary [/usr/bin/firefox-esr, or FIREFOX_PATH]. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Preferences for every test browser (on top of puppeteer's own, which keep Firefox offline). */
export const FIREFOX_PREFS: Readonly<Record<string, boolean | number | string>> = {
  // Fake devices, and getUserMedia without a prompt.
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // The sandbox offers one candidate, on 127.0.0.1: Firefox must gather loopback to pair with it.
  'media.peerconnection.ice.loopback': true,
  // Plain host candidates (no mDNS names), as Chromium gives here.
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  // The avatar's voice plays without a click (tests have no user gesture).
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // No background traffic this offline machine would refuse.
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'extensions.blocklist.enabled': false,
  'toolkit.telemetry.enabled': false,
};

/** Permission types a visitor grants for a voice conversation. */
const GRANTED = ['microphone', 'camera'] as const;

/**
 * The schema of `permissions.sqlite` that Firefox 128–153 ESR writes (`moz_perms`,
 * `user_version` 12). An older or newer Firefox migrates or recreates it; if it ever ignored
 * ours, ICE would fail in every Firefox test, loudly.
 */
const PERMISSIONS_SCHEMA = `
  CREATE TABLE moz_perms (
    id INTEGER PRIMARY KEY, origin TEXT, type TEXT, permission INTEGER,
    expireType INTEGER, expireTime INTEGER, modificationTime INTEGER
  );
  CREATE TABLE moz_hosts (
    id INTEGER PRIMARY KEY, host TEXT, type TEXT, permission INTEGER,
    expireType INTEGER, expireTime INTEGER, modificationTime INTEGER, isInBrowserElement INTEGER
  );
  PRAGMA user_version = 12;
`;

/** A throwaway Firefox profile. */
export interface FirefoxProfile {
  /** Pass as puppeteer's `userDataDir`. */
  dir: string;
  /** Deletes the profile (after the browser closed). */
  remove(): void;
}

/**
 * Creates a profile in which `origins` (e.g. `http://127.0.0.1:41234`) may use the
 * microphone and camera, permanently, as after "Allow" with "Remember this decision".
 *
 * @param origins every origin a test page is served from, scheme, host and port
 * @example
 * const profile = createFirefoxProfile([stack.tokenServerUrl]);
 * const browser = await puppeteerCore.launch({ browser: 'firefox', executablePath: FIREFOX_PATH,
 *   userDataDir: profile.dir, extraPrefsFirefox: { ...FIREFOX_PREFS } });
 */
export function createFirefoxProfile(origins: readonly string[]): FirefoxProfile {
  const dir = mkdtempSync(join(tmpdir(), 'equos-firefox-'));
  const db = new Database(join(dir, 'permissions.sqlite'));
  try {
    db.exec(PERMISSIONS_SCHEMA);
    const insert = db.prepare('INSERT INTO moz_perms (origin, type, permission, expireType, expireTime, modificationTime) VALUES (?, ?, 1, 0, 0, ?)');
    for (const origin of origins) for (const type of GRANTED) insert.run(new URL(origin).origin, type, Date.now());
  } finally {
    db.close();
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
