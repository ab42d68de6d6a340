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
import type { Browser } from 'puppeteer-core';
import { launchBrowser, START_BUDGET_MS } from '../sandbox/testing/browser-start.js';
import { startTestStack, type TestStack } from './stack.js';

const ROOT = new URL('../', import.meta.url).pathname;

/** Builds dist/ unless `npm test` already has. */
export function ensureWidgetBuilt(): void {
  if (process.env.EQUOS_WIDGET_BUILT === '1') return;
  execFileSync(process.execPath, [`${ROOT}scripts/build.mjs`], { stdio: 'ignore' });
}

/** The deadline of a hook or test that starts this setup or a browser: every start attempt (a start is retried), then a minute for the rest. */
export const WITH_BROWSER_START_MS = START_BUDGET_MS + 60_000;

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
    browser = await launchBrowser();
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
