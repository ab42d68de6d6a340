/**
 * `npm run bench:network` (part of `npm run bench`): a call on a weak link, with the shipped
 * widget on the one-line example page in headless Chromium against the token server and the
 * sandbox, whose LiveKit server reports quality every 5 s as LiveKit's does. Over
 * BENCH_NETWORK_RUNS rounds [5] in one call:
 *
 * - weak → audio only: from the link turning poor (the sandbox's `network` fault) to the
 *   avatar's video leaving the stage (LiveKit's next report, then the widget's 6 s fallback);
 * - recovered → video: from the link turning excellent to the avatar's next rendered frame,
 *   and the widget's own part of it: from the page hearing `equos-quality-change` (reason
 *   `recovered`, i.e. LiveKit's report arrived) to that frame.
 */
import { execFileSync } from 'node:child_process';
import { launchBrowser } from '../../sandbox/testing/browser-start.js';
import { actOnRoom } from '../../testing/room-faults.js';
import { startTestStack } from '../../testing/stack.js';
import { waitForPart } from '../../testing/widget-parts.js';
import { summarize } from './bench-browser.js';

const runs = Number(process.env.BENCH_NETWORK_RUNS ?? 5);
const root = new URL('../../', import.meta.url).pathname;
execFileSync(process.execPath, [`${root}scripts/build.mjs`], { stdio: 'ignore' });

const stack = await startTestStack();
const browser = await launchBrowser();
const weakToAudioOnly: number[] = [];
const recoveredToFrame: number[] = [];
const reportToFrame: number[] = [];

const network = (sessionId: string, quality: string) => actOnRoom(stack.sandbox, sessionId, { type: 'network', quality });

try {
  stack.sandbox.scenarios.enqueue({ avatar: { joinDelayMs: 0 } });
  const page = await browser.newPage();
  await page.goto(`${stack.tokenServerUrl}/examples/one-line-bubble.html`, { waitUntil: 'networkidle0' });
  await (await waitForPart(page, 'launcher')).click();
  await (await waitForPart(page, 'start-button')).click();
  const sessionId = await page.evaluate(async () => {
    const element = document.querySelector('equos-avatar') as HTMLElement & { state: { name: string; session?: { session_id: string } } };
    while (element.state.name !== 'live') await new Promise((resolve) => setTimeout(resolve, 20));
    // When the page hears the link recover (LiveKit's report arrived), in the page's clock.
    element.addEventListener('equos-quality-change', (event) => {
      if ((event as CustomEvent<{ reason?: string }>).detail.reason === 'recovered') (window as unknown as { recoveredAt: number }).recoveredAt = performance.now();
    });
    return element.state.session!.session_id;
  });
  await waitForPart(page, 'quality');
  for (let round = 0; round < runs; round += 1) {
    let started = Date.now();
    await network(sessionId, 'poor');
    await page.waitForFunction(() => !document.querySelector('equos-avatar')!.shadowRoot!.querySelector('video'), { polling: 20, timeout: 30_000 });
    weakToAudioOnly.push(Date.now() - started);
    started = Date.now();
    await network(sessionId, 'excellent');
    const { frameAt } = await page.evaluate(async () => {
      const shadow = document.querySelector('equos-avatar')!.shadowRoot!;
      while (!shadow.querySelector('video')) await new Promise((resolve) => setTimeout(resolve, 5));
      const at = await new Promise<number>((resolve) => shadow.querySelector('video')!.requestVideoFrameCallback((now) => resolve(now)));
      return { frameAt: at };
    });
    recoveredToFrame.push(Date.now() - started);
    const recoveredAt = await page.evaluate(() => (window as unknown as { recoveredAt: number }).recoveredAt);
    reportToFrame.push(frameAt - recoveredAt);
  }
  await (await waitForPart(page, 'hangup-button')).click();
  await page.close();
} finally {
  await browser.close();
  await stack.close();
}

console.log(
  JSON.stringify(
    {
      network_recovery_ms: {
        link_weak_to_audio_only: summarize(weakToAudioOnly, 0),
        link_recovered_to_video_frame: summarize(recoveredToFrame, 0),
        quality_report_to_video_frame: summarize(reportToFrame, 0),
        note: 'LiveKit (and the sandbox) report quality every 5 s; the widget falls back after 6 s of a weak link',
      },
    },
    null,
    2,
  ),
);
