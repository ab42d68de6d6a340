/**
 * Proactive invitations (README, "Invitations"): each rule (seconds, scrolling, exit intent,
 * pages), the cap per visitor session, dismissing, accepting (the panel opens, no call, no
 * microphone), focus and announcements, reduced motion, and no teaser while the panel is open.
 */
import { expect } from 'chai';
import { emulateMedia } from '@web/test-runner-commands';
import type { EquosAvatarElement } from '../src/equos-avatar.element.js';
import { CAP_KEY } from '../src/invitation/cap.js';
import { matchesPages } from '../src/invitation/rules.js';
import { axeViolations, fakeLive, mount, part, unmountAll, until } from './fixtures.js';

const teaser = (element: EquosAvatarElement) => part(element, 'invitation');
const region = (element: EquosAvatarElement) => element.shadowRoot!.querySelector('.invitation-region');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Mounts a widget, recording its `equos-invitation` actions (from before it is on the page). */
async function invited(attributes: Record<string, string>, live = fakeLive()): Promise<{ element: EquosAvatarElement; actions: string[] }> {
  const seen: Array<[EventTarget | null, string]> = [];
  const listener = (event: Event) => seen.push([event.target, (event as CustomEvent<{ action: string }>).detail.action]);
  document.addEventListener('equos-invitation', listener);
  const element = await mount(attributes, live);
  const actions: string[] = [];
  for (const [target, action] of seen) if (target === element) actions.push(action);
  document.removeEventListener('equos-invitation', listener);
  element.addEventListener('equos-invitation', (event) => actions.push(event.detail.action));
  return { element, actions };
}

describe('invitations', () => {
  beforeEach(() => sessionStorage.removeItem(CAP_KEY));
  afterEach(async () => {
    await unmountAll();
    sessionStorage.removeItem(CAP_KEY);
    scrollTo(0, 0);
    document.querySelectorAll('.invitation-test-page').forEach((node) => node.remove());
  });

  it('matches page patterns: * anything, otherwise the whole path', () => {
    expect(matchesPages([], '/anything')).to.equal(true);
    expect(matchesPages(['/products/*', '/pricing'], '/products/desk-pro')).to.equal(true);
    expect(matchesPages(['/products/*', '/pricing'], '/products/a/b')).to.equal(true);
    expect(matchesPages(['/products/*', '/pricing'], '/pricing')).to.equal(true);
    expect(matchesPages(['/products/*', '/pricing'], '/pricing/teams')).to.equal(false);
    expect(matchesPages(['/products/*'], '/product')).to.equal(false);
    expect(matchesPages(['/a.b'], '/axb')).to.equal(false);
    expect(matchesPages(['*.html'], '/shop/index.html')).to.equal(true);
  });

  // Before any other test has counted one (without storage, the count is the page's).
  it('works without storage (counted for the page only)', async () => {
    // Storage that throws, as in a sandboxed iframe or with storage blocked.
    const own = Object.getOwnPropertyDescriptor(window, 'sessionStorage');
    Object.defineProperty(window, 'sessionStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
    try {
      const { element } = await invited({ 'invite-limit': '1' });
      await until(() => teaser(element) !== null, 'the teaser');
      expect(() => window.sessionStorage).to.throw();
    } finally {
      if (own) Object.defineProperty(window, 'sessionStorage', own);
      else delete (window as { sessionStorage?: Storage }).sessionStorage;
    }
    expect(window.sessionStorage.getItem(CAP_KEY)).to.equal(null);
  });

  it('shows after invite-after seconds, beside the launcher, announced, without taking focus', async () => {
    const input = document.createElement('input');
    input.className = 'invitation-test-page';
    document.body.append(input);
    input.focus();
    const { element, actions } = await invited({ 'invite-after': '0.6' });
    await until(() => region(element) !== null, 'the invitation’s file');
    // The live region is there, empty, before the teaser comes.
    expect(region(element)!.getAttribute('aria-live')).to.equal('polite');
    expect(teaser(element)).to.equal(null);
    await pause(250);
    expect(teaser(element)).to.equal(null);
    await until(() => teaser(element) !== null, 'the teaser');
    expect(region(element)!.contains(teaser(element))).to.equal(true);
    expect(part(element, 'invitation-text')!.textContent!.trim()).to.equal('Questions? Ask Ava');
    expect(part(element, 'invitation-dismiss')!.getAttribute('aria-label')).to.equal('Dismiss');
    expect(actions).to.deep.equal(['shown']);
    expect(document.activeElement).to.equal(input);
    // Above the launcher, on its side.
    const bubble = teaser(element)!.getBoundingClientRect();
    const launcher = part(element, 'launcher')!.getBoundingClientRect();
    expect(bubble.bottom).to.be.at.most(launcher.top);
    expect(Math.round(innerWidth - bubble.right)).to.equal(20);
    expect(JSON.parse(sessionStorage.getItem(CAP_KEY)!)).to.deep.equal({ shown: 1 });
    expect(await axeViolations(element)).to.deep.equal([]);
  });

  it('sits on the launcher’s side: position="bottom-left", and right-to-left pages', async () => {
    const left = await invited({ 'invite-limit': '3', position: 'bottom-left' });
    await until(() => teaser(left.element) !== null, 'the teaser');
    expect(Math.round(teaser(left.element)!.getBoundingClientRect().left)).to.equal(20);
    await unmountAll();
    document.documentElement.dir = 'rtl';
    try {
      const rtl = await invited({ 'invite-limit': '3', locale: 'ar' });
      await until(() => teaser(rtl.element) !== null, 'the teaser');
      expect(Math.round(teaser(rtl.element)!.getBoundingClientRect().left)).to.equal(20);
      // In the widget's language: the × is on the reading's end, the text first.
      await until(() => part(rtl.element, 'invitation-dismiss')!.getAttribute('aria-label') === 'إغلاق', 'the Arabic words');
      expect(part(rtl.element, 'invitation-text')!.textContent).to.include('لديك أسئلة؟');
      const text = part(rtl.element, 'invitation-text')!.getBoundingClientRect();
      const dismiss = part(rtl.element, 'invitation-dismiss')!.getBoundingClientRect();
      expect(dismiss.right).to.be.at.most(text.left + 1);
    } finally {
      document.documentElement.removeAttribute('dir');
    }
  });

  it('waits for a long invite-after', async () => {
    const { element } = await invited({ 'invite-after': '30' });
    await until(() => region(element) !== null, 'the invitation’s file');
    await pause(800);
    expect(teaser(element)).to.equal(null);
  });

  it('shows once invite-scroll percent of the page is scrolled', async () => {
    const tall = document.createElement('div');
    tall.className = 'invitation-test-page';
    tall.style.height = '5000px';
    document.body.append(tall);
    const { element } = await invited({ 'invite-scroll': '50' });
    await until(() => region(element) !== null, 'the invitation’s file');
    await pause(100);
    const scrollable = document.documentElement.scrollHeight - innerHeight;
    scrollTo(0, scrollable * 0.3);
    await pause(200);
    expect(teaser(element)).to.equal(null);
    scrollTo(0, scrollable * 0.6);
    await until(() => teaser(element) !== null, 'the teaser');
  });

  it('shows on exit intent (the pointer leaving through the top) on a desktop only', async () => {
    const { element } = await invited({ 'invite-exit': '' });
    await until(() => region(element) !== null, 'the invitation’s file');
    await pause(100);
    // Leaving through the bottom, or moving between elements, is no exit.
    document.body.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, relatedTarget: null, clientY: 300 }));
    document.body.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, relatedTarget: document.documentElement, clientY: -2 }));
    await pause(100);
    expect(teaser(element)).to.equal(null);
    document.body.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, relatedTarget: null, clientY: -2 }));
    await element.updateComplete;
    const desktop = matchMedia('(hover: hover) and (pointer: fine)').matches;
    expect(teaser(element) !== null).to.equal(desktop);
  });

  it('shows only on the pages invite-pages names', async () => {
    const elsewhere = await invited({ 'invite-pages': '/nowhere/*, /pricing' });
    await pause(600);
    expect(teaser(elsewhere.element)).to.equal(null);
    expect(elsewhere.actions).to.deep.equal([]);
    await unmountAll();
    // This page's path (no rule of when: at once).
    const here = await invited({ 'invite-pages': `/nowhere/*, ${location.pathname.replace(/[^/]*$/, '*')}` });
    await until(() => teaser(here.element) !== null, 'the teaser');
  });

  it('shows at most invite-limit times a session, counted in sessionStorage across page loads', async () => {
    for (const expected of [true, true, false]) {
      const { element } = await invited({ 'invite-limit': '2', 'invite-text': 'Hi from {name}' });
      if (expected) {
        await until(() => teaser(element) !== null, 'the teaser');
        expect(part(element, 'invitation-text')!.textContent!.trim()).to.equal('Hi from Ava');
      } else {
        await pause(600);
        expect(teaser(element)).to.equal(null);
      }
      // The next "page": another element, the same session.
      await unmountAll();
    }
    expect(JSON.parse(sessionStorage.getItem(CAP_KEY)!)).to.deep.equal({ shown: 2 });
  });

  it('is dismissed by its ×, for the session: focus goes to the launcher', async () => {
    const { element, actions } = await invited({ 'invite-limit': '5' });
    await until(() => teaser(element) !== null, 'the teaser');
    const dismiss = part(element, 'invitation-dismiss')!;
    dismiss.focus();
    dismiss.click();
    await element.updateComplete;
    expect(teaser(element)).to.equal(null);
    expect(actions).to.deep.equal(['shown', 'dismissed']);
    expect(element.shadowRoot!.activeElement).to.equal(part(element, 'launcher'));
    expect(JSON.parse(sessionStorage.getItem(CAP_KEY)!)).to.deep.equal({ shown: 1, closed: true });
    await unmountAll();
    const again = await invited({ 'invite-limit': '5' });
    await pause(600);
    expect(teaser(again.element)).to.equal(null);
  });

  it('is dismissed by Escape while focus is in it', async () => {
    const { element, actions } = await invited({ 'invite-limit': '1' });
    await until(() => teaser(element) !== null, 'the teaser');
    part(element, 'invitation-text')!.focus();
    part(element, 'invitation-text')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await element.updateComplete;
    expect(teaser(element)).to.equal(null);
    expect(actions).to.deep.equal(['shown', 'dismissed']);
  });

  it('opens the panel when clicked, and starts nothing: no session, no microphone', async () => {
    const sessions: string[] = [];
    const fetch = window.fetch;
    window.fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).includes('/api/sessions')) sessions.push(String(input));
      return fetch(input, init);
    };
    const getUserMedia = navigator.mediaDevices.getUserMedia;
    let microphones = 0;
    navigator.mediaDevices.getUserMedia = (constraints) => (microphones++, getUserMedia.call(navigator.mediaDevices, constraints));
    try {
      const live = fakeLive();
      const { element, actions } = await invited({ 'invite-limit': '1' }, live);
      const opened: string[] = [];
      element.addEventListener('equos-open', (event) => opened.push(event.type));
      element.addEventListener('equos-request-start', (event) => opened.push(event.type));
      await until(() => teaser(element) !== null, 'the teaser');
      part(element, 'invitation-text')!.click();
      await element.updateComplete;
      await until(() => part(element, 'start-button') !== null, 'the panel');
      expect(element.opened).to.equal(true);
      expect(teaser(element)).to.equal(null);
      expect(actions).to.deep.equal(['shown', 'accepted']);
      expect(opened).to.deep.equal(['equos-open']);
      await pause(500);
      expect(element.state.name).to.equal('idle');
      expect([sessions, microphones, live.adapters.length]).to.deep.equal([[], 0, 0]);
      expect(JSON.parse(sessionStorage.getItem(CAP_KEY)!)).to.deep.equal({ shown: 1, closed: true });
    } finally {
      window.fetch = fetch;
      navigator.mediaDevices.getUserMedia = getUserMedia;
    }
  });

  it('shows no teaser while the panel is open, and goes when the visitor opens it', async () => {
    const open = await invited({ open: '', 'invite-limit': '1' });
    await pause(600);
    expect(teaser(open.element)).to.equal(null);
    expect(open.actions).to.deep.equal([]);
    await unmountAll();

    const { element, actions } = await invited({ 'invite-limit': '1' });
    await until(() => teaser(element) !== null, 'the teaser');
    part(element, 'launcher')!.click();
    await element.updateComplete;
    expect(teaser(element)).to.equal(null);
    element.close();
    await element.updateComplete;
    await pause(100);
    expect(teaser(element)).to.equal(null);
    // Neither accepted nor dismissed: shown, and over for this page.
    expect(actions).to.deep.equal(['shown']);
  });

  it('moves in only without reduced motion', async () => {
    const animated = async () => {
      const { element } = await invited({ 'invite-limit': '1' });
      await until(() => teaser(element) !== null, 'the teaser');
      const count = teaser(element)!.getAnimations().length;
      // Its animation is written for visitors without reduced motion only.
      const rules = element.shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules]);
      const media = rules.filter((rule): rule is CSSMediaRule => rule instanceof CSSMediaRule && [...rule.cssRules].some((inner) => inner.cssText.includes('invitation-in')));
      expect(media.map((rule) => rule.conditionText)).to.deep.equal(['(prefers-reduced-motion: no-preference)']);
      await unmountAll();
      sessionStorage.removeItem(CAP_KEY);
      return count;
    };
    let emulated = true;
    try {
      await emulateMedia({ reducedMotion: 'reduce' });
    } catch {
      emulated = false;
    }
    try {
      if (!emulated) {
        // A browser the runner cannot emulate it in: as this browser is set.
        expect(await animated()).to.equal(matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 1);
        return;
      }
      expect(matchMedia('(prefers-reduced-motion: reduce)').matches).to.equal(true);
      expect(await animated()).to.equal(0);
      await emulateMedia({ reducedMotion: 'no-preference' });
      expect(await animated()).to.equal(1);
    } finally {
      if (emulated) await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });

  it('does nothing for an inline widget', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
    try {
      const inline = await invited({ mode: 'inline', 'invite-limit': '1' });
      await pause(600);
      expect(region(inline.element)).to.equal(null);
      expect(warnings.join()).to.include('floating widget only');
    } finally {
      console.warn = warn;
    }
  });
});
