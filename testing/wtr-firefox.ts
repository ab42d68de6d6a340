/**
 * A Web Test Runner launcher for Debian's Firefox ESR. `@web/test-runner-chrome`'s launcher
 * drives any browser its puppeteer can (puppeteer-core speaks WebDriver BiDi to Firefox), so
 * no other runner package is needed; this subclass only gives Firefox a profile in which the
 * test server's origin already holds the microphone permission (see
 * ../sandbox/testing/firefox.ts for why ICE needs it), built once the runner knows its port.
 */
import { ChromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import type { LaunchOptions } from 'puppeteer-core';
import type { TestRunnerCoreConfig } from '@web/test-runner-core';
import { FIREFOX_PATH, FIREFOX_PREFS, createFirefoxProfile, type FirefoxProfile } from '../sandbox/testing/firefox.js';

class FirefoxLauncher extends ChromeLauncher {
  #profile: FirefoxProfile | undefined;

  override async initialize(config: TestRunnerCoreConfig, testFiles: string[]): Promise<void> {
    await super.initialize(config, testFiles);
    this.#profile?.remove();
    this.#profile = createFirefoxProfile([`${config.protocol}//${config.hostname}:${config.port}`]);
  }

  override launchBrowser(options: LaunchOptions = {}) {
    if (!this.#profile) throw new Error('FirefoxLauncher: launchBrowser before initialize');
    return super.launchBrowser({ ...options, userDataDir: this.#profile.dir });
  }

  override async stop(): Promise<void> {
    await super.stop();
    this.#profile?.remove();
    this.#profile = undefined;
  }
}

/**
 * Firefox for the browser suites: headless `firefox-esr` with fake devices and a stored
 * microphone permission for the test server.
 *
 * @example
 * browsers: [chromeLauncher({ … }), firefoxLauncher()]
 */
export function firefoxLauncher(): ChromeLauncher {
  return new FirefoxLauncher(
    { browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, extraPrefsFirefox: { ...FIREFOX_PREFS } },
    ({ browser }) => browser.defaultBrowserContext(),
    ({ context }) => context.newPage(),
    // A custom puppeteer makes the launcher name itself after `browser` ("Firefox") and launch
    // it as given, instead of looking for Chrome.
    puppeteerCore,
  );
}
