/**
 * Finding the widget's parts from a puppeteer page (end-to-end tests, benchmarks). Polled:
 * puppeteer's `waitForSelector` re-checks on the document's mutations, which do not include
 * what changes inside a shadow root, so a part that appears later (the panel arrives with its
 * own file) would be waited for until the timeout.
 */
import type { ElementHandle, Page } from 'puppeteer-core';

/** What the check reads of the page (run in the browser; this file is compiled without the DOM's types). */
interface PageDocument {
  querySelectorAll(selector: string): Iterable<{ shadowRoot: { querySelector(selector: string): unknown } | null }>;
}

/** Waits until `<equos-avatar>`'s part `name` is in its shadow root, and returns it. */
export async function waitForPart(page: Page, name: string, timeoutMs = 10_000): Promise<ElementHandle> {
  await page.waitForFunction(
    (part: string) =>
      [...(globalThis as unknown as { document: PageDocument }).document.querySelectorAll('equos-avatar')].some((element) => element.shadowRoot?.querySelector(`[part~="${part}"]`)),
    { timeout: timeoutMs, polling: 50 },
    name,
  );
  return (await page.$(`pierce/[part~="${name}"]`))!;
}
