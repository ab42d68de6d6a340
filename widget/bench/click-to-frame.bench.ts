/**
 * `npm run bench` (widget part): the shipped widget on the one-line example page, in
 * headless Chromium against the token server and the local sandbox on loopback.
 *
 * - bundle sizes (raw and gzip, from dist/manifest.json);
 * - time from the visitor's click on "Start conversation" to the avatar's first rendered
 *   frame, over BENCH_CLICK_RUNS runs [10] each (the second file is already loaded: the
 *   launcher click, a sign of intent, fetched it), twice: with the sandbox's realistic avatar
 *   (it joins the room 1 s after the session starts, like the real service) and with an
 *   avatar already waiting (what the widget, token server and transport add).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { launchBrowser } from '../../sandbox/testing/browser-start.js';
import { startTestStack } from '../../testing/stack.js';
import { waitForPart } from '../../testing/widget-parts.js';

const runs = Number(process.env.BENCH_CLICK_RUNS ?? 10);
const root = new URL('../../', import.meta.url).pathname;
execFileSync(process.execPath, [`${root}scripts/build.mjs`], { stdio: 'ignore' });
const manifest = JSON.parse(readFileSync(`${root}dist/manifest.json`, 'utf8')) as { sizes: Record<string, { raw: number; gzip: number }> };

const stack = await startTestStack();
const browser = await launchBrowser();
const times: Record<'avatar_joins_after_1s' | 'avatar_already_there', number[]> = { avatar_joins_after_1s: [], avatar_already_there: [] };
try {
  for (let index = 0; index < runs * 2; index += 1) {
    const kind = index < runs ? 'avatar_joins_after_1s' : 'avatar_already_there';
    if (kind === 'avatar_already_there') stack.sandbox.scenarios.enqueue({ avatar: { joinDelayMs: 0 } });
    const page = await browser.newPage();
    await page.goto(`${stack.tokenServerUrl}/examples/one-line-bubble.html`, { waitUntil: 'networkidle0' });
    await (await waitForPart(page, 'launcher')).click();
    await waitForPart(page, 'start-button');
    await new Promise((resolve) => setTimeout(resolve, 300)); // the second file, fetched on intent
    times[kind].push(
      await page.evaluate(async () => {
        const root = document.querySelector('equos-avatar')!.shadowRoot!;
        const clicked = performance.now();
        (root.querySelector('[part~="start-button"]') as HTMLButtonElement).click();
        while (!root.querySelector('video')) await new Promise((resolve) => setTimeout(resolve, 5));
        await new Promise((resolve) => root.querySelector('video')!.requestVideoFrameCallback(resolve));
        return performance.now() - clicked;
      }),
    );
    await (await waitForPart(page, 'hangup-button')).click();
    await page.close();
  }
} finally {
  await browser.close();
  await stack.close();
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { runs: values.length, median: Math.round(sorted[Math.floor(values.length / 2)]!), min: Math.round(sorted[0]!), max: Math.round(sorted.at(-1)!) };
};
console.log(
  JSON.stringify(
    {
      bundle_kb: Object.fromEntries(Object.entries(manifest.sizes).map(([file, size]) => [file, { raw: kb(size.raw), gzip: kb(size.gzip) }])),
      click_to_first_avatar_frame_ms: Object.fromEntries(Object.entries(times).map(([kind, values]) => [kind, summary(values)])),
    },
    null,
    2,
  ),
);
