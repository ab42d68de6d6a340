/**
 * Web Test Runner launchers for Debian's Chromium and Debian's Firefox ESR.
 * `@web/test-runner-chrome`'s launcher drives any browser its puppeteer can (puppeteer-core
 * speaks WebDriver BiDi to Firefox), so no other runner package is needed. The subclasses add:
 *
 * - a start that reads the browser's files into the page cache first, and is tried again when
 *   it fails (../sandbox/testing/browser-start.ts). The runner's launcher keeps the promise of
 *   a failed start and hands it to every later file, so one slow start used to fail all 20
 *   files in that browser;
 * - for Firefox, a profile in which the test server's origin already holds the microphone
 *   permission (see ../sandbox/testing/firefox.ts for why ICE needs it), built once the runner
 *   knows its port.
 */
import { ChromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import type { LaunchOptions } from 'puppeteer-core';
import type { TestRunnerCoreConfig } from '@web/test-runner-core';
import { startWithRetries, withBrowserDefaults } from '../sandbox/testing/browser-start.js';
import { FIREFOX_PATH, FIREFOX_PREFS, createFirefoxProfile, type FirefoxProfile } from '../sandbox/testing/firefox.js';

/** The runner's launcher, whose browser start is retried; `launchOptions.timeout` is the per-attempt deadline. */
class RetryingLauncher extends ChromeLauncher {
  readonly #attemptTimeout: number | undefined;
  readonly #executablePath: string | undefined;

  constructor(launchOptions: LaunchOptions) {
    super(
      launchOptions,
      ({ browser }) => browser.defaultBrowserContext(),
      ({ context }) => context.newPage(),
      // A custom puppeteer makes the launcher name itself after `browser` ("Chromium",
      // "Firefox") and launch the executable given, instead of looking for Chrome.
      puppeteerCore,
    );
    this.#attemptTimeout = launchOptions.timeout;
    this.#executablePath = launchOptions.executablePath;
  }

  override launchBrowser(options: LaunchOptions = {}) {
    return startWithRetries(
      (timeout) => super.launchBrowser({ ...options, timeout }),
      options.timeout ?? this.#attemptTimeout,
      this.name,
      options.executablePath ?? this.#executablePath,
    );
  }
}

class FirefoxLauncher extends RetryingLauncher {
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
 * Chromium for the browser suites: Debian's, headless, with the test flags (withBrowserDefaults).
 *
 * @param overrides launch options on top of those (tests pass another executable or deadline)
 * @example
 * browsers: [chromiumLauncher(), firefoxLauncher()]
 */
export function chromiumLauncher(overrides: LaunchOptions = {}): ChromeLauncher {
  return new RetryingLauncher(withBrowserDefaults(overrides));
}

/** Firefox for the browser suites: headless `firefox-esr` with fake devices and a stored microphone permission for the test server. */
export function firefoxLauncher(): ChromeLauncher {
  return new FirefoxLauncher({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, extraPrefsFirefox: { ...FIREFOX_PREFS } });
}
