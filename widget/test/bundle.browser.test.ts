/**
 * The shipped bundle (dist/equos-avatar.js) pasted into pages the way site owners and their
 * optimisers do it. Each page is an iframe: its own document, registry and globals.
 */
import { expect } from 'chai';
import { tokenServerUrl } from '../../testing/stack-commands.js';
import { loadWords, SUPPORTED_LOCALES } from '../src/i18n/localize.js';
import { panelStrings } from '../src/panel/panel-strings.js';
import type { EquosAvatarElement } from '../src/equos-avatar.element.js';

const BUNDLE = '/dist/equos-avatar.js';

interface Page {
  window: Window & typeof globalThis & { EquosAvatar?: { version: string; start(): void }; errors: string[]; before?: string[] };
  document: Document;
}

/** Loads `body` (HTML) in a fresh iframe, its `<html lang>` set when given (and `head` at the end of its head), and resolves when it has loaded. */
async function page(body: string, lang?: string, head = ''): Promise<Page> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 800px; height: 600px';
  frame.srcdoc = `<!doctype html><html${lang ? ` lang="${lang}"` : ''}><head><script>
      window.errors = [];
      window.addEventListener('error', (event) => window.errors.push(String(event.message)));
      window.before = Object.keys(window);
    </script>${head}</head><body>${body}</body></html>`;
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  return { window: frame.contentWindow as Page['window'], document: frame.contentDocument! };
}

async function widgetIn(target: Page, timeoutMs = 5000): Promise<HTMLElement> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const element = target.document.querySelector('equos-avatar');
    if (element?.shadowRoot?.querySelector('[part~="launcher"]')) return element as HTMLElement;
    if (performance.now() > deadline) throw new Error('no widget appeared');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until `accept` holds. */
async function until(accept: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!accept()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The addresses of the files the page fetched. */
const fetched = (target: Page) => target.window.performance.getEntriesByType('resource').map((entry) => entry.name);

const labelOf = (widget: HTMLElement) => widget.shadowRoot!.querySelector('[part~="launcher-label"]')?.textContent?.trim() ?? '';

/** How many times the page fetched one of the widget's later files (`panel`, `live`). */
const requestsFor = (target: Page, file: 'panel' | 'live') =>
  target.window.performance.getEntriesByType('resource').filter((entry) => entry.name.includes(`equos-avatar-${file}.`)).length;

describe('the one-line embed (shipped bundle)', () => {
  afterEach(() => document.querySelectorAll('iframe').forEach((frame) => frame.remove()));

  for (const mode of ['', 'async', 'defer', 'type="module"']) {
    it(`creates the floating widget from a ${mode || 'plain'} script tag, with its data-* settings`, async () => {
      const server = await tokenServerUrl();
      const target = await page(`<p>Shop</p><script src="${BUNDLE}" data-server="${server}" data-preset="default" data-position="bottom-left" data-locale="fr" data-idle-timeout="90" data-onclick="window.clicked = 1" data-style="display: none" ${mode}></script>`);
      const widget = await widgetIn(target);
      expect(target.document.querySelectorAll('equos-avatar')).to.have.length(1);
      expect(widget.getAttribute('position')).to.equal('bottom-left');
      // Every data-* attribute, those only the later files read included; never a handler or a style.
      expect(widget.getAttribute('idle-timeout')).to.equal('90');
      expect([widget.hasAttribute('onclick'), widget.hasAttribute('style')]).to.deep.equal([false, false]);
      expect(widget.getAttribute('server')).to.equal(server);
      expect(target.window.errors).to.deep.equal([]);
    });
  }

  it('finds its settings when Cloudflare Rocket Loader runs it (no document.currentScript)', async () => {
    const server = await tokenServerUrl();
    const target = await page(`
      <script type="text/rocketscript" data-rocketsrc="${BUNDLE}" data-server="${server}" data-preset="default"></script>
      <script>fetch('${BUNDLE}').then((r) => r.text()).then((code) => (0, eval)(code));</script>`);
    const widget = await widgetIn(target);
    expect(widget.getAttribute('preset')).to.equal('default');
  });

  it('finds its settings when a "delay JS" plugin injects a copy of the tag late', async () => {
    const server = await tokenServerUrl();
    const target = await page(`
      <script type="text/plain" data-src="${BUNDLE}" data-server="${server}"></script>
      <script>setTimeout(() => { const s = document.createElement('script'); s.src = '${BUNDLE}'; document.body.append(s); }, 300);</script>`);
    await widgetIn(target);
  });

  it('can be included twice, and leaves only its documented globals', async () => {
    const server = await tokenServerUrl();
    const target = await page(`<script src="${BUNDLE}" data-server="${server}"></script><script src="${BUNDLE}" data-server="${server}"></script>`);
    await widgetIn(target);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(target.window.errors).to.deep.equal([]);
    expect(target.document.querySelectorAll('equos-avatar')).to.have.length(1);
    const added = Object.keys(target.window).filter((key) => key !== 'before' && !target.window.before!.includes(key)).sort();
    // EquosAvatar is ours; the rest is what Lit itself shares between its copies on a page.
    expect(added).to.deep.equal(['EquosAvatar', 'litElementVersions', 'litHtmlVersions', 'litPropertyMetadata', 'reactiveElementVersions']);
    expect(target.window.EquosAvatar!.version).to.match(/^\d+\.\d+\.\d+/);
  });

  it('defines the element only, without data-server, for pages that write <equos-avatar> themselves', async () => {
    const server = await tokenServerUrl();
    const target = await page(`<equos-avatar server="${server}" mode="inline"></equos-avatar><script src="${BUNDLE}"></script>`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const element = target.document.querySelector('equos-avatar')!;
    expect(target.document.querySelectorAll('equos-avatar')).to.have.length(1);
    expect(element.shadowRoot!.querySelector('[part~="panel"]')).to.not.equal(null);
  });

  it('fetches its later files only at the first sign of intent, and runs the call’s file once the panel is open', async () => {
    const server = await tokenServerUrl();
    const target = await page(`<script src="${BUNDLE}" data-server="${server}"></script>`);
    const widget = await widgetIn(target);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([requestsFor(target, 'panel'), requestsFor(target, 'live')]).to.deep.equal([0, 0]);
    const launcher = widget.shadowRoot!.querySelector<HTMLElement>('[part~="launcher"]')!;
    launcher.dispatchEvent(new PointerEvent('pointerenter'));
    await until(() => requestsFor(target, 'panel') === 1 && requestsFor(target, 'live') === 1, 'the panel’s and the call’s files');
    // The call's file is only fetched and compiled (modulepreload), not run, on a hover.
    const live = target.window.performance.getEntriesByType('resource').find((entry) => entry.name.includes('equos-avatar-live.'))!;
    // (After the integrity index's own: each later file comes checked, see integrity.browser.test.ts.)
    const preload = target.document.head.querySelector('link[rel="modulepreload"][href*="/equos-avatar-live."]')!;
    expect(preload.getAttribute('href')).to.equal(live.name);
    expect(preload.getAttribute('integrity')).to.match(/^sha384-/);
    // The panel adds its styles when first drawn, the call's file when it runs: neither on a hover.
    const sheets = () => widget.shadowRoot!.adoptedStyleSheets.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sheets()).to.equal(1);
    expect(widget.shadowRoot!.querySelector('[part~="panel"]')).to.equal(null);
    // Opened, the call's file runs from what was fetched: no second request.
    launcher.click();
    await until(() => widget.shadowRoot!.querySelector('[part~="start-button"]') !== null, 'the panel');
    await until(() => sheets() === 3, 'the call’s file to run');
    expect([requestsFor(target, 'panel'), requestsFor(target, 'live')]).to.deep.equal([1, 1]);
    expect(target.window.errors).to.deep.equal([]);
  });
});

/** The one-line stub of the README: calls made before the script loads wait in `EquosAvatar.q`. */
const STUB = '<script>window.EquosAvatar=window.EquosAvatar||function(){(EquosAvatar.q=EquosAvatar.q||[]).push(arguments)}</script>';

type CommandApi = ((command: string, ...args: unknown[]) => void) & { open(): void; close(): void; setContext(text: string): void; q?: unknown };
const apiOf = (target: Page) => (target.window as unknown as { EquosAvatar: CommandApi }).EquosAvatar;
const openedIn = (target: Page) => (target.document.querySelector('equos-avatar') as EquosAvatarElement | null)?.opened;

describe('the page’s command queue (EquosAvatar(...) before and after the script loads)', () => {
  afterEach(() => document.querySelectorAll('iframe').forEach((frame) => frame.remove()));

  it('replays, in order, the calls a page queued in its <head> before the script, once the embed’s widget is there', async () => {
    const server = await tokenServerUrl();
    const target = await page(
      '<p>Pricing</p>',
      undefined,
      `${STUB}<script>EquosAvatar('setContext', 'Viewing: Pro plan'); EquosAvatar('open'); EquosAvatar('close'); EquosAvatar('open');</script>
       <script src="${BUNDLE}" data-server="${server}"></script>`,
    );
    const widget = (await widgetIn(target)) as EquosAvatarElement;
    await until(() => widget.shadowRoot!.querySelector('[part~="panel"]') !== null, 'the panel opened by the queue');
    expect(widget.opened).to.equal(true);
    expect(widget.context).to.equal('Viewing: Pro plan');
    expect(target.window.errors).to.deep.equal([]);
  });

  it('replays the queue of a stub called before an async script, and then keeps the same calling convention beside the methods', async () => {
    const server = await tokenServerUrl();
    const target = await page(`${STUB}<script>EquosAvatar('open')</script><script src="${BUNDLE}" data-server="${server}" async></script>`);
    const widget = (await widgetIn(target)) as EquosAvatarElement;
    await until(() => openedIn(target) === true, 'the queued open');
    const api = apiOf(target);
    expect(api.q, 'the stub’s queue is gone with the stub').to.equal(undefined);
    api('close');
    expect(widget.opened).to.equal(false);
    api.open();
    expect(widget.opened).to.equal(true);
    api('setContext', 'Cart: 2 items');
    expect(widget.context).to.equal('Cart: 2 items');
  });

  it('answers an unknown command with one console warning naming the commands, and never throws into the page', async () => {
    const server = await tokenServerUrl();
    const target = await page(`${STUB}<script>EquosAvatar('opne')</script><script src="${BUNDLE}" data-server="${server}"></script>`);
    await widgetIn(target);
    const warnings: string[] = [];
    target.window.console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    apiOf(target)('launch', 1);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('"launch"').and.contain('open, close, start, stop, setContext');
    expect(openedIn(target)).to.equal(false);
    expect(target.window.errors).to.deep.equal([]);
  });

  it('leaves a page’s queue alone when another copy of the script already installed the API', async () => {
    const server = await tokenServerUrl();
    const target = await page(`<script src="${BUNDLE}" data-server="${server}"></script><script src="${BUNDLE}" data-server="${server}"></script>`);
    await widgetIn(target);
    const api = apiOf(target);
    expect(typeof api).to.equal('function');
    expect(Object.isFrozen(api)).to.equal(true);
    api('open');
    expect(openedIn(target)).to.equal(true);
  });
});

describe('the widget served by the token server, on a page of another origin', () => {
  afterEach(() => document.querySelectorAll('iframe').forEach((frame) => frame.remove()));

  it('loads the French file from the token server for a lang="fr" page, and speaks French', async () => {
    const server = await tokenServerUrl();
    expect(new URL(server).origin).to.not.equal(location.origin);
    const target = await page(`<script src="${server}/equos-avatar.js" data-server="${server}" async></script>`, 'fr');
    const widget = await widgetIn(target);
    await until(() => labelOf(widget) === 'Parler à Ava', 'the French launcher');
    expect(fetched(target).filter((url) => url.startsWith(`${server}/equos-avatar-fr.`))).to.have.length(1);
    expect(target.window.errors).to.deep.equal([]);
  });

  it('gets a right-to-left language and the page’s own words (data-strings) from the token server too', async () => {
    const server = await tokenServerUrl();
    const target = await page(`<script src="${server}/equos-avatar.js" data-server="${server}" data-strings='{"talkTo": "צ׳אט עם {name}"}'></script>`, 'he-IL');
    const widget = await widgetIn(target);
    await until(() => labelOf(widget) === 'צ׳אט עם \u2068Ava\u2069', 'the page’s Hebrew launcher');
    expect(fetched(target).filter((url) => url.startsWith(`${server}/equos-avatar-he.`))).to.have.length(1);
    expect(fetched(target).filter((url) => url.startsWith(`${server}/equos-avatar-strings.`))).to.have.length(1);
    expect(target.window.errors).to.deep.equal([]);
  });

  it('speaks every language the build lists, each from its own file, as the sources say', async () => {
    const manifest = (await (await fetch('/dist/manifest.json')).json()) as { locales: Record<string, string>; callWords: Record<string, string> };
    expect(['en', ...Object.keys(manifest.locales)].sort()).to.deep.equal([...SUPPORTED_LOCALES].sort());
    const server = await tokenServerUrl();
    const widgets = SUPPORTED_LOCALES.map((language) => `<equos-avatar server="${server}" mode="inline" locale="${language}"></equos-avatar>`).join('');
    const target = await page(`${widgets}<script src="${server}/equos-avatar.js"></script>`);
    const expected = await Promise.all(SUPPORTED_LOCALES.map(async (language) => panelStrings(await loadWords(language, () => undefined)).start));
    const shown = () => [...target.document.querySelectorAll('equos-avatar')].map((element) => element.shadowRoot?.querySelector('[part~="start-button"]')?.textContent?.trim());
    await until(() => shown().every((text, index) => text === expected[index]), 'every language');
    expect(new Set(expected).size).to.equal(SUPPORTED_LOCALES.length);
    const files = fetched(target).filter((url) => /\/equos-avatar-[a-z]{2}\.[0-9a-f]{10}\.js$/.test(url));
    expect(files).to.have.length(SUPPORTED_LOCALES.length - 1);
    // Inline panels are on screen, so a call may follow: each language's call words came too, from a file of their own.
    expect(Object.keys(manifest.callWords).sort()).to.deep.equal(SUPPORTED_LOCALES.filter((language) => language !== 'en').sort());
    await until(() => fetched(target).filter((url) => /\/equos-avatar-[a-z]{2}-call\.[0-9a-f]{10}\.js$/.test(url)).length === SUPPORTED_LOCALES.length - 1, 'every language’s call words');
    const french = target.document.querySelector<EquosAvatarElement>('equos-avatar[locale="fr"]')!;
    await until(() => french.conversationStrings?.captions === 'Sous-titres', 'the French call words');
  });
});
