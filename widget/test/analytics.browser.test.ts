/**
 * Analytics (README, "Analytics"): opt-in only. Without an `analytics` attribute or a callback,
 * nothing is loaded, pushed or stored; with one, the documented events reach `dataLayer`,
 * `gtag` or the page's callbacks, the first one included (it loads the opt-in file), and
 * nothing personal does. From source (the opt-in file as a plain module), then the built
 * bundle from the token server in a page of its own (its opt-in file loaded with its integrity).
 */
import { expect } from 'chai';
import { tokenServerUrl } from '../../testing/stack-commands.js';
import { installApi, type EquosAvatarApi } from '../src/api.js';
import { analyticsCallbacks } from '../src/controllers/opt-in-controller.js';
import { EquosUtteranceEvent } from '../src/events.js';
import { liveCall, mount, part, unmountAll, until } from './fixtures.js';

type Page = Window & { dataLayer?: Array<Record<string, unknown>>; gtag?: (...args: unknown[]) => void; EquosAvatar?: EquosAvatarApi };
const page = window as unknown as Page;

/** The opt-in file's requests (from source, its modules: the opt-in file, the analytics', the invitation's). */
const optInRequests = (target: Window = window) =>
  target.performance.getEntriesByType('resource').filter((entry) => /opt-in-file|analytics-file|invitation-file|equos-avatar-opt-in\./.test(entry.name)).length;

/** What the page's storage and cookies hold. */
const stored = () => JSON.stringify([Object.keys(localStorage), Object.keys(sessionStorage), document.cookie]);

/** Captures console.warn until `restore()`. */
function captureWarnings(): { warnings: string[]; restore(): void } {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
  return { warnings, restore: () => (console.warn = original) };
}

/** The events a page's dataLayer holds, once it holds `count` of them. */
async function pushed(count: number): Promise<Array<Record<string, unknown>>> {
  await until(() => (page.dataLayer?.length ?? 0) >= count, `${count} dataLayer pushes`);
  return page.dataLayer!;
}

describe('analytics', () => {
  let calls: unknown[][];
  beforeEach(() => {
    delete page.dataLayer;
    calls = [];
    page.gtag = (...args: unknown[]) => void calls.push(args);
    analyticsCallbacks.length = 0;
  });
  afterEach(async () => {
    await unmountAll();
    delete page.dataLayer;
    delete page.gtag;
    analyticsCallbacks.length = 0;
  });

  // First: once a test has loaded the opt-in file, its module stays in the page.
  it('without an opt-in loads nothing, pushes nothing, calls no gtag and stores nothing', async () => {
    const before = stored();
    const requests = optInRequests();
    const element = await mount({ preset: 'default' });
    const seen: string[] = [];
    for (const type of ['equos-open', 'equos-close', 'equos-request-start'] as const) element.addEventListener(type, (event) => seen.push(event.type));
    element.addEventListener('equos-request-start', (event) => event.preventDefault());
    element.open();
    await element.updateComplete;
    element.start();
    element.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The events happened, and went nowhere else.
    expect(seen).to.deep.equal(['equos-open', 'equos-request-start', 'equos-close']);
    expect('dataLayer' in window).to.equal(false);
    expect(calls).to.deep.equal([]);
    expect(optInRequests()).to.equal(requests);
    expect(requests).to.equal(0);
    expect(stored()).to.equal(before);
  });

  it('pushes the documented objects to dataLayer for open, close and a start asked for, the first one included', async () => {
    const element = await mount({ analytics: 'datalayer' });
    element.addEventListener('equos-request-start', (event) => event.preventDefault());
    // At once: the file is not there yet, the event waits for it.
    element.open();
    expect(page.dataLayer).to.equal(undefined);
    await element.updateComplete;
    element.start();
    element.close();
    expect(await pushed(3)).to.deep.equal([
      { event: 'equos_open', equos_preset: 'default' },
      { event: 'equos_start_requested', equos_preset: 'default' },
      { event: 'equos_close', equos_preset: 'default' },
    ]);
    // The page's own dataLayer is used, not replaced; and nothing personal goes (an utterance is not reported).
    const own = [{ event: 'gtm.js' }];
    page.dataLayer = own;
    element.dispatchEvent(new EquosUtteranceEvent({ author: 'user', content: 'My name is Jane', finished: true }));
    element.setAttribute('preset', 'short');
    element.open();
    await until(() => own.length === 2, 'the push');
    expect(page.dataLayer).to.equal(own);
    expect(own[1]).to.deep.equal({ event: 'equos_open', equos_preset: 'short' });
    expect(calls).to.deep.equal([]);
  });

  it('reports a session’s start and end (duration, reason) and errors by code, without ids', async () => {
    const { element } = await liveCall({ analytics: 'datalayer' });
    part(element, 'hangup-button')!.click();
    await until(() => element.state.name === 'ended', 'the end');
    await until(() => page.dataLayer?.some((entry) => entry.event === 'equos_session_end') ?? false, 'the session’s end');
    const events = page.dataLayer!.map((entry) => entry.event);
    // Mounted open (an attribute, not the visitor): no equos_open.
    expect(events).to.deep.equal(['equos_start_requested', 'equos_session_start', 'equos_session_end']);
    const end = page.dataLayer!.find((entry) => entry.event === 'equos_session_end')!;
    expect(Object.keys(end).sort()).to.deep.equal(['duration_s', 'end_reason', 'equos_preset', 'event']);
    expect(end).to.include({ end_reason: 'hangup', equos_preset: 'default' });
    expect(end.duration_s).to.be.a('number').within(0, 60);
    const start = page.dataLayer!.find((entry) => entry.event === 'equos_session_start')!;
    expect(start).to.deep.equal({ event: 'equos_session_start', equos_preset: 'default' });

    const broken = await mount({ analytics: 'datalayer', preset: 'no-such-preset', open: '' });
    part(broken, 'start-button')!.click();
    await until(() => page.dataLayer!.some((entry) => entry.event === 'equos_error'), 'the error');
    expect(page.dataLayer!.find((entry) => entry.event === 'equos_error')).to.deep.equal({ event: 'equos_error', equos_preset: 'no-such-preset', error_code: 'unknown-preset' });
  });

  it('calls gtag("event", name, fields), and says once how to fix a page without gtag', async () => {
    const element = await mount({ analytics: 'gtag' });
    element.open();
    element.close();
    await until(() => calls.length === 2, 'two gtag calls');
    expect(calls).to.deep.equal([
      ['event', 'equos_open', { equos_preset: 'default' }],
      ['event', 'equos_close', { equos_preset: 'default' }],
    ]);
    expect('dataLayer' in window).to.equal(false);

    delete page.gtag;
    const console = captureWarnings();
    try {
      element.open();
      element.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(console.warnings).to.have.length(1);
      expect(console.warnings[0]).to.include('gtag').and.include('analytics="datalayer"');
    } finally {
      console.restore();
    }
  });

  it('sends both, for analytics="datalayer gtag"', async () => {
    const element = await mount({ analytics: 'datalayer gtag' });
    element.open();
    expect(await pushed(1)).to.deep.equal([{ event: 'equos_open', equos_preset: 'default' }]);
    expect(calls).to.deep.equal([['event', 'equos_open', { equos_preset: 'default' }]]);
  });

  it('hands every event to a callback registered through EquosAvatar, both ways, and to no other tool', async () => {
    installApi();
    const first: unknown[] = [];
    const second: unknown[] = [];
    page.EquosAvatar!('analytics', (event) => first.push(event));
    page.EquosAvatar!.analytics((event) => second.push(event));
    const element = await mount();
    element.open();
    element.close();
    await until(() => first.length === 2 && second.length === 2, 'the callbacks');
    expect(first).to.deep.equal([
      { name: 'equos_open', equos_preset: 'default' },
      { name: 'equos_close', equos_preset: 'default' },
    ]);
    expect(second).to.deep.equal(first);
    expect('dataLayer' in window).to.equal(false);
    expect(calls).to.deep.equal([]);
  });

  it('goes on when a callback throws: the widget works, the other callbacks get their events, one warning', async () => {
    installApi();
    const good: string[] = [];
    page.EquosAvatar!('analytics', () => {
      throw new Error('broken tool');
    });
    page.EquosAvatar!('analytics', (event) => good.push(event.name));
    const console = captureWarnings();
    try {
      const element = await mount();
      element.open();
      await element.updateComplete;
      expect(part(element, 'panel')).to.not.equal(null);
      element.close();
      element.open();
      await until(() => good.length === 3, 'the good callback');
      expect(good).to.deep.equal(['equos_open', 'equos_close', 'equos_open']);
      expect(element.opened).to.equal(true);
      expect(console.warnings).to.have.length(1);
      expect(console.warnings[0]).to.include('analytics callback threw').and.include('broken tool');
    } finally {
      console.restore();
    }
  });
});

describe('analytics in the shipped bundle', () => {
  afterEach(() => document.querySelectorAll('iframe').forEach((frame) => frame.remove()));

  /** A page with `body`, loaded in an iframe of its own. */
  async function frame(body: string): Promise<Window & Page> {
    const iframe = document.createElement('iframe');
    iframe.srcdoc = `<!doctype html><html><head></head><body>${body}</body></html>`;
    document.body.append(iframe);
    await new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
    return iframe.contentWindow as Window & Page;
  }

  it('fetches no opt-in file and touches nothing without data-analytics; with it, reports the first open', async () => {
    const server = await tokenServerUrl();
    const plain = await frame(`<script src="${server}/equos-avatar.js" data-server="${server}"></script><script>EquosAvatar('open'); EquosAvatar('close')</script>`);
    await until(() => !!plain.document.querySelector('equos-avatar')?.shadowRoot?.querySelector('[part~="launcher"]'), 'the widget');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(optInRequests(plain)).to.equal(0);
    expect('dataLayer' in plain).to.equal(false);
    expect([plain.sessionStorage.length, plain.localStorage.length, plain.document.cookie]).to.deep.equal([0, 0, '']);

    const opted = await frame(`<script src="${server}/equos-avatar.js" data-server="${server}" data-analytics="datalayer"></script><script>EquosAvatar('open')</script>`);
    await until(() => (opted.dataLayer?.length ?? 0) > 0, 'the push', 8000);
    expect(opted.dataLayer).to.deep.equal([{ event: 'equos_open', equos_preset: 'default' }]);
    expect(optInRequests(opted)).to.equal(1);
    // Loaded through the integrity index, like every later file.
    const link = opted.document.head.querySelector<HTMLLinkElement>('link[rel="modulepreload"][href*="equos-avatar-opt-in."]');
    expect(link?.integrity).to.match(/^sha384-/);
  });
});
