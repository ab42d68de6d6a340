/**
 * The one way test tools start a browser: puppeteer-core's launch, started again when a start
 * fails. On this 2-core machine under load a start now and then outlasts puppeteer's 30 s
 * deadline for the browser's "listening on ws://…" line (CI saw it after the Vitest run, once
 * in Chromium and once in Firefox); a second start then succeeds. Each attempt that times out
 * is killed by puppeteer before the next one begins.
 */
import { loadavg } from 'node:os';
import { puppeteerCore } from '@web/test-runner-chrome';
import type { Browser, LaunchOptions } from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

/** Starts tried before giving up. */
export const START_ATTEMPTS = 3;
/** How long one start may take to answer [40 s; puppeteer's own default is 30 s]. */
export const START_ATTEMPT_TIMEOUT_MS = 40_000;
/** The longest a start can take, every attempt included: a runner's own deadline for a start must be longer. */
export const START_BUDGET_MS = START_ATTEMPTS * (START_ATTEMPT_TIMEOUT_MS + 5_000);

/**
 * Runs `start` until it gives a browser, at most {@link START_ATTEMPTS} times, each with the
 * per-attempt deadline it is passed.
 *
 * @param start starts the browser once, within `timeout` ms (puppeteer's `timeout` option)
 * @param timeout the per-attempt deadline [START_ATTEMPT_TIMEOUT_MS]
 * @param name the browser, for the warning before a retry and the final error
 */
export async function startWithRetries(start: (timeout: number) => Promise<Browser>, timeout = START_ATTEMPT_TIMEOUT_MS, name = 'the browser'): Promise<Browser> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      return await start(timeout);
    } catch (error) {
      lastError = error;
      if (attempt < START_ATTEMPTS) {
        // The load average says whether the machine was starved when it happened.
        const load = loadavg().map((value) => value.toFixed(1)).join(' ');
        console.warn(`${name} did not start (attempt ${attempt} of ${START_ATTEMPTS}: ${(error as Error).message}; load average ${load}); starting it again`);
      }
    }
  }
  throw new Error(`${name} did not start in ${START_ATTEMPTS} attempts: ${(lastError as Error).message}`, { cause: lastError });
}

/**
 * puppeteer-core's `launch`, retried. Defaults to Debian's Chromium, headless, with
 * {@link CHROMIUM_ARGS}; `options.timeout` is the per-attempt deadline.
 *
 * @example
 * const browser = await launchBrowser();
 * const firefox = await launchBrowser({ browser: 'firefox', executablePath: FIREFOX_PATH, userDataDir });
 */
export function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const settings: LaunchOptions = { headless: true, ...options };
  if (!settings.browser || settings.browser === 'chrome') {
    settings.executablePath ??= CHROMIUM_PATH;
    settings.args ??= [...CHROMIUM_ARGS];
  }
  const name = settings.browser === 'firefox' ? 'Firefox' : 'Chromium';
  return startWithRetries((timeout) => puppeteerCore.launch({ ...settings, timeout }), options.timeout, name);
}
