/**
 * The browser suites' launchers start a browser again when a start fails. @web/test-runner-chrome
 * keeps the promise of a failed start (its getOrStartBrowser never clears it), so before this one
 * start slower than puppeteer's deadline failed every later file in that browser: CI once read
 * "in Chromium: 0 passed, 20 failed" while Firefox passed all 175, and an earlier run the reverse.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH } from '../sandbox/testing/chromium.js';
import { installDirectory, launchBrowser, readIntoPageCache } from '../sandbox/testing/browser-start.js';
import { chromiumLauncher } from './wtr-launchers.js';

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

/**
 * A Chromium whose first `failures` starts fail as `how` says, and whose later starts are the
 * real browser: `hang` stays alive and silent (a start that never prints its DevTools line, as
 * CI saw), `crash` exits at once. Returns the path and a count of starts.
 */
function flakyChromium(failures: number, how: 'hang' | 'crash'): { path: string; starts: () => number } {
  scratch = mkdtempSync(join(tmpdir(), 'flaky-chromium-'));
  const count = join(scratch, 'starts');
  const path = join(scratch, 'chromium');
  writeFileSync(
    path,
    [
      '#!/bin/sh',
      `n=$(( $(cat '${count}' 2>/dev/null || echo 0) + 1 ))`,
      `echo "$n" > '${count}'`,
      `if [ "$n" -le ${failures} ]; then ${how === 'hang' ? 'exec sleep 120' : 'exit 1'}; fi`,
      `exec '${CHROMIUM_PATH}' "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(path, 0o755);
  return { path, starts: () => Number(readFileSync(count, 'utf8')) };
}

/** Per attempt: long enough for a real start on a loaded machine, short enough to keep the hanging attempts brief. */
const ATTEMPT_TIMEOUT_MS = 20_000;

// The fake executable's directory is what a start reads into the page cache, not Chromium's:
// read Chromium's here, as a start of the real executable would (a cold start on this disk can
// outlast the attempt).
beforeAll(() => readIntoPageCache(installDirectory(CHROMIUM_PATH)), 120_000);

describe('starting a test browser', () => {
  it('the Web Test Runner launcher starts Chromium again after a start that never answered', async () => {
    const chromium = flakyChromium(1, 'hang');
    const launcher = chromiumLauncher({ executablePath: chromium.path, timeout: ATTEMPT_TIMEOUT_MS });
    const browser = await launcher.launchBrowser();
    try {
      expect(browser.connected).toBe(true);
      expect(await browser.version()).toMatch(/Chrom/);
      // At least the hung start and one more (a real start slower than the deadline under load takes another).
      expect(chromium.starts()).toBeGreaterThanOrEqual(2);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('a direct start (end-to-end tests, benches) is retried the same way, after a crash too', async () => {
    const chromium = flakyChromium(2, 'crash');
    const browser = await launchBrowser({ executablePath: chromium.path, timeout: ATTEMPT_TIMEOUT_MS });
    try {
      expect(await browser.version()).toMatch(/Chrom/);
      expect(chromium.starts()).toBeGreaterThanOrEqual(3);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('a browser that never starts fails after the last attempt, naming how many were made', async () => {
    const chromium = flakyChromium(99, 'crash');
    await expect(launchBrowser({ executablePath: chromium.path, timeout: ATTEMPT_TIMEOUT_MS })).rejects.toThrow(/did not start in 3 attempts/);
    expect(chromium.starts()).toBe(3);
  }, 120_000);
});
