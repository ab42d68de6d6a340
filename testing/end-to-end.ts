/**
 * What an end-to-end file (Vitest) starts: the widget's files in dist/, the test stack in
 * front of the sandbox (./stack.ts), which serves them, and headless Chromium.
 *
 * `npm test` builds dist/ once, before every runner, and says so (`EQUOS_WIDGET_BUILT=1`): the
 * end-to-end files then must not build again, since Vitest runs them in parallel and a build
 * empties dist/ before it writes it (another file's page would load a file that is gone for a
 * moment). A file run on its own builds first.
 */
import { execFileSync } from 'node:child_process';
import { puppeteerCore } from '@web/test-runner-chrome';
import type { Browser } from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../sandbox/testing/chromium.js';
import { startTestStack, type TestStack } from './stack.js';

const ROOT = new URL('../', import.meta.url).pathname;

/** Builds dist/ unless `npm test` already has. */
export function ensureWidgetBuilt(): void {
  if (process.env.EQUOS_WIDGET_BUILT === '1') return;
  execFileSync(process.execPath, [`${ROOT}scripts/build.mjs`], { stdio: 'ignore' });
}

/** A running end-to-end setup. */
export interface EndToEnd {
  stack: TestStack;
  browser: Browser;
  /** Closes the browser, then the stack. */
  close(): Promise<void>;
}

/** Builds the widget if needed, starts the stack and Chromium (the stack is closed again if Chromium cannot start). */
export async function startEndToEnd(): Promise<EndToEnd> {
  ensureWidgetBuilt();
  const stack = await startTestStack();
  let browser: Browser;
  try {
    browser = await puppeteerCore.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
  } catch (error) {
    await stack.close();
    throw error;
  }
  return {
    stack,
    browser,
    async close() {
      await browser.close();
      await stack.close();
    },
  };
}
