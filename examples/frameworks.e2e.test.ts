/**
 * End to end: `<equos-avatar>` inside React 19 (a server render, hydrated), Vue 3 and a
 * Next.js App Router page (`next build`, then `next start`), each in headless Chromium against
 * the real token server and the local sandbox. Each page passes properties the way its
 * framework does and shows the element's events in its own UI; the test opens the panel,
 * starts a call, and reads what the framework rendered. A console error or warning anywhere
 * (a hydration mismatch, a Vue warning) fails the test.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../testing/stack.js';
import { waitForPart } from '../testing/widget-parts.js';
import { startReactExample } from './react/server.js';
import type { ExampleServer } from './serve.js';
import { startVueExample } from './vue/server.js';
import { startEndToEnd, WITH_BROWSER_START_MS, type EndToEnd } from '../testing/end-to-end.js';

const ROOT = new URL('../', import.meta.url).pathname;
const NEXT_DIR = `${ROOT}examples/nextjs`;
const NEXT_BIN = `${ROOT}node_modules/next/dist/bin/next`;
/** What the examples tell the avatar, and the words they give the launcher (a property: an object). */
const CONTEXT = 'The visitor is looking at the Lumen desk lamp';
const LAUNCHER_LABEL = 'Ask Ava about the lamp';

let endToEnd: EndToEnd | undefined;
let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  endToEnd = await startEndToEnd();
  ({ stack, browser } = endToEnd);
}, WITH_BROWSER_START_MS);
afterAll(() => endToEnd?.close());

/** A page of the example at `url`, with everything it logs that a visitor's console would show as a problem. */
async function open(url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (['error', 'warn', 'warning', 'assert'].includes(message.type())) problems.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
  // Requests the widget cancels itself (a heartbeat overtaken by the next) are no problem.
  page.on('requestfailed', (request) => request.failure()?.errorText !== 'net::ERR_ABORTED' && problems.push(`request failed: ${request.url()}`));
  await page.goto(url, { waitUntil: 'networkidle0' });
  return { page, problems };
}

async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What the framework rendered (`#panel`, `#state`) and what the element holds. */
const readPage = (page: Page) =>
  page.evaluate(() => {
    const element = document.querySelector('equos-avatar')!;
    return {
      panel: document.querySelector('#panel')?.textContent,
      state: document.querySelector('#state')?.textContent,
      elementState: element.state.name,
      cause: 'cause' in element.state ? element.state.cause : null,
      context: element.context,
      strings: element.strings,
      stringsAttribute: element.getAttribute('strings'),
      label: element.shadowRoot?.querySelector('[part~="launcher-label"]')?.textContent?.trim(),
    };
  });

/** Whether a part is on screen (in the layout, with a size, not hidden). */
const visible = (page: Page, name: string) =>
  page.evaluate((part) => {
    const node = document.querySelector('equos-avatar')?.shadowRoot?.querySelector<HTMLElement>(`[part~="${part}"]`);
    if (!node) return false;
    const box = node.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(node).visibility !== 'hidden';
  }, name);

/**
 * The behaviour every example must show: the element upgraded and its launcher shows the
 * words the framework passed as a property, `context` arrived as a property, the launcher
 * opens the panel (the framework's `equos-open` listener says so), the page's own button
 * starts a call, and the framework's `equos-state-change` listener shows the call's state, `live`.
 */
async function exerciseExample(page: Page, problems: string[]): Promise<void> {
  await waitForPart(page, 'launcher');
  expect(await visible(page, 'launcher')).toBe(true);
  const before = await until(
    () => readPage(page),
    (value) => value.label === LAUNCHER_LABEL,
  );
  expect(before.context).toContain(CONTEXT);
  expect(before.strings).toEqual({ talkTo: 'Ask {name} about the lamp' });
  expect(before.stringsAttribute).toBeNull();
  expect(before).toMatchObject({ panel: 'closed', state: 'idle', elementState: 'idle' });

  await (await waitForPart(page, 'launcher')).click();
  await waitForPart(page, 'panel');
  expect(await until(() => visible(page, 'panel'), Boolean)).toBe(true);
  expect((await until(() => readPage(page), (value) => value.panel === 'open')).panel).toBe('open');

  await page.click('#talk');
  // The framework's UI shows what the element's events said, up to the live call.
  const live = await until(
    () => readPage(page),
    (value) => value.state === 'live' || value.state === 'error',
  );
  expect({ ...live, problems }).toMatchObject({ state: 'live', cause: null, problems: [] });
  expect(live.elementState).toBe('live');
  expect(problems).toEqual([]);
  await page.close();
}

describe('React 19: a server render, hydrated', () => {
  let example: ExampleServer;
  beforeAll(async () => {
    example = await startReactExample({ server: stack.tokenServerUrl });
  }, 30_000);
  afterAll(() => example?.close());

  it('sends <equos-avatar> in the server HTML with its string props as attributes, and no functions or objects', async () => {
    const html = await (await fetch(example.url)).text();
    const tag = /<equos-avatar[^>]*>/.exec(html)?.[0];
    expect(tag).toBeDefined();
    expect(tag).toContain(`server="${stack.tokenServerUrl}"`);
    expect(tag).toContain(`context="${CONTEXT}`);
    expect(tag).not.toMatch(/strings=|onequos|function/);
  });

  it('hydrates without a warning, takes properties, and shows the events in React', async () => {
    const { page, problems } = await open(example.url);
    await exerciseExample(page, problems);
  }, 60_000);
});

describe('Vue 3', () => {
  let example: ExampleServer;
  beforeAll(async () => {
    example = await startVueExample(stack.tokenServerUrl);
  }, 30_000);
  afterAll(() => example?.close());

  it('renders the element without a Vue warning, takes properties, and shows the events in Vue', async () => {
    const { page, problems } = await open(example.url);
    await exerciseExample(page, problems);
  }, 60_000);
});

/** A free loopback port (for `next start`, which takes a port number, not 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs `next <args>` in the example's folder; resolves with its output once it exits 0. */
function next(args: string[], env: Record<string, string> = {}): { process: ChildProcess; output: () => string; exited: Promise<void> } {
  let output = '';
  const child = spawn(process.execPath, [NEXT_BIN, ...args], { cwd: NEXT_DIR, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`next ${args[0]} exited ${code}:\n${output}`))));
  });
  return { process: child, output: () => output, exited };
}

describe('Next.js 16 App Router: next build, next start', () => {
  let server: ReturnType<typeof next> | undefined;
  let url: string;
  beforeAll(async () => {
    // The rest of the package: the Node module that a server render imports, and the types.
    execFileSync(process.execPath, [`${ROOT}scripts/build-package.mjs`], { stdio: 'ignore' });
    await next(['build']).exited;
    const port = await freePort();
    url = `http://127.0.0.1:${port}/`;
    server = next(['start', '--port', String(port), '--hostname', '127.0.0.1'], { EQUOS_SERVER: stack.tokenServerUrl });
    server.exited.catch(() => undefined);
    await until(
      () => fetch(url).then((response) => response.ok, () => false),
      Boolean,
      30_000,
    );
  }, 180_000);
  afterAll(() => {
    server?.process.kill();
  });

  it('renders <equos-avatar> on the server with the token server the page was started with', async () => {
    const html = await (await fetch(url)).text();
    const tag = /<equos-avatar[^>]*>/.exec(html)?.[0];
    expect(tag).toContain(`server="${stack.tokenServerUrl}"`);
    expect(tag).toContain(`context="${CONTEXT}`);
    expect(tag).not.toMatch(/strings=|onequos/);
  });

  it('hydrates without a console problem, takes properties, and shows the events in React', async () => {
    const { page, problems } = await open(url);
    await exerciseExample(page, problems);
    expect(server!.output()).not.toMatch(/error/i);
  }, 60_000);
});
