/**
 * `<equos-avatar>` as a component: rendering, attributes, style isolation, configuration
 * errors, opening and closing, accessibility. The token server and sandbox are real; the
 * real-time adapter is a fake (conversation.browser.test.ts drives it).
 */
import { expect } from 'chai';
import { axeViolations, mount, part, unmountAll, until } from './fixtures.js';

describe('<equos-avatar>: launcher and panel', () => {
  afterEach(unmountAll);

  it("renders a launcher with the preset's name and picture, and no panel until it is first opened", async () => {
    const element = await mount();
    await until(() => part(element, 'launcher')?.getAttribute('aria-label') === 'Talk to Ava', 'the preset name');
    const launcher = part(element, 'launcher')!;
    expect(launcher.tagName).to.equal('BUTTON');
    expect(launcher.getAttribute('aria-expanded')).to.equal('false');
    expect(part(element, 'launcher-label')!.textContent).to.equal('Talk to Ava');
    await until(() => !!launcher.querySelector('img')?.complete, 'the thumbnail');
    expect(launcher.querySelector('img')!.naturalWidth).to.be.greaterThan(0);
    expect(part(element, 'panel')).to.equal(null);
    expect(launcher.hasAttribute('aria-controls')).to.equal(false);
    // A hover fetches the panel's file but draws nothing.
    launcher.dispatchEvent(new PointerEvent('pointerenter'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await element.updateComplete;
    expect(part(element, 'panel')).to.equal(null);
    // Opened once, it stays (hidden) when minimised.
    element.open();
    await element.updateComplete;
    element.close();
    await element.updateComplete;
    expect(part(element, 'panel')!.hidden).to.equal(true);
    expect(launcher.getAttribute('aria-controls')).to.equal('panel');
    const { position, bottom, right } = getComputedStyle(launcher);
    expect([position, bottom, right]).to.deep.equal(['fixed', '20px', '20px']);
  });

  it('opens on click (focus moves into the panel) and Escape minimises (focus returns)', async () => {
    const element = await mount();
    await until(() => part(element, 'launcher')?.getAttribute('aria-label') === 'Talk to Ava', 'the preset name');
    const opened: boolean[] = [];
    element.addEventListener('equos-open', () => opened.push(true));
    element.addEventListener('equos-close', () => opened.push(false));
    part(element, 'launcher')!.click();
    await element.updateComplete;
    const panel = part(element, 'panel')!;
    expect(panel.hidden).to.equal(false);
    expect(panel.getAttribute('role')).to.equal('dialog');
    expect(panel.getAttribute('aria-label')).to.equal('Conversation with Ava');
    expect(part(element, 'launcher')!.getAttribute('aria-expanded')).to.equal('true');
    expect(element.shadowRoot!.activeElement).to.equal(part(element, 'start-button'));
    expect(element.hasAttribute('open')).to.equal(true);

    panel.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await element.updateComplete;
    expect(panel.hidden).to.equal(true);
    expect(element.shadowRoot!.activeElement).to.equal(part(element, 'launcher'));
    expect(opened).to.deep.equal([true, false]);
  });

  it('reads position, mode, theme, locale and open from attributes', async () => {
    const left = await mount({ position: 'bottom-left', open: '' });
    await until(() => part(left, 'launcher') !== null, 'the launcher');
    expect(getComputedStyle(part(left, 'launcher')!).left).to.equal('20px');
    expect(part(left, 'panel')!.hidden).to.equal(false);

    const inline = await mount({ mode: 'inline', theme: 'dark', locale: 'fr' });
    await until(() => part(inline, 'start-button')?.textContent?.trim() === 'Commencer la conversation', 'French');
    expect(part(inline, 'launcher')).to.equal(null);
    expect(part(inline, 'panel')!.hidden).to.equal(false);
    expect(getComputedStyle(part(inline, 'panel')!).position).to.equal('static');
    expect(part(inline, 'start-button')!.textContent!.trim()).to.equal('Commencer la conversation');
    expect(getComputedStyle(part(inline, 'panel')!).backgroundColor).to.equal('rgb(23, 25, 31)');
    expect(part(inline, 'minimize-button')).to.equal(null);
  });

  it('takes colours, radius and offsets from custom properties, and styling through parts', async () => {
    const style = document.createElement('style');
    style.textContent = `
      .branded { --equos-avatar-accent: rgb(1, 2, 3); --equos-avatar-offset-x: 44px; --equos-avatar-radius: 3px; }
      .branded::part(launcher-label) { background: rgb(9, 9, 9); }`;
    document.head.append(style);
    try {
      const element = await mount({ open: '' });
      element.classList.add('branded');
      await element.updateComplete;
      expect(getComputedStyle(part(element, 'launcher')!).right).to.equal('44px');
      expect(getComputedStyle(part(element, 'start-button')!).backgroundColor).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(part(element, 'panel')!).borderRadius).to.equal('3px');
    } finally {
      style.remove();
    }
  });

  it('is not restyled by a hostile page stylesheet', async () => {
    const hostile = document.createElement('style');
    hostile.textContent = `
      * { font-family: 'Comic Sans MS', cursive !important; }
      body { color: red; line-height: 5; letter-spacing: 6px; text-transform: uppercase; font-size: 40px; }
      button { display: none !important; background: yellow !important; }
      div, section, p { border: 5px solid lime !important; }`;
    document.head.append(hostile);
    try {
      const element = await mount({ open: '' });
      const start = part(element, 'start-button')!;
      const styles = getComputedStyle(start);
      expect(styles.display).to.not.equal('none');
      expect(styles.textTransform).to.equal('none');
      expect(styles.letterSpacing).to.equal('normal');
      expect(styles.fontFamily).to.not.contain('Comic');
      expect(styles.backgroundColor).to.equal('rgb(79, 70, 229)');
      expect(getComputedStyle(part(element, 'panel')!).borderTopWidth).to.equal('0px');
      expect(getComputedStyle(part(element, 'status')!).fontSize).to.equal('13px');
    } finally {
      hostile.remove();
    }
  });

  it('explains a missing or bad server in its panel, warns once, and never throws', async () => {
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      const element = await mount({ server: '', open: '', position: 'top-middle' });
      const message = part(element, 'message')!.textContent!;
      expect(message).to.contain('not set up correctly');
      expect(message).to.contain('server attribute is missing');
      expect(part(element, 'start-button')).to.equal(null);
      element.start();
      element.stop();
      await element.setMicrophoneEnabled(false);
      element.requestUpdate();
      await element.updateComplete;
      expect(warnings).to.have.length(1);
      expect(String(warnings[0]![0])).to.contain('position="top-middle"');

      const bad = await mount({ server: 'javascript:alert(1)', open: '' });
      expect(part(bad, 'message')!.textContent).to.contain('is not an http(s) URL');
    } finally {
      console.warn = warn;
    }
  });

  it('passes an accessibility check closed, open, and with an error', async () => {
    const element = await mount();
    expect(await axeViolations(element)).to.deep.equal([]);
    element.open();
    await element.updateComplete;
    expect(await axeViolations(element)).to.deep.equal([]);
    const broken = await mount({ server: '', open: '', mode: 'inline' });
    expect(await axeViolations(broken)).to.deep.equal([]);
  });

  it('shows a visible focus ring on its controls', async () => {
    const element = await mount({ open: '' });
    part(element, 'start-button')!.focus();
    // :focus-visible after a programmatic focus that follows keyboard use; check the rule exists.
    const sheet = [...element.shadowRoot!.adoptedStyleSheets].flatMap((style) => [...style.cssRules].map((rule) => rule.cssText)).join('\n');
    expect(sheet).to.match(/button:focus-visible\s*{[^}]*outline: 3px solid/);
  });

  it('announces state changes in a polite live region', async () => {
    const element = await mount();
    element.open();
    await element.updateComplete;
    const region = element.shadowRoot!.querySelector('.panel + [role="status"][aria-live="polite"]')!;
    expect(region.textContent!.trim()).to.equal('Ready when you are');
  });
});
