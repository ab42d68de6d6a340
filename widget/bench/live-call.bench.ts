/**
 * `npm run bench:live-call` (and part of `npm run bench`): what a live call costs the visitor's
 * machine, in headless Chromium on loopback against the token server and the local sandbox
 * (its demo avatar's video and audio flowing, the visitor's fake microphone flowing back).
 *
 * One call on the example page the click-to-frame bench uses (/examples/one-line-bubble.html):
 * the launcher clicked, "Start conversation" clicked, the element `live` and a video frame
 * rendered; the panel stays open. Then, at each CPU throttle of BENCH_LIVE_THROTTLES [1,4]
 * (CDP Emulation.setCPUThrottlingRate; 2 s to settle after a change), BENCH_LIVE_SECONDS [10]
 * of measurement:
 * - the page's main thread: TaskDuration, ScriptDuration, RecalcStyleCount, LayoutCount (and
 *   their durations) per second, from CDP Performance.getMetrics deltas;
 * - a CPU profile (CDP Profiler, 1 ms sampling) of the page's JavaScript, self time grouped by
 *   script URL: our dist files (any .js the token server served, found by URL, not by name),
 *   other scripts, and V8's own nodes ((program): the renderer's non-JS main-thread work,
 *   (garbage collector), (idle)). Our share of a core = our files' self time / wall time;
 *   the target is ≤ 5 %. livekit-client is inside our second file, so it counts as ours.
 *   Under throttling the profile's times are the throttled (slower-device) times;
 * - the CPU time (utime + stime from /proc/<pid>/stat) of the renderer process that shows the
 *   page (found from a trace's TracingStartedInBrowser), all its threads (WebRTC, media decode,
 *   audio, compositor), and of every other Chromium process (GPU, browser, network, audio).
 *   CPU throttling slows the main thread by suspending it, so these figures barely change
 *   with it.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Protocol } from 'puppeteer-core';
import { launchBrowser } from '../../sandbox/testing/browser-start.js';
import { startTestStack } from '../../testing/stack.js';
import { waitForPart } from '../../testing/widget-parts.js';
import { metrics, rendererMainThread, round, sleep, stopTrace, TASK_CATEGORIES } from './bench-browser.js';

const windowSeconds = Number(process.env.BENCH_LIVE_SECONDS ?? 10);
const throttles = (process.env.BENCH_LIVE_THROTTLES ?? '1,4').split(',').map(Number);
const TARGET_CORE_SHARE = 0.05;
const CLOCK_TICKS_PER_SECOND = 100;
const SETTLE_MS = 2000;
const root = new URL('../../', import.meta.url).pathname;

execFileSync(process.execPath, [`${root}scripts/build.mjs`], { stdio: 'ignore' });

/** CPU seconds (all threads) of a process so far, or null once it is gone. */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** A process and its descendants, each with its Chromium `--type` (browser for none). */
function processTree(rootPid: number): { pid: number; type: string }[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: { pid: number; type: string }[] = [];
  const visit = (pid: number) => {
    let type: string;
    try {
      // Chromium rewrites its processes' titles: the switches may be one space-separated string.
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      type = /--type=([\w-]+)/.exec(command)?.[1] ?? (/chrom/.test(command) ? 'browser' : 'other');
      if (type === 'utility') type = `utility:${/--utility-sub-type=([\w.-]+)/.exec(command)?.[1] ?? '?'}`;
    } catch {
      return;
    }
    found.push({ pid, type });
    for (const child of parents.get(pid) ?? []) visit(child);
  };
  visit(rootPid);
  return found;
}

/** Self time (ms) per script URL, and per function of our files, from a V8 CPU profile. */
function attribute(profile: Protocol.Profiler.Profile, ours: (url: string) => boolean, label: (url: string) => string) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // Each sample stands for the time until the next one.
  for (let index = 0; index < samples.length; index += 1) {
    const next = deltas[index + 1] ?? 0;
    selfUs.set(samples[index]!, (selfUs.get(samples[index]!) ?? 0) + next);
  }
  const byUrl = new Map<string, number>();
  const ownFunctions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id)!.callFrame;
    const key = frame.url || (frame.functionName.startsWith('(') ? frame.functionName : '(native, no script URL)');
    byUrl.set(key, (byUrl.get(key) ?? 0) + us);
    if (frame.url && ours(frame.url)) {
      const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
      ownFunctions.set(name, (ownFunctions.get(name) ?? 0) + us);
    }
  }
  const ms = (us: number) => round(us / 1000);
  const sum = (filter: (key: string) => boolean) => ms([...byUrl].filter(([key]) => filter(key)).reduce((total, [, us]) => total + us, 0));
  return {
    profiledMs: ms(profile.endTime - profile.startTime),
    ownMs: sum((key) => ours(key)),
    otherScriptsMs: sum((key) => /^[a-z-]+:/.test(key) && !ours(key)),
    nativeNoUrlMs: sum((key) => key === '(native, no script URL)'),
    programMs: sum((key) => key === '(program)'),
    gcMs: sum((key) => key === '(garbage collector)'),
    idleMs: sum((key) => key === '(idle)'),
    byUrl: Object.fromEntries([...byUrl].sort((a, b) => b[1] - a[1]).map(([key, us]) => [label(key), ms(us)])),
    topOwnFunctions: Object.fromEntries([...ownFunctions].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([key, us]) => [key, ms(us)])),
  };
}

const stack = await startTestStack();
const browser = await launchBrowser();
const browserVersion = await browser.version();
const results: Record<string, unknown> = {};
let call: Record<string, unknown> = {};
try {
  const page = await browser.newPage();
  const cdp = await page.createCDPSession();
  const scripts = new Set<string>();
  cdp.on('Network.responseReceived', (event: Protocol.Network.ResponseReceivedEvent) => {
    if (event.type === 'Script' && event.response.url.startsWith(stack.tokenServerUrl)) scripts.add(event.response.url);
  });
  await cdp.send('Network.enable');
  await cdp.send('Performance.enable');
  const pageUrl = `${stack.tokenServerUrl}/examples/one-line-bubble.html`;
  await page.goto(pageUrl, { waitUntil: 'networkidle0' });
  await (await waitForPart(page, 'launcher')).click();
  await (await waitForPart(page, 'start-button')).click();
  const startedAt = performance.now();
  await page.waitForFunction(
    () => {
      const element = document.querySelector('equos-avatar') as (HTMLElement & { state?: string | { name: string } }) | null;
      const video = element?.shadowRoot?.querySelector('video');
      const state = element?.state;
      return (typeof state === 'string' ? state : state?.name) === 'live' && video !== null && video !== undefined && video.readyState >= 2 && (video.getVideoPlaybackQuality().totalVideoFrames ?? 0) > 0;
    },
    { timeout: 30_000, polling: 100 },
  );
  const liveAfterMs = round(performance.now() - startedAt, 0);
  await sleep(SETTLE_MS);

  // The renderer that shows the page, from a short trace.
  await page.tracing.start({ categories: TASK_CATEGORIES });
  await sleep(100);
  const renderer = rendererMainThread(await stopTrace(page), stack.tokenServerUrl);
  const browserPid = browser.process()?.pid;
  const ours = (url: string) => scripts.has(url);

  const videoState = () =>
    page.evaluate(() => {
      const root = document.querySelector('equos-avatar')!.shadowRoot!;
      const video = root.querySelector('video')!;
      const panel = root.querySelector('[part~="panel"]');
      const state = (document.querySelector('equos-avatar') as HTMLElement & { state?: string | { name: string } }).state;
      return {
        state: typeof state === 'string' ? state : state?.name,
        panelOpen: Boolean(panel?.checkVisibility()),
        width: video.videoWidth,
        height: video.videoHeight,
        frames: video.getVideoPlaybackQuality().totalVideoFrames,
      };
    });
  const first = await videoState();
  call = { live_after_start_click_ms: liveAfterMs, panel_open: first.panelOpen, avatar_video: `${first.width}×${first.height}`, renderer_pid: renderer?.pid ?? null };

  for (const throttle of throttles) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    await sleep(SETTLE_MS);
    const tree = browserPid ? processTree(browserPid) : [];
    const cpuBefore = new Map(tree.map(({ pid }) => [pid, cpuSeconds(pid)]));
    const videoBefore = await videoState();
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
    const metricsBefore = await metrics(cdp);
    await cdp.send('Profiler.start');
    const started = performance.now();
    await sleep(windowSeconds * 1000);
    const { profile } = await cdp.send('Profiler.stop');
    const metricsAfter = await metrics(cdp);
    const elapsedS = (performance.now() - started) / 1000;
    await cdp.send('Profiler.disable');
    const videoAfter = await videoState();
    const cpuByType: Record<string, number> = {};
    let rendererShare: number | null = null;
    for (const { pid, type } of tree) {
      const before = cpuBefore.get(pid);
      const after = cpuSeconds(pid);
      if (before === null || before === undefined || after === null) continue;
      const share = (after - before) / elapsedS;
      const key = pid === renderer?.pid ? 'renderer (this page)' : type;
      cpuByType[key] = (cpuByType[key] ?? 0) + share;
      if (pid === renderer?.pid) rendererShare = share;
    }
    const perSecond = (name: string, scale = 1) => round((((metricsAfter[name] ?? 0) - (metricsBefore[name] ?? 0)) * scale) / elapsedS);
    const attributed = attribute(profile, ours, (url) => url.replace(stack.tokenServerUrl, '<token-server>'));
    const ownShare = attributed.ownMs / (elapsedS * 1000);
    results[`${throttle}x`] = {
      window_s: round(elapsedS, 2),
      call_state: videoAfter.state,
      panel_open: videoAfter.panelOpen,
      avatar_video_fps: round((videoAfter.frames - videoBefore.frames) / elapsedS),
      own_code_core_share: round(ownShare, 4),
      own_code_core_share_percent: round(ownShare * 100, 2),
      target_core_share: TARGET_CORE_SHARE,
      meets_target: ownShare <= TARGET_CORE_SHARE,
      main_thread_per_s: {
        task_ms: perSecond('TaskDuration', 1000),
        script_ms: perSecond('ScriptDuration', 1000),
        recalc_style_ms: perSecond('RecalcStyleDuration', 1000),
        layout_ms: perSecond('LayoutDuration', 1000),
        recalc_style_count: perSecond('RecalcStyleCount'),
        layout_count: perSecond('LayoutCount'),
      },
      cpu_profile_ms: {
        profiled: attributed.profiledMs,
        our_dist_files: attributed.ownMs,
        other_scripts: attributed.otherScriptsMs,
        native_without_script_url: attributed.nativeNoUrlMs,
        program_non_js_main_thread: attributed.programMs,
        garbage_collector: attributed.gcMs,
        idle: attributed.idleMs,
      },
      cpu_profile_self_ms_by_url: attributed.byUrl,
      top_own_functions_self_ms: attributed.topOwnFunctions,
      process_cpu_core_share: {
        renderer_of_page: rendererShare === null ? null : round(rendererShare, 3),
        all_chromium: round(Object.values(cpuByType).reduce((sum, share) => sum + share, 0), 3),
        by_process_type: Object.fromEntries(Object.entries(cpuByType).map(([type, share]) => [type, round(share, 3)])),
      },
    };
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  call.our_scripts = [...scripts].map((url) => url.replace(stack.tokenServerUrl, '<token-server>'));
  await (await waitForPart(page, 'hangup-button')).click();
  await sleep(500);
  await page.close();
} finally {
  await browser.close();
  await stack.close();
}

console.log(
  JSON.stringify(
    {
      live_call: {
        setup: {
          chromium: browserVersion,
          page: '/examples/one-line-bubble.html on the token server (startTestStack), the sandbox demo avatar (Ava)',
          window_s: windowSeconds,
          throttles,
          cores: availableParallelism(),
          note: 'core shares are fractions of one CPU core (1 = a core fully busy); main_thread_per_s are ms of main-thread time per second (1000 = a core)',
        },
        target: `our own code ≤ ${TARGET_CORE_SHARE * 100} % of a core during a live call`,
        call,
        by_throttle: results,
      },
    },
    null,
    2,
  ),
);
