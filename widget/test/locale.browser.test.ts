/**
 * `<equos-avatar>` in other languages, in a real browser: how it chooses (attribute, page,
 * browser), switching while on the page (a right-to-left language too), the page's own words
 * (`strings`, property or attribute), and the conversation's words in a call.
 */
import { expect } from 'chai';
import { fakeLive, mount, part, statusOf, unmountAll, until } from './fixtures.js';
import type { EquosAvatarElement } from '../src/equos-avatar.element.js';
import { tokenServerUrl } from '../../testing/stack-commands.js';

const startText = (element: EquosAvatarElement) => part(element, 'start-button')?.textContent?.trim() ?? '';
const labelText = (element: EquosAvatarElement) => part(element, 'launcher-label')?.textContent?.trim() ?? '';

/** Sets the page's `<html lang>` and the browser's languages for one test. */
function withPage(lang: string, languages: string[]): () => void {
  const html = document.documentElement;
  const before = html.getAttribute('lang');
  html.lang = lang;
  Object.defineProperty(navigator, 'languages', { configurable: true, get: () => Object.freeze([...languages]) });
  return () => {
    if (before === null) html.removeAttribute('lang');
    else html.setAttribute('lang', before);
    delete (navigator as { languages?: unknown }).languages;
  };
}

describe('<equos-avatar>: languages', () => {
  let restore: (() => void) | undefined;
  afterEach(async () => {
    restore?.();
    restore = undefined;
    await unmountAll();
  });

  it('follows the locale attribute, switching at once, into a right-to-left language too', async () => {
    const element = await mount({ mode: 'inline', locale: 'es' });
    await until(() => startText(element) === 'Iniciar conversación', 'Spanish');
    expect(statusOf(element)).to.equal('Cuando quieras, empezamos');
    element.locale = 'ja';
    await until(() => startText(element) === '会話を始める', 'Japanese');
    element.setAttribute('locale', 'ar-EG');
    await until(() => startText(element) === 'بدء المحادثة', 'Arabic');
    expect(part(element, 'panel')!.getAttribute('aria-label')).to.equal('محادثة مع \u2068Ava\u2069');
    element.setAttribute('locale', 'he');
    await until(() => startText(element) === 'להתחיל שיחה', 'Hebrew');
    expect(statusOf(element)).to.equal('אפשר להתחיל מתי שרוצים');
  });

  it('takes the page’s <html lang> when there is no attribute, then the browser’s languages in order', async () => {
    restore = withPage('de-AT', ['en-US']);
    const german = await mount({ mode: 'inline' });
    await until(() => startText(german) === 'Gespräch starten', 'German from the page');
    restore();

    restore = withPage('', ['sv-SE', 'pt-BR', 'fr']);
    const portuguese = await mount({ mode: 'inline' });
    await until(() => startText(portuguese) === 'Iniciar conversa', 'Portuguese from the browser');
  });

  it('shows the floating launcher in its language from the start, never English first', async () => {
    const element = document.createElement('equos-avatar');
    element.setAttribute('server', await tokenServerUrl());
    element.setAttribute('locale', 'zh-TW');
    document.body.append(element);
    const labels = new Set<string>();
    const observer = new MutationObserver(() => {
      const label = labelText(element);
      if (label) labels.add(label);
    });
    observer.observe(element.shadowRoot!, { subtree: true, childList: true, characterData: true });
    try {
      await until(() => labelText(element) === '和Ava聊聊', 'Chinese');
      expect([...labels]).to.deep.equal(['和Ava聊聊']);
      expect(part(element, 'launcher')!.getAttribute('aria-label')).to.equal('和Ava聊聊');
    } finally {
      observer.disconnect();
      element.remove();
    }
  });

  it('shows the page’s own words: a property, deep and partial, with placeholders', async () => {
    const element = await mount({ mode: 'inline', locale: 'fr' });
    await until(() => startText(element) === 'Commencer la conversation', 'French');
    element.strings = { start: 'C’est parti', dialogLabel: 'Votre conseillère {name}', status: { idle: 'Bonjour !' } };
    await until(() => startText(element) === 'C’est parti', 'the page’s start');
    expect(statusOf(element)).to.equal('Bonjour !');
    expect(part(element, 'panel')!.getAttribute('aria-label')).to.equal('Votre conseillère Ava');
    // The rest stays French.
    expect(part(element, 'mic-button')?.getAttribute('aria-label') ?? 'Micro').to.equal('Micro');
  });

  it('reads the strings attribute as JSON, and skips bad JSON with one warning and no error', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      const good = await mount({ strings: '{"talkTo": "Chat with {name}", "status": {"idle": "Hi there"}}' });
      await until(() => labelText(good) === 'Chat with Ava', 'the page’s launcher');

      const bad = await mount({ mode: 'inline', strings: '{"start": "Go",}' });
      await until(() => warnings.length > 0, 'the warning');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(startText(bad)).to.equal('Start conversation');
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.match(/^<equos-avatar>: strings: the attribute is not valid JSON/);
    } finally {
      console.warn = warn;
    }
  });

  it('speaks the conversation’s words in the widget’s language, with the page’s over them', async () => {
    const live = fakeLive();
    const element = await mount({ open: '', locale: 'he', strings: '{"send": "לשלוח עכשיו"}' }, live);
    await until(() => startText(element) === 'להתחיל שיחה', 'Hebrew');
    part(element, 'start-button')!.click();
    await until(() => live.adapters[0]?.connected !== undefined, 'the adapter to connect');
    live.adapters[0]!.emit({ type: 'connected', avatarPresent: true });
    await element.updateComplete;
    await until(() => part<HTMLInputElement>(element, 'text-input')?.placeholder === 'הודעה אל \u2068Ava\u2069…', 'the Hebrew placeholder');
    expect(part(element, 'captions-button')!.getAttribute('aria-label')).to.equal('כתוביות');
    expect(part(element, 'send-button')!.getAttribute('aria-label')).to.equal('לשלוח עכשיו');
    element.stop();
    await until(() => element.state.name === 'ended', 'the end');
    expect(part(element, 'message')!.textContent!.trim()).to.match(/^שוחחת עם \u2068Ava\u2069 במשך 0:0\d\.$/);
  });
});
