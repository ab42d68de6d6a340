/**
 * Subresource Integrity for the widget's files, in each browser the suites run.
 *
 * First the platform's promise the launcher builds on (widget/src/internal/widget-files.ts):
 * `import()` takes no integrity, but a `<link rel="modulepreload" integrity>` inserted before
 * the import of the same address puts the module in the document's module map with its hash
 * checked, and the import takes it from there (one fetch), or fails with it.
 */
import { expect } from 'chai';
import { tamperingTokenServerUrl, tokenServerUrl } from '../../testing/stack-commands.js';
import { LOAD_FAILED_EN } from '../src/i18n/en-launcher.js';

interface Manifest {
  version: string;
  panel: string;
  locales: Record<string, string>;
  integrityIndex: string;
  pinned: { src: string; integrity: string };
  strings: string;
  integrity: Record<string, string>;
}

const manifest = async () => (await (await fetch('/dist/manifest.json')).json()) as Manifest;

/** The SHA-384 integrity of the bytes at `url`, as the browser computes it. */
async function sha384(url: string): Promise<string> {
  const bytes = await (await fetch(url)).arrayBuffer();
  return `sha384-${btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-384', bytes))))}`;
}

let unique = 0;
/** A fresh address of one of the built modules: the module map holds each address once. */
const freshUrl = (file: string) => new URL(`/dist/${file}?n=${Date.now()}-${++unique}`, location.href).href;

function modulepreload(href: string, integrity: string): HTMLLinkElement {
  const link = document.createElement('link');
  link.rel = 'modulepreload';
  link.href = href;
  // No crossorigin, as the widget writes it (a module's fetch is CORS without credentials anyway).
  link.integrity = integrity;
  document.head.append(link);
  return link;
}

const fetchesOf = (url: string) => performance.getEntriesByName(url, 'resource').length;

describe('modulepreload integrity, then import() of the same address', () => {
  it('the browser supports modulepreload', () => {
    expect(document.createElement('link').relList.supports('modulepreload')).to.equal(true);
  });

  it('with the right hash, import() gets the module from the one checked fetch', async () => {
    const { strings } = await manifest();
    const url = freshUrl(strings);
    modulepreload(url, await sha384(`/dist/${strings}`));
    const module = (await import(/* @vite-ignore */ url)) as { withOverrides?: unknown };
    expect(module.withOverrides).to.be.a('function');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fetchesOf(url)).to.equal(1);
  });

  it('with a wrong hash, import() of the same address fails, at once or once the preload is done', async () => {
    const { strings } = await manifest();
    // Another file's hash: well-formed, wrong for these bytes.
    const wrong = await sha384('/dist/manifest.json');
    for (const waitForPreload of [false, true]) {
      const url = freshUrl(strings);
      const link = modulepreload(url, wrong);
      if (waitForPreload) await new Promise((resolve) => link.addEventListener('error', resolve, { once: true }));
      let failure: unknown;
      await import(/* @vite-ignore */ url).catch((error: unknown) => (failure = error));
      expect(failure, waitForPreload ? 'after the preload failed' : 'while it is under way').to.be.instanceOf(TypeError);
      // And again: a later import (a retry) gets the same failure, not the file fetched again unchecked.
      failure = undefined;
      await import(/* @vite-ignore */ url).catch((error: unknown) => (failure = error));
      expect(failure, 'a second import').to.be.instanceOf(TypeError);
      expect(fetchesOf(url), 'fetches').to.equal(1);
    }
  });
});

interface Page {
  window: Window & typeof globalThis & { errors: string[]; warnings: string[]; refused?: boolean };
  document: Document;
}

/**
 * A fresh page (an iframe of this origin; the token server is another) holding `body`, with
 * `<html lang>`, that records what is thrown into it (errors, unhandled rejections) and the
 * console warnings it gets.
 */
async function page(body: string, lang = 'en'): Promise<Page> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 800px; height: 600px';
  frame.srcdoc = `<!doctype html><html lang="${lang}"><head><script>
      window.errors = [];
      window.warnings = [];
      window.addEventListener('error', (event) => window.errors.push(String(event.message)));
      window.addEventListener('unhandledrejection', (event) => window.errors.push(String(event.reason)));
      const warn = console.warn.bind(console);
      console.warn = (...parts) => { window.warnings.push(parts.join(' ')); warn(...parts); };
    </script></head><body>${body}</body></html>`;
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  return { window: frame.contentWindow as Page['window'], document: frame.contentDocument! };
}

/** The pinned snippet, as `npm run snippet` prints it, from `server`; `integrity` replaces the right hash. */
function pinnedSnippet(server: string, pinned: Manifest['pinned'], integrity = pinned.integrity): string {
  return `<script src="${server}/${pinned.src}" integrity="${integrity}" crossorigin="anonymous" data-server="${server}" async onerror="window.refused = true"></script>`;
}

/** Waits until `accept` holds. */
async function until(accept: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!accept()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const widgetOf = (target: Page) => target.document.querySelector('equos-avatar');
const part = (target: Page, name: string) => widgetOf(target)?.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
const labelOf = (target: Page) => part(target, 'launcher-label')?.textContent?.trim() ?? '';
/** The widget's files the page fetched, by name (without the server), in order. */
const fetchedFiles = (target: Page) =>
  target.window.performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname.slice(1))
    .filter((file) => file.startsWith('equos-avatar'));

describe('the pinned snippet (versioned launcher with integrity, crossorigin)', () => {
  afterEach(() => document.querySelectorAll('iframe').forEach((frame) => frame.remove()));

  it('runs with the right hash, and loads a language’s file and the panel’s checked against the index', async () => {
    const { pinned, integrity, integrityIndex, locales, panel } = await manifest();
    const french = locales.fr!;
    const server = await tokenServerUrl();
    const target = await page(pinnedSnippet(server, pinned), 'fr');
    await until(() => labelOf(target) === 'Parler à Ava', 'the French launcher');
    // The index first, checked against the launcher's one hash, then the language's file against it.
    expect(fetchedFiles(target)).to.deep.equal([pinned.src, integrityIndex, french]);
    const integrityOf = (file: string) => target.document.head.querySelector(`link[rel="modulepreload"][href="${server}/${file}"]`)?.getAttribute('integrity');
    expect([integrityOf(integrityIndex), integrityOf(french)]).to.deep.equal([integrity[integrityIndex], integrity[french]]);
    part(target, 'launcher')!.click();
    await until(() => part(target, 'start-button') !== null, 'the panel');
    expect(part(target, 'start-button')!.textContent!.trim()).to.not.equal('');
    expect(integrityOf(panel)).to.equal(integrity[panel]);
    // The index is loaded once, whatever follows it.
    expect(fetchedFiles(target).filter((file) => file === integrityIndex)).to.have.length(1);
    expect([target.window.errors, target.window.warnings]).to.deep.equal([[], []]);
  });

  it('on an English page, fetches nothing but the launcher until the first sign of intent, then the index before the panel', async () => {
    const { pinned, integrityIndex, panel } = await manifest();
    const server = await tokenServerUrl();
    const target = await page(pinnedSnippet(server, pinned));
    await until(() => labelOf(target) === 'Talk to Ava', 'the launcher');
    await pause(300);
    expect(fetchedFiles(target)).to.deep.equal([pinned.src]);
    part(target, 'launcher')!.dispatchEvent(new PointerEvent('pointerenter'));
    await until(() => fetchedFiles(target).includes(panel), 'the panel’s file');
    expect(fetchedFiles(target).slice(0, 3)).to.deep.equal([pinned.src, integrityIndex, panel]);
  });

  it('does not run with a wrong hash: no element, nothing else fetched', async () => {
    const { pinned, integrity, panel } = await manifest();
    const server = await tokenServerUrl();
    // Well-formed, another file's.
    const target = await page(pinnedSnippet(server, pinned, integrity[panel]));
    await until(() => target.window.refused === true, 'the script to be refused');
    await pause(300);
    expect(target.window.customElements.get('equos-avatar')).to.equal(undefined);
    expect(widgetOf(target)).to.equal(null);
    expect(fetchedFiles(target).filter((file) => file !== pinned.src)).to.deep.equal([]);
  });

  it('refuses altered later files: English stands in for the language, the panel says it could not load, with one warning and nothing thrown', async () => {
    const { pinned, locales, panel } = await manifest();
    const french = locales.fr!;
    // Its launcher and index are as built; its panel's and French files are not.
    const server = await tamperingTokenServerUrl();
    const target = await page(pinnedSnippet(server, pinned), 'fr');
    await until(() => fetchedFiles(target).includes(french) && labelOf(target) !== '', 'the French file’s fate');
    await pause(200);
    expect(labelOf(target)).to.equal('Talk to Ava');
    part(target, 'launcher')!.click();
    await until(() => part(target, 'message') !== null, 'the panel’s message');
    expect(part(target, 'message')!.textContent!.trim()).to.equal(LOAD_FAILED_EN);
    expect(part(target, 'start-button')).to.equal(null);
    expect(fetchedFiles(target)).to.include(panel);
    // Another sign of intent retries the panel, and is refused again, without another warning.
    part(target, 'launcher')!.dispatchEvent(new PointerEvent('pointerenter'));
    await pause(300);
    expect(target.window.warnings).to.have.length(1);
    expect(target.window.warnings[0]).to.match(/^<equos-avatar>: the widget’s panel file could not load/);
    expect(target.window.errors).to.deep.equal([]);
    // The altered code never ran.
    expect(target.window.warnings.concat(target.window.errors).join()).to.not.include('altered');
  });
});
