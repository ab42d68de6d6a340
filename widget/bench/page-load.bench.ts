/**
 * `npm run bench:page-load` (and part of `npm run bench`): what the one-line embed costs the
 * page that includes it, next to a blank page and to a well-known peer, in headless Chromium.
 *
 * Three pages, the same HTML but for the embed, each from a loopback origin of its own
 * (a node:http server on 127.0.0.1:<port>):
 * - `blank`: no embed (the baseline);
 * - `ours`: `<script src="<token server>/equos-avatar.js" data-server="<token server>" …async>`
 *   from README, the script served cross-origin by the real token server of testing/stack.ts
 *   (another port: another origin; the stack's ALLOWED_ORIGINS is `*`);
 * - `peer`: `@elevenlabs/convai-widget-embed` (node_modules, its dist/index.js) served
 *   cross-origin by a local static server as a CDN would (gzip, long cache), embedded as its
 *   docs say: `<elevenlabs-convai agent-id="…"></elevenlabs-convai>` and its script tag.
 *   There is no internet: every other host fails at once (`--host-resolver-rules` maps them
 *   to "not found"); its agent-config GET (api.us.elevenlabs.io/v1/convai/agents/<id>/widget)
 *   is answered by a local stub through CDP Fetch, or it would render nothing at all; its
 *   font stylesheet and noise texture fail.
 *
 * Each page is loaded BENCH_LOADS times [10], interleaved (blank, ours, peer, blank, …), at
 * each CPU throttle of BENCH_THROTTLES [1,4] (CDP Emulation.setCPUThrottlingRate), each load in
 * a new tab with the HTTP cache cleared and disabled (no memory, disk or code cache). Tabs of
 * the one default browser context, not a context each: on this Chromium every new context
 * opens a window that loads its own WebUI (omnibox popup), ~0.5 s of renderer work that
 * would land on top of the measured load on a 2-core machine.
 *
 * Measured per load, over the load window (navigation start → load event + BENCH_AFTER_LOAD_MS
 * [2000], longer if requests are still in flight): see `METRICS` below. On BENCH_IDLE_LOADS
 * [2] of the rounds the round's three pages then stay open BENCH_IDLE_MS [10000] side by side
 * for the idle cost. At the last throttle, BENCH_INTENT_LOADS [2] loads of ours and of the peer
 * each, per intent, measure a hover and a keyboard focus on the launcher in a trace.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Browser, CDPSession, Page, Protocol } from 'puppeteer-core';
import { launchBrowser } from '../../sandbox/testing/browser-start.js';
import { CHROMIUM_ARGS } from '../../sandbox/testing/chromium.js';
import { startTestStack } from '../../testing/stack.js';
import { mainThreadTasks, markTs, metrics, ratio, rendererMainThread, round, serve, sleep, stopTrace, summarize, TASK_CATEGORIES, type Summary } from './bench-browser.js';

const loads = Number(process.env.BENCH_LOADS ?? 10);
const throttles = (process.env.BENCH_THROTTLES ?? '1,4').split(',').map(Number);
const afterLoadMs = Number(process.env.BENCH_AFTER_LOAD_MS ?? 2000);
const idleLoads = Math.min(loads, Number(process.env.BENCH_IDLE_LOADS ?? 2));
const idleMs = Number(process.env.BENCH_IDLE_MS ?? 10_000);
const intentLoads = Number(process.env.BENCH_INTENT_LOADS ?? 2);
const INTENT_WINDOW_MS = 3000;
const NETWORK_IDLE_MAX_MS = 5000;
const root = new URL('../../', import.meta.url).pathname;

type Kind = 'blank' | 'ours' | 'peer';
const KINDS: Kind[] = ['blank', 'ours', 'peer'];

const METRICS = {
  script_ms: 'Performance.getMetrics ScriptDuration at the end of the load window (all script compile and run in the page since navigation)',
  task_ms: 'Performance.getMetrics TaskDuration at the end of the load window (all main-thread work)',
  total_blocking_time_ms: 'sum over main-thread tasks of max(0, duration - 50 ms) from navigation start to the end of the load window (PerformanceObserver longtask, buffered, observing from the init script)',
  launcher_painted_ms:
    'ms from navigation start to the first frame in which the launcher is visible: a requestAnimationFrame loop from an init script checks every frame for ours `equos-avatar` → shadowRoot `[part~=launcher]`, for the peer the first <button> in `elevenlabs-convai`\'s shadowRoot, with a box inside the viewport and checkVisibility({opacityProperty, visibilityProperty}); the time is performance.now() in the rAF callback of that frame (its paint follows)',
  load_event_ms: 'navigation timing loadEventEnd',
  js_heap_used_mb: 'Performance.getMetrics JSHeapUsedSize at the end of the load window, before any forced GC',
  js_heap_used_after_gc_mb: 'the same after HeapProfiler.collectGarbage',
  transfer_kb: 'sum of encodedDataLength (bytes on the wire: headers + encoded body) of every request from navigation to network idle at the end of the load window, the page HTML excluded',
  requests: 'how many requests that is (failed ones included)',
  idle_task_ms: 'Performance.getMetrics TaskDuration over BENCH_IDLE_MS of idle after the load window (the round\'s three pages open side by side, no input)',
  idle_script_ms: 'ScriptDuration over the same idle window',
};

execFileSync(process.execPath, [`${root}scripts/build.mjs`], { stdio: 'ignore' });
const peerPackage = JSON.parse(readFileSync(`${root}node_modules/@elevenlabs/convai-widget-embed/package.json`, 'utf8')) as { version: string };
const peerScript = readFileSync(`${root}node_modules/@elevenlabs/convai-widget-embed/dist/index.js`);
const peerScriptGzip = gzipSync(peerScript);
const PEER_PATH = `/npm/@elevenlabs/convai-widget-embed@${peerPackage.version}/dist/index.js`;
const PEER_AGENT_ID = 'agent_bench_offline';
/** A widget config as the peer's API returns it (shape from the peer's own test mocks), so it renders its launcher. */
const PEER_CONFIG = {
  agent_id: PEER_AGENT_ID,
  widget_config: {
    variant: 'compact',
    placement: 'bottom-right',
    avatar: { type: 'orb', color_1: '#2792dc', color_2: '#9ce6e6' },
    feedback_mode: 'none',
    language: 'en',
    mic_muting_enabled: false,
    transcript_enabled: false,
    text_input_enabled: false,
    default_expanded: false,
    always_expanded: false,
    dismissible: false,
    text_contents: {},
    language_presets: {},
    disable_banner: false,
    text_only: false,
    supports_text_only: false,
    first_message: 'Hello! How can I help?',
    use_rtc: false,
    terms_html: null,
  },
};

const stack = await startTestStack();
const cdn = await serve((request, response) => {
  if (request.url !== PEER_PATH) return void response.writeHead(404).end();
  const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  response
    .writeHead(200, {
      'Content-Type': 'application/javascript; charset=utf-8',
      'Access-Control-Allow-Origin': '*',
      'Cache-Control': 'public, max-age=31536000, immutable',
      Vary: 'Accept-Encoding',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    })
    .end(gzip ? peerScriptGzip : peerScript);
});
const EMBEDS: Record<Kind, string> = {
  blank: '',
  ours: `<script src="${stack.tokenServerUrl}/equos-avatar.js" data-server="${stack.tokenServerUrl}" data-preset="default" async></script>`,
  peer: `<elevenlabs-convai agent-id="${PEER_AGENT_ID}"></elevenlabs-convai>\n    <script src="${cdn.url}${PEER_PATH}" async type="text/javascript"></script>`,
};
const site = await serve((request, response) => {
  const kind = request.url?.slice(1) as Kind;
  if (!KINDS.includes(kind)) return void response.writeHead(404).end();
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Acme Running</title>
    <link rel="icon" href="data:," />
  </head>
  <body>
    <main>
      <h1>Find your next running shoe.</h1>
      <p>Not sure which one fits your stride? Ask our assistant.</p>
    </main>
    ${EMBEDS[kind]}
  </body>
</html>`);
});

/** Origins by name, to print request URLs the same from run to run. */
const ORIGINS: [string, string][] = [
  [stack.tokenServerUrl, '<token-server>'],
  [cdn.url, '<cdn>'],
  [site.url, '<page>'],
  [new URL(stack.sandbox.avatarThumbnailUrl).origin, '<sandbox>'],
];
const label = (url: string) => ORIGINS.reduce((text, [origin, name]) => (text.startsWith(origin) ? name + text.slice(origin.length) : text), url);

const browser: Browser = await launchBrowser({ args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'] });

const browserVersion = await browser.version();

/** What the init script records in the page. */
interface PageRecord {
  longTasks: [number, number][];
  painted: number | null;
  loadEventEnd: number;
}

/** Where each page's launcher is (ours: a public ::part; the peer: the first button of its shadow root). */
const LAUNCHER: Record<Exclude<Kind, 'blank'>, string> = {
  ours: `document.querySelector('equos-avatar')?.shadowRoot?.querySelector('[part~="launcher"]')`,
  peer: `document.querySelector('elevenlabs-convai')?.shadowRoot?.querySelector('button')`,
};

/**
 * Runs in every page before its own scripts: long tasks, and the launcher's first visible
 * frame. A string, not a function: tsx would wrap a function's inner functions in a helper
 * (`__name`) that the page does not have.
 */
function initScript(kind: Kind): string {
  return `(() => {
  const record = { longTasks: [], painted: null };
  window.__bench = record;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) record.longTasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
  ${kind === 'blank' ? 'return;' : ''}
  const visible = (element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth &&
      element.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  };
  const poll = () => {
    const element = ${kind === 'blank' ? 'null' : LAUNCHER[kind]};
    if (element && visible(element)) record.painted = performance.now();
    else if (performance.now() < 30000) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})();`;
}

/** A request seen on the network. */
interface Request {
  url: string;
  startedMs: number;
  status?: number;
  bytes: number;
  failed?: string;
  done: boolean;
}

/** One tab of one page kind, instrumented, navigated and settled. */
interface Loaded {
  kind: Kind;
  page: Page;
  cdp: CDPSession;
  requests: Map<string, Request>;
  values: Record<string, number | null>;
  close(): Promise<void>;
}

async function load(kind: Kind, throttle: number, settleMs = afterLoadMs): Promise<Loaded> {
  const page = await browser.newPage();
  const cdp = await page.createCDPSession();
  const requests = new Map<string, Request>();
  const started = performance.now();
  cdp.on('Network.requestWillBeSent', (event: Protocol.Network.RequestWillBeSentEvent) => {
    if (event.type === 'Document' && event.request.url === `${site.url}/${kind}`) return;
    if (/^(data|blob):/.test(event.request.url)) return;
    requests.set(event.requestId, { url: event.request.url, startedMs: performance.now() - started, bytes: 0, done: false });
  });
  cdp.on('Network.responseReceived', (event: Protocol.Network.ResponseReceivedEvent) => {
    const request = requests.get(event.requestId);
    if (request) request.status = event.response.status;
  });
  cdp.on('Network.loadingFinished', (event: Protocol.Network.LoadingFinishedEvent) => {
    const request = requests.get(event.requestId);
    if (request) Object.assign(request, { bytes: event.encodedDataLength, done: true });
  });
  cdp.on('Network.loadingFailed', (event: Protocol.Network.LoadingFailedEvent) => {
    const request = requests.get(event.requestId);
    if (request) Object.assign(request, { failed: event.errorText, done: true });
  });
  if (kind === 'peer') {
    cdp.on('Fetch.requestPaused', (event: Protocol.Fetch.RequestPausedEvent) => {
      void cdp.send('Fetch.fulfillRequest', {
        requestId: event.requestId,
        responseCode: 200,
        responseHeaders: [
          { name: 'Content-Type', value: 'application/json' },
          { name: 'Access-Control-Allow-Origin', value: '*' },
        ],
        body: Buffer.from(JSON.stringify(PEER_CONFIG)).toString('base64'),
      });
    });
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: `https://api*.elevenlabs.io/v1/convai/agents/${PEER_AGENT_ID}/widget*` }] });
  }
  await cdp.send('Network.enable');
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Performance.enable');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  await page.evaluateOnNewDocument(initScript(kind));

  await page.goto(`${site.url}/${kind}`, { waitUntil: 'load' });
  await sleep(settleMs);
  for (const until = performance.now() + NETWORK_IDLE_MAX_MS; [...requests.values()].some((request) => !request.done) && performance.now() < until; ) await sleep(50);

  const record = (await page.evaluate(() => {
    const bench = (window as unknown as { __bench: Omit<PageRecord, 'loadEventEnd'> }).__bench;
    return { ...bench, loadEventEnd: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd };
  })) as PageRecord;
  const before = await metrics(cdp);
  await cdp.send('HeapProfiler.collectGarbage');
  const afterGc = await metrics(cdp);
  const windowEnd = record.loadEventEnd + settleMs;
  const list = [...requests.values()];
  return {
    kind,
    page,
    cdp,
    requests,
    values: {
      script_ms: round((before.ScriptDuration ?? 0) * 1000),
      task_ms: round((before.TaskDuration ?? 0) * 1000),
      total_blocking_time_ms: round(record.longTasks.filter(([start]) => start < windowEnd).reduce((sum, [, duration]) => sum + Math.max(0, duration - 50), 0)),
      launcher_painted_ms: kind === 'blank' ? null : record.painted === null ? null : round(record.painted),
      load_event_ms: round(record.loadEventEnd),
      js_heap_used_mb: round((before.JSHeapUsedSize ?? 0) / 1048576, 2),
      js_heap_used_after_gc_mb: round((afterGc.JSHeapUsedSize ?? 0) / 1048576, 2),
      transfer_kb: round(list.reduce((sum, request) => sum + request.bytes, 0) / 1024),
      requests: list.length,
    },
    close: () => page.close(),
  };
}

/** The idle cost of loaded pages side by side: metric deltas over `idleMs` with no input. */
async function idle(pages: Loaded[]): Promise<void> {
  const before = await Promise.all(pages.map((loaded) => metrics(loaded.cdp)));
  await sleep(idleMs);
  const after = await Promise.all(pages.map((loaded) => metrics(loaded.cdp)));
  pages.forEach((loaded, index) => {
    const delta = (name: string) => ((after[index]![name] ?? 0) - (before[index]![name] ?? 0)) * 1000;
    loaded.values.idle_task_ms = round(delta('TaskDuration'));
    loaded.values.idle_script_ms = round(delta('ScriptDuration'));
  });
}

/** Where the launcher is, and whether the page shows it. */
async function launcherCentre(loaded: Loaded): Promise<{ x: number; y: number } | null> {
  return loaded.page.evaluate(`(() => {
    const element = ${LAUNCHER[loaded.kind as Exclude<Kind, 'blank'>]};
    if (!element) return null;
    const box = element.getBoundingClientRect();
    return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
  })()`) as Promise<{ x: number; y: number } | null>;
}

/** What one intent (hover or focus) cost: main-thread tasks and requests in the window after it. */
interface IntentCost {
  longest_task_ms: number | null;
  busy_ms: number | null;
  tasks_over_50ms: number | null;
  requests: number;
  transfer_kb: number;
  reached_launcher: boolean;
  urls: string[];
}

/** A hover (real mouse move onto the launcher) or a focus (Tab from the page start) on a loaded page, traced. */
async function intent(loaded: Loaded, action: 'hover' | 'focus'): Promise<IntentCost> {
  const centre = await launcherCentre(loaded);
  if (action === 'hover') await loaded.cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x: 2, y: 2 });
  await sleep(200);
  const requestsBefore = new Set(loaded.requests.keys());
  await loaded.page.tracing.start({ categories: TASK_CATEGORIES });
  await loaded.page.evaluate(() => performance.mark('bench-intent'));
  if (action === 'hover' && centre) await loaded.cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x: centre.x, y: centre.y });
  if (action === 'focus') {
    await loaded.cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Tab', code: 'Tab', windowsVirtualKeyCode: 9, nativeVirtualKeyCode: 9 });
    await loaded.cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Tab', code: 'Tab', windowsVirtualKeyCode: 9, nativeVirtualKeyCode: 9 });
  }
  await sleep(INTENT_WINDOW_MS);
  const events = await stopTrace(loaded.page);
  const reached = (await loaded.page.evaluate(`(() => {
    const launcher = ${LAUNCHER[loaded.kind as Exclude<Kind, 'blank'>]};
    return { hovered: Boolean(launcher?.matches(':hover')), focused: Boolean(launcher && launcher.getRootNode().activeElement === launcher) };
  })()`)) as { hovered: boolean; focused: boolean };
  const fresh = [...loaded.requests.entries()].filter(([id]) => !requestsBefore.has(id)).map(([, request]) => request);
  const thread = rendererMainThread(events, site.url);
  const mark = markTs(events, 'bench-intent');
  const tasks = thread && mark !== null ? mainThreadTasks(events, thread).filter(([start]) => start > mark && start < mark + INTENT_WINDOW_MS * 1000) : null;
  return {
    longest_task_ms: tasks ? round(Math.max(0, ...tasks.map(([, duration]) => duration)) / 1000) : null,
    busy_ms: tasks ? round(tasks.reduce((sum, [, duration]) => sum + duration, 0) / 1000) : null,
    tasks_over_50ms: tasks ? tasks.filter(([, duration]) => duration > 50_000).length : null,
    requests: fresh.length,
    transfer_kb: round(fresh.reduce((sum, request) => sum + request.bytes, 0) / 1024),
    reached_launcher: action === 'hover' ? reached.hovered : reached.focused,
    urls: fresh.map((request) => `${label(request.url)} ${request.failed ?? request.status ?? 'pending'}`),
  };
}

const benchStarted = performance.now();
const phaseSeconds: Record<string, number> = {};
const phase = (name: string, since: number) => (phaseSeconds[name] = round((performance.now() - since) / 1000, 0));
type Samples = Record<Kind, Record<string, (number | null)[]>>;
const samples: Record<string, Samples> = {};
const requestsUpFront: Partial<Record<Kind, Record<string, { loads: number; outcome: Set<string>; bytes: number[] }>>> = {};
const intents: Record<'hover' | 'focus', Record<'ours' | 'peer', IntentCost[]>> = { hover: { ours: [], peer: [] }, focus: { ours: [], peer: [] } };
try {
  // Warm-up (discarded): the servers' first requests, Chromium's first tabs.
  for (const kind of KINDS) await (await load(kind, 1, 300)).close();

  for (const throttle of throttles) {
    const throttleStarted = performance.now();
    const perKind: Samples = { blank: {}, ours: {}, peer: {} };
    samples[`${throttle}x`] = perKind;
    for (let round_ = 0; round_ < loads; round_ += 1) {
      const keepOpen = round_ < idleLoads;
      const open: Loaded[] = [];
      for (const kind of KINDS) {
        const loaded = await load(kind, throttle);
        if (keepOpen) open.push(loaded);
        else await loaded.close();
        for (const [name, value] of Object.entries(loaded.values)) (perKind[kind][name] ??= []).push(value);
        for (const request of loaded.requests.values()) {
          const seen = (requestsUpFront[kind] ??= {});
          const entry = (seen[label(request.url)] ??= { loads: 0, outcome: new Set<string>(), bytes: [] });
          entry.loads += 1;
          entry.outcome.add(request.failed ? `failed: ${request.failed}` : String(request.status));
          entry.bytes.push(request.bytes);
        }
      }
      if (keepOpen) {
        await idle(open);
        for (const loaded of open) for (const name of ['idle_task_ms', 'idle_script_ms']) (perKind[loaded.kind][name] ??= []).push(loaded.values[name] ?? null);
        // At the last throttle, hover on these pages too: the blank one closed first, the peer's
        // with ours open beside it (idle, as just measured), then ours alone.
        const last = throttle === throttles.at(-1);
        for (const kind of ['blank', 'peer', 'ours'] as const) {
          const loaded = open.find((candidate) => candidate.kind === kind)!;
          if (kind !== 'blank' && last && intents.hover[kind].length < intentLoads) intents.hover[kind].push(await intent(loaded, 'hover'));
          await loaded.close();
        }
      }
    }
    phase(`${throttle}x`, throttleStarted);
  }
  const intentsStarted = performance.now();
  // The intents not yet measured (hover, if fewer idle rounds than intent loads; focus always), on fresh loads.
  const throttle = throttles.at(-1)!;
  for (let index = 0; index < intentLoads; index += 1) {
    for (const action of ['hover', 'focus'] as const) {
      for (const kind of ['ours', 'peer'] as const) {
        if (intents[action][kind].length >= intentLoads) continue;
        const loaded = await load(kind, throttle);
        intents[action][kind].push(await intent(loaded, action));
        await loaded.close();
      }
    }
  }
  phase('fresh intent loads', intentsStarted);
} finally {
  await browser.close();
  await site.close();
  await cdn.close();
  await stack.close();
}

const tables = Object.fromEntries(
  Object.entries(samples).map(([throttle, perKind]) => {
    const summaries = Object.fromEntries(KINDS.map((kind) => [kind, Object.fromEntries(Object.entries(perKind[kind]).map(([name, values]) => [name, summarize(values, name.includes('heap') ? 2 : 1)]))])) as Record<Kind, Record<string, Summary>>;
    const names = Object.keys(METRICS);
    return [
      throttle,
      {
        ...summaries,
        ours_over_peer: Object.fromEntries(names.map((name) => [name, ratio(summaries.ours[name], summaries.peer[name])])),
        ours_over_blank: Object.fromEntries(names.map((name) => [name, ratio(summaries.ours[name], summaries.blank[name])])),
      },
    ];
  }),
);
const intentTables = Object.fromEntries(
  (['hover', 'focus'] as const).map((action) => {
    const summary = (kind: 'ours' | 'peer') => ({
      longest_task_ms: summarize(intents[action][kind].map((cost) => cost.longest_task_ms)),
      busy_ms: summarize(intents[action][kind].map((cost) => cost.busy_ms)),
      tasks_over_50ms: summarize(intents[action][kind].map((cost) => cost.tasks_over_50ms), 0),
      requests: summarize(intents[action][kind].map((cost) => cost.requests), 0),
      transfer_kb: summarize(intents[action][kind].map((cost) => cost.transfer_kb)),
      reached_launcher: `${intents[action][kind].filter((cost) => cost.reached_launcher).length}/${intents[action][kind].length}`,
      fetched: [...new Set(intents[action][kind].flatMap((cost) => cost.urls))],
    });
    const ours = summary('ours');
    const peer = summary('peer');
    return [action, { ours, peer, ours_over_peer: { longest_task_ms: ratio(ours.longest_task_ms, peer.longest_task_ms), busy_ms: ratio(ours.busy_ms, peer.busy_ms) } }];
  }),
);

const sizeOf = (bytes: Uint8Array) => round(bytes.length / 1024);
console.log(
  JSON.stringify(
    {
      page_load: {
        setup: {
          chromium: browserVersion,
          loads_per_page_per_throttle: loads,
          throttles,
          order: 'interleaved: blank, ours, peer, blank, ours, peer, …',
          load_window: `navigation start → load event + ${afterLoadMs} ms (then until no request is in flight, at most ${NETWORK_IDLE_MAX_MS} ms more)`,
          cache: 'cold: a new tab per load, HTTP cache cleared and disabled (Network.clearBrowserCache, setCacheDisabled)',
          origins: { page: '<page> (127.0.0.1, its own port)', ours: '<token-server> (startTestStack, 127.0.0.1, another port)', peer: '<cdn> (node:http, 127.0.0.1, a third port; gzip like a CDN)' },
          offline:
            'ran OFFLINE: every host but 127.0.0.1 fails at once (--host-resolver-rules "MAP * ~NOTFOUND"); the peer\'s agent-config GET is answered by a local stub (CDP Fetch.fulfillRequest, a minimal widget_config) so it renders; its Google Fonts stylesheet and noise texture fail, a real page would fetch them (more bytes and work for the peer than shown here)',
          peer: `@elevenlabs/convai-widget-embed ${peerPackage.version}, dist/index.js ${sizeOf(peerScript)} KB raw, ${sizeOf(peerScriptGzip)} KB gzip as served`,
          ours_served_by: 'the token server, as it serves dist/ (the build’s Brotli copy for a browser that takes it)',
          idle: `${idleLoads} of the ${loads} rounds per throttle: the round's three pages then stay open side by side for ${idleMs} ms without input`,
          intents: `at ${throttles.at(-1)}× only, ${intentLoads} loads per page per intent; the longest main-thread task (RunTask on the page's renderer main thread, from a trace) in the ${INTENT_WINDOW_MS} ms after a real mouse move onto the launcher (CDP Input.dispatchMouseEvent, after a move to the corner) or a Tab key press from the page start (CDP Input.dispatchKeyEvent; the pages have nothing else to focus); hover is measured on the idle rounds' pages after their idle window with the other pages closed, focus on fresh loads; requests/transfer are what the intent fetched`,
          wall_s: round((performance.now() - benchStarted) / 1000, 0),
          phase_s: phaseSeconds,
        },
        metrics: METRICS,
        by_throttle: tables,
        intent_at_last_throttle: intentTables,
        requests_up_front: Object.fromEntries(
          KINDS.map((kind) => [
            kind,
            Object.entries(requestsUpFront[kind] ?? {}).map(([url, entry]) => ({ url, in_loads: `${entry.loads}/${loads * throttles.length}`, outcome: [...entry.outcome].join(', '), transfer_bytes_median: summarize(entry.bytes, 0).median })),
          ]),
        ),
      },
    },
    null,
    2,
  ),
);
