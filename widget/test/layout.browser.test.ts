/**
 * How the widget sits on real screens and pages: a phone, a right-to-left page, the avatar's
 * framing, the launcher's focus ring, the picture before a call, and what the microphone's
 * level meter costs the page.
 */
import { expect } from 'chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { EquosAvatarElement } from '../src/equos-avatar.element.js';
import { liveCall, mount, part, unmountAll, until } from './fixtures.js';

const inCall = liveCall;

const rect = (element: EquosAvatarElement, name: string) => part(element, name)!.getBoundingClientRect();

describe('<equos-avatar>: screens and pages', () => {
  afterEach(async () => {
    await unmountAll();
    document.documentElement.removeAttribute('dir');
    await setViewport({ width: 1280, height: 800 });
  });

  it('phones: the minimised call’s label stays on screen', async () => {
    await setViewport({ width: 390, height: 844 });
    const { element } = await inCall();
    element.close();
    await element.updateComplete;
    const label = rect(element, 'launcher-label');
    expect(part(element, 'launcher-label')!.textContent).to.equal('Back to your conversation with Ava');
    expect(label.left).to.be.at.least(0);
    expect(label.right).to.be.at.most(390);
    element.stop();
  });

  it('right-to-left pages: bottom-left by default, the label on the page’s side, an explicit position kept', async () => {
    document.documentElement.dir = 'rtl';
    const element = await mount();
    const launcher = rect(element, 'launcher');
    expect(launcher.left).to.be.closeTo(20, 1);
    const bubble = element.shadowRoot!.querySelector('.launcher__bubble')!.getBoundingClientRect();
    expect(rect(element, 'launcher-label').left).to.be.at.least(bubble.right);
    element.open();
    await element.updateComplete;
    expect(rect(element, 'panel').left).to.be.closeTo(20, 1);
    // English words on an Arabic page keep their own direction (the ellipsis stays at their end).
    expect(part(element, 'status')!.querySelector('[dir="auto"]')).to.not.equal(null);

    const right = await mount({ position: 'bottom-right' });
    expect(innerWidth - rect(right, 'launcher').right).to.be.closeTo(20, 1);
    const rightBubble = right.shadowRoot!.querySelector('.launcher__bubble')!.getBoundingClientRect();
    expect(rect(right, 'launcher-label').right).to.be.at.most(rightBubble.left);
  });

  it('frames the whole avatar by its own aspect ratio, unless fit="cover"', async () => {
    for (const [attributes, fit] of [[{}, 'contain'], [{ fit: 'cover' }, 'cover']] as const) {
      const { element, adapter } = await inCall(attributes);
      const video = document.createElement('video');
      adapter.emit({ type: 'avatar-video', element: video });
      await element.updateComplete;
      expect(getComputedStyle(element.shadowRoot!.querySelector('video')!).objectFit).to.equal(fit);
      element.stop();
      await unmountAll();
    }
  });

  it('rings the round launcher with a round focus ring', async () => {
    const element = await mount();
    (document.activeElement as HTMLElement | null)?.blur();
    // By keyboard, so that :focus-visible applies as it does for a visitor tabbing in.
    for (let tries = 0; tries < 5 && element.shadowRoot!.activeElement !== part(element, 'launcher'); tries += 1) await sendKeys({ press: 'Tab' });
    expect(element.shadowRoot!.activeElement).to.equal(part(element, 'launcher'));
    expect(getComputedStyle(part(element, 'launcher')!).outlineStyle).to.equal('none');
    const bubble = getComputedStyle(element.shadowRoot!.querySelector('.launcher__bubble')!);
    expect([bubble.outlineStyle, bubble.borderRadius]).to.deep.equal(['solid', '50%']);
  });

  it('shows the avatar speaking as a voice, not a pause sign: bars of different rhythms', async () => {
    const { element, adapter } = await inCall();
    adapter.emit({ type: 'avatar-speaking', speaking: true });
    await element.updateComplete;
    const bars = [...element.shadowRoot!.querySelectorAll<HTMLElement>('.badge--speaking .bars span')];
    expect(bars.length).to.equal(5);
    expect(new Set(bars.map((bar) => getComputedStyle(bar).animationDuration)).size).to.be.at.least(3);
    element.stop();
  });

  it('phones: before a call, the picture and the introduction sit together', async () => {
    await setViewport({ width: 390, height: 844 });
    const element = await mount({ open: '' });
    await until(() => !!element.shadowRoot!.querySelector('.stage__poster'), 'the picture');
    const poster = element.shadowRoot!.querySelector('.stage__poster')!.getBoundingClientRect();
    const intro = element.shadowRoot!.querySelector('.intro')!.getBoundingClientRect();
    expect(intro.top - poster.bottom).to.be.lessThan(40);
  });

  it('shows the microphone’s level without restyling the page: a ring scaled a few times a second, the button untouched', async () => {
    const { element } = await inCall();
    const button = part(element, 'mic-button')!;
    await until(() => !!button.querySelector('.level-ring'), 'the ring');
    const ring = button.querySelector<HTMLElement>('.level-ring')!;
    let buttonChanges = 0;
    let ringChanges = 0;
    const watchButton = new MutationObserver((records) => (buttonChanges += records.length));
    const watchRing = new MutationObserver((records) => (ringChanges += records.length));
    watchButton.observe(button, { attributes: true });
    watchRing.observe(ring, { attributes: true });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    watchButton.disconnect();
    watchRing.disconnect();
    expect(buttonChanges).to.equal(0);
    expect(ringChanges).to.be.at.most(32);
    expect(getComputedStyle(ring).willChange).to.equal('transform, opacity');
    element.stop();
  });
});
