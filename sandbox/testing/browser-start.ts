/**
 * The one way test tools start a browser: puppeteer-core's launch, after reading the
 * browser's files into the page cache, and started again when a start fails.
 *
 * Why: a start that outlasted puppeteer's 30 s deadline for the browser's "listening on ws://…"
 * line failed CI twice, once in Chromium and once in Firefox, right after the Vitest run. Caught
 * in the act, the browser was in uninterruptible sleep waiting on page faults: this machine
 * reclaims idle page cache eagerly (DAMON reclaim, with 22 GB free), its disk is slow at times
 * (19 MB/s measured), and a cold start pages in hundreds of megabytes of binary at random. One
 * sequential read of the install directory first is several times faster than those faults
 * (Chromium after dropping the cache: 6.8 s to start cold; 1.3 s to read and 0.5 s to start
 * warm), and costs about 0.1 s when the files are cached already. A start that still fails is
 * killed by puppeteer and tried again.
 */
import { opendir, open } from 'node:fs/promises';
import { readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
 * @param executablePath the browser's executable, whose install directory is read into the page cache before each attempt
 */
export async function startWithRetries(
  start: (timeout: number) => Promise<Browser>,
  timeout = START_ATTEMPT_TIMEOUT_MS,
  name = 'the browser',
  executablePath?: string,
): Promise<Browser> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      if (executablePath) await warm(executablePath);
      return await start(timeout);
    } catch (error) {
      lastError = error;
      if (attempt < START_ATTEMPTS) {
        console.warn(`${name} did not start (attempt ${attempt} of ${START_ATTEMPTS}: ${(error as Error).message}; ${machinePressure()}); starting it again`);
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
  const settings = withBrowserDefaults(options);
  const name = settings.browser === 'firefox' ? 'Firefox' : 'Chromium';
  return startWithRetries((timeout) => puppeteerCore.launch({ ...settings, timeout }), options.timeout, name, settings.executablePath);
}

/** `options` with the test browsers' defaults: headless, and for Chromium Debian's executable with {@link CHROMIUM_ARGS}. */
export function withBrowserDefaults(options: LaunchOptions = {}): LaunchOptions {
  const settings: LaunchOptions = { headless: true, ...options };
  if (!settings.browser || settings.browser === 'chrome') {
    settings.executablePath ??= CHROMIUM_PATH;
    settings.args ??= [...CHROMIUM_ARGS];
  }
  return settings;
}

/**
 * Where a browser's files are installed: the executable's own directory once links are
 * resolved, except for a launcher script in /usr/bin (Debian's `/usr/bin/chromium` runs
 * `/usr/lib/chromium/chromium`), whose files are in /usr/lib/<its name>.
 */
export function installDirectory(executablePath: string): string {
  const real = realpathSync(executablePath);
  return dirname(real) === '/usr/bin' ? join('/usr/lib', basename(real)) : dirname(real);
}

/**
 * Reads the browser's install directory into the page cache, best effort: a directory that
 * cannot be read only leaves the start as slow as before, and a wrong CHROMIUM_PATH or
 * FIREFOX_PATH gets puppeteer's own "Browser was not found at the configured executablePath",
 * not an error from here.
 */
async function warm(executablePath: string): Promise<void> {
  try {
    await readIntoPageCache(installDirectory(executablePath));
  } catch {
    // Nothing to warm; the start itself says whether the executable exists.
  }
}

/** Reads every file of `directory` (and below) once, in order, so that a start finds them in the page cache. */
export async function readIntoPageCache(directory: string): Promise<void> {
  const buffer = Buffer.allocUnsafe(4 << 20);
  const visit = async (dir: string): Promise<void> => {
    for await (const entry of await opendir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile()) {
        const file = await open(path, 'r');
        try {
          while ((await file.read(buffer, 0, buffer.length, null)).bytesRead > 0);
        } finally {
          await file.close();
        }
      }
    }
  };
  await visit(directory);
}

/** Whether the machine was starved when a start failed: its load average, and the share of time tasks stalled on I/O (Linux PSI). */
function machinePressure(): string {
  const load = `load average ${loadavg().map((value) => value.toFixed(1)).join(' ')}`;
  try {
    const full = /^full avg10=([\d.]+)/m.exec(readFileSync('/proc/pressure/io', 'utf8'))?.[1];
    return full ? `${load}, all tasks stalled on I/O ${full}% of the last 10 s` : load;
  } catch {
    return load;
  }
}
