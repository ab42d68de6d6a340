/**
 * The site's AI disclosure before the first call (`consent-version`, `privacy-url`,
 * `consent-remember`), against the real test token server: nothing is requested before the
 * visitor agrees, the page's own start() cannot agree for them, and the version agreed to and
 * when go with the session (the token server validates and records them).
 */
import { expect } from 'chai';
import type { EquosAvatarElement } from '../src/equos-avatar.element.js';
import { CONSENT_STORAGE_KEY } from '../src/panel/consent.js';
import { axeViolations, fakeLive, messageOf, mount, part, statusOf, unmountAll, until } from './fixtures.js';

/** The bodies of the session requests the page sent, and the token server's answers' statuses, until `restore()`. */
function recordSessionRequests(): { bodies: Array<Record<string, unknown>>; statuses: number[]; restore(): void } {
  const bodies: Array<Record<string, unknown>> = [];
  const statuses: number[] = [];
  const original = window.fetch;
  window.fetch = async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const creates = url.pathname.endsWith('/api/sessions') && init?.method === 'POST';
    if (creates) bodies.push(JSON.parse(String(init.body)) as Record<string, unknown>);
    const response = await original(input, init);
    if (creates) statuses.push(response.status);
    return response;
  };
  return { bodies, statuses, restore: () => (window.fetch = original) };
}

/** The `equos-consent` events `element` fires. */
function consentEvents(element: EquosAvatarElement): Array<{ given: boolean; version: string }> {
  const events: Array<{ given: boolean; version: string }> = [];
  element.addEventListener('equos-consent', (event) => events.push(event.detail));
  return events;
}

let requests: ReturnType<typeof recordSessionRequests>;

describe('the site’s AI disclosure before the first call', () => {
  beforeEach(() => {
    localStorage.removeItem(CONSENT_STORAGE_KEY);
    requests = recordSessionRequests();
  });
  afterEach(async () => {
    requests.restore();
    localStorage.removeItem(CONSENT_STORAGE_KEY);
    await unmountAll();
  });

  it('is not shown unless the site asks for it: Start starts, and the session carries no consent', async () => {
    const element = await mount({ open: '' });
    part(element, 'start-button')!.click();
    await until(() => requests.bodies.length === 1, 'the session request');
    expect(part(element, 'consent')).to.equal(null);
    expect(requests.bodies[0]).to.not.have.property('consent');
  });

  it('says the avatar is an AI and that the microphone is used, links the privacy page, and requests nothing before an answer', async () => {
    const element = await mount({ open: '', 'consent-version': '2026-11', 'privacy-url': '/privacy' });
    // As a visitor's click does: the focused Start gives way to the disclosure.
    part(element, 'start-button')!.focus();
    part(element, 'start-button')!.click();
    await until(() => part(element, 'consent') !== null, 'the disclosure');
    expect(element.state).to.deep.equal({ name: 'consent', version: '2026-11' });
    const text = part(element, 'consent')!.textContent!;
    expect(text).to.contain('Ava is an AI avatar, not a person').and.contain('microphone');
    expect(statusOf(element)).to.equal('Before we start');
    const link = part<HTMLAnchorElement>(element, 'privacy-link')!;
    expect(link.href).to.equal(new URL('/privacy', document.baseURI).href);
    expect([link.target, link.rel]).to.deep.equal(['_blank', 'noopener noreferrer']);
    // Agreeing is where focus goes; the screen reader hears the disclosure itself.
    await until(() => element.shadowRoot!.activeElement === part(element, 'consent-button'), 'focus on agree');
    expect(element.shadowRoot!.querySelector('.panel + [role="status"]')!.textContent).to.contain('Ava is an AI avatar');
    expect(await axeViolations(element)).to.deep.equal([]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requests.bodies).to.deep.equal([]);
  });

  it('cannot be agreed to by the page’s own start(): only the visitor’s click on Agree starts the call', async () => {
    const element = await mount({ open: '', 'consent-version': 'v2' });
    const events = consentEvents(element);
    element.start();
    await until(() => element.state.name === 'consent', 'the disclosure');
    element.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(element.state.name).to.equal('consent');
    expect(requests.bodies).to.deep.equal([]);
    const before = Date.now();
    part(element, 'consent-button')!.click();
    await until(() => requests.statuses.length === 1, 'the session request');
    const consent = requests.bodies[0]!.consent as { version: string; accepted_at: string };
    expect(consent.version).to.equal('v2');
    expect(Date.parse(consent.accepted_at)).to.be.within(before - 1000, Date.now() + 1000);
    expect(consent.accepted_at).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // The token server took the consent (it validates the field, and records it with the session).
    expect(requests.statuses).to.deep.equal([201]);
    expect(events).to.deep.equal([{ given: true, version: 'v2' }]);
    expect(localStorage.getItem(CONSENT_STORAGE_KEY), 'nothing stored unless the site allows it').to.equal(null);
  });

  it('goes back to the start on Not now, stores nothing, and asks again at the next start', async () => {
    const element = await mount({ open: '', 'consent-version': 'v3' });
    const events = consentEvents(element);
    part(element, 'start-button')!.click();
    await until(() => part(element, 'consent-decline-button') !== null, 'the disclosure');
    part(element, 'consent-decline-button')!.click();
    await until(() => element.state.name === 'idle', 'back to the start');
    expect(part(element, 'start-button')).to.not.equal(null);
    expect(events).to.deep.equal([{ given: false, version: 'v3' }]);
    expect(localStorage.getItem(CONSENT_STORAGE_KEY)).to.equal(null);
    part(element, 'start-button')!.click();
    await until(() => element.state.name === 'consent', 'the disclosure again');
    expect(requests.bodies).to.deep.equal([]);
  });

  it('is asked once per page: a later call from the same page goes with the consent already given', async () => {
    const live = fakeLive();
    const element = await mount({ open: '', 'consent-version': 'v4' }, live);
    part(element, 'start-button')!.click();
    await until(() => part(element, 'consent-button') !== null, 'the disclosure');
    part(element, 'consent-button')!.click();
    await until(() => requests.statuses.length === 1, 'the first session');
    element.stop();
    await until(() => part(element, 'start-button') !== null, 'the call to end');
    part(element, 'start-button')!.click();
    await until(() => requests.statuses.length === 2, 'the second session');
    expect(part(element, 'consent')).to.equal(null);
    expect(requests.bodies[1]!.consent).to.deep.equal(requests.bodies[0]!.consent);
    element.stop();
  });

  it('is remembered on this site only where the site allows it (consent-remember), for the same version only', async () => {
    const remembered = { version: 'v5', accepted_at: '2026-01-02T03:04:05.000Z' };
    localStorage.setItem(CONSENT_STORAGE_KEY, JSON.stringify(remembered));
    // Not allowed to remember: asked, whatever is stored.
    const notAllowed = await mount({ open: '', 'consent-version': 'v5' });
    part(notAllowed, 'start-button')!.click();
    await until(() => notAllowed.state.name === 'consent', 'the disclosure');
    await unmountAll();
    // Another version: asked.
    const newer = await mount({ open: '', 'consent-version': 'v6', 'consent-remember': '' });
    part(newer, 'start-button')!.click();
    await until(() => newer.state.name === 'consent', 'the disclosure of v6');
    part(newer, 'consent-button')!.click();
    await until(() => requests.statuses.length === 1, 'the session of v6');
    expect(JSON.parse(localStorage.getItem(CONSENT_STORAGE_KEY)!)).to.include({ version: 'v6' });
    newer.stop();
    await unmountAll();
    // The version remembered: no question, and the time it was given goes with the session.
    localStorage.setItem(CONSENT_STORAGE_KEY, JSON.stringify(remembered));
    const allowed = await mount({ open: '', 'consent-version': 'v5', 'consent-remember': '' });
    part(allowed, 'start-button')!.click();
    await until(() => requests.statuses.length === 2, 'the session of v5');
    expect(part(allowed, 'consent')).to.equal(null);
    expect(requests.bodies[1]!.consent).to.deep.equal(remembered);
    expect(requests.statuses).to.deep.equal([201, 201]);
    allowed.stop();
  });

  it('tells the site owner once what is wrong with a bad consent-version, shows the visitor a neutral message, and starts nothing', async () => {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      const element = await mount({ open: '', 'consent-version': 'our new policy!' });
      await element.updateComplete;
      expect(part(element, 'start-button')).to.equal(null);
      expect(messageOf(element)).to.contain('set up');
      element.start();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(element.state.name).to.not.equal('starting');
      expect(requests.bodies).to.deep.equal([]);
      const about = warnings.filter((warning) => warning.includes('consent-version'));
      expect(about).to.have.length(1);
      expect(about[0]).to.contain('consent-version="2026-11"');
    } finally {
      console.warn = original;
    }
  });
});
