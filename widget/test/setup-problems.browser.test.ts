/**
 * A site set up wrongly: its origin missing from the token server's ALLOWED_ORIGINS, or its
 * Content-Security-Policy not letting the widget reach the token server. The visitor is told,
 * neutrally, that the avatar is not available here; the site owner gets one console warning
 * naming the cause and the fix; nothing is spent.
 */
import { expect } from 'chai';
import { equosCalls } from '../../sandbox/testing/sandbox-commands.js';
import { refusingTokenServerUrl, tokenServerUrl } from '../../testing/stack-commands.js';
import type { EquosAvatarElement } from '../src/equos-avatar.element.js';
import { fakeLive, messageOf, mount, part, unmountAll, until } from './fixtures.js';

function captureWarnings(): { warnings: string[]; restore(): void } {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
  return { warnings, restore: () => (console.warn = warn) };
}

describe('<equos-avatar>: a site set up wrongly', () => {
  afterEach(unmountAll);

  it('an origin the token server does not allow: a neutral message, one warning naming the origin and ALLOWED_ORIGINS, nothing spent', async () => {
    const before = await equosCalls('create');
    const capture = captureWarnings();
    try {
      const element: EquosAvatarElement = await mount({ open: '', name: 'Ava', server: await refusingTokenServerUrl() }, fakeLive());
      part(element, 'start-button')!.click();
      await until(() => element.state.name === 'error', 'the error', 8000);
      expect(element.state.name === 'error' && element.state.cause).to.equal('origin-not-allowed');
      expect(messageOf(element)).to.equal('Ava isn’t available on this site right now.');
      const relevant = capture.warnings.filter((warning) => warning.includes('ALLOWED_ORIGINS'));
      expect(relevant).to.have.length(1);
      expect(relevant[0]).to.contain(`Add ${location.origin} to ALLOWED_ORIGINS`);
      expect(await equosCalls('create')).to.equal(before);
    } finally {
      capture.restore();
    }
  });

  /**
   * This page's origin where a real site's policy says 'self': Firefox matches 'self' in a
   * srcdoc document's policy against `about:srcdoc`, not against the origin the document
   * inherits, so 'self' would block the bundle itself there (Chromium uses the origin).
   */
  const self = location.origin;

  /** A page under `connectSrc`, with the shipped bundle served from this origin and a widget on `server`. */
  async function pageUnderPolicy(server: string, connectSrc: string) {
    const frame = document.createElement('iframe');
    frame.style.cssText = 'width: 800px; height: 700px';
    frame.srcdoc = `<!doctype html><html><head>
        <meta http-equiv="Content-Security-Policy" content="default-src ${self}; script-src ${self} 'unsafe-inline'; style-src ${self} 'unsafe-inline'; img-src * data:; connect-src ${connectSrc}">
        <script>window.warnings = []; const warn = console.warn; console.warn = (...args) => { window.warnings.push(args.join(' ')); warn(...args); };</script>
      </head><body>
        <equos-avatar server="${server}" name="Ava" open></equos-avatar>
        <script src="/dist/equos-avatar.js"></script>
      </body></html>`;
    document.body.append(frame);
    await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    const page = frame.contentWindow as Window & { warnings: string[] };
    const element = () => page.document.querySelector('equos-avatar') as EquosAvatarElement;
    await until(() => !!element()?.shadowRoot?.querySelector('[part~="start-button"]'), 'the widget');
    return { frame, page, element };
  }

  /**
   * Starts a call on a page whose policy refuses part of it: the call ends in `blocked-by-page`
   * with the neutral words, and exactly one console warning names the policy; returns it.
   */
  async function startRefusedByPolicy(page: Window & { warnings: string[] }, element: EquosAvatarElement): Promise<string> {
    (element.shadowRoot!.querySelector('[part~="start-button"]') as HTMLButtonElement).click();
    await until(() => element.state.name === 'error', 'the error', 8000);
    const state = element.state;
    expect(state.name === 'error' && state.cause).to.equal('blocked-by-page');
    expect(element.shadowRoot!.querySelector('[part~="message"]')!.textContent!.trim()).to.equal('Ava isn’t available on this site right now.');
    const relevant = page.warnings.filter((warning) => warning.includes('Content-Security-Policy'));
    expect(relevant).to.have.length(1);
    return relevant[0]!;
  }

  it('a Content-Security-Policy without the LiveKit server in connect-src: the session is stopped, a neutral message, one warning', async () => {
    const server = await tokenServerUrl();
    const before = await equosCalls('stop');
    const { frame, page, element } = await pageUnderPolicy(server, `${self} ${new URL(server).origin}`);
    try {
      // Firefox throws a refused WebSocket out of its constructor (Chromium fires `error`); the
      // widget stops waiting on the page's securitypolicyviolation, so both fail fast.
      const warning = await startRefusedByPolicy(page, element());
      expect(warning).to.match(/blocks the LiveKit server at ws:\/\/127\.0\.0\.1:\d+ \(connect-src\)/);
      // The session it paid for was stopped.
      expect(await equosCalls('stop')).to.equal(before + 1);
    } finally {
      frame.remove();
    }
  });

  it('a Content-Security-Policy without the token server in connect-src: a neutral message and one warning naming the directive', async () => {
    const server = await tokenServerUrl();
    // The page allows its own scripts (the widget is served from here), but connects only to itself.
    const { frame, page, element } = await pageUnderPolicy(server, self);
    try {
      const warning = await startRefusedByPolicy(page, element());
      expect(warning).to.contain(`Add ${new URL(server).origin} to connect-src`);
    } finally {
      frame.remove();
    }
  });
});
