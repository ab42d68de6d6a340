/**
 * The conversation's text side through `<equos-avatar>`: captions, the transcript, typing,
 * the page's context and the events of Equos' real-time channel, with the real token server
 * and a fake real-time adapter that plays the avatar's messages.
 */
import { expect } from 'chai';
import type { AgentMessage, Utterance } from '../../contract/equos/realtime.js';
import { MAX_CONTEXT_CHARS } from '../../contract/equos/realtime.js';
import { installApi } from '../src/api.js';
import type { EquosAvatarElement } from '../src/equos-avatar.element.js';
import { axeViolations, fakeLive, liveCall, mount, part, recordHeartbeats, unmountAll, until, type FakeAdapter } from './fixtures.js';

async function live(attributes: Record<string, string> = {}) {
  const call = await liveCall(attributes);
  expect(call.element.state.name).to.equal('live');
  return call;
}

async function say(element: EquosAvatarElement, adapter: FakeAdapter, ...messages: AgentMessage[]) {
  for (const message of messages) adapter.emit({ type: 'agent-message', message });
  await element.updateComplete;
}

const agent = (content: string, finished: boolean): AgentMessage => ({
  type: 'utterance',
  utterance: { author: 'agent', content, finished, recordedAt: '2026-12-01T10:00:00.000Z' } satisfies Utterance,
});

const captionOf = (element: EquosAvatarElement) => part(element, 'captions')?.textContent ?? null;
const linesOf = (element: EquosAvatarElement) =>
  [...element.shadowRoot!.querySelectorAll('[part~="line"]')].map((line) => `${line.querySelector('.line__who')!.textContent}: ${line.querySelector('.line__text')!.textContent}`);

function type(element: EquosAvatarElement, text: string) {
  const input = part<HTMLInputElement>(element, 'text-input')!;
  input.value = text;
  input.form!.requestSubmit();
}

describe('<equos-avatar>: captions, transcript, typing and page context', () => {
  afterEach(unmountAll);

  it('captions what the avatar says: partials in place, the finished line for a while, an interrupt clears it', async () => {
    const { element, adapter } = await live();
    expect(captionOf(element)).to.equal(null);
    await say(element, adapter, agent('Hi! I', false));
    expect(captionOf(element)).to.equal('Hi! I');
    await say(element, adapter, agent("Hi! I'm Ava", false));
    expect(captionOf(element)).to.equal("Hi! I'm Ava");
    await say(element, adapter, agent("Hi! I'm Ava.", true));
    expect(captionOf(element)).to.equal("Hi! I'm Ava.");
    // A finished line stays long enough to be read, then goes.
    await until(() => false, 'nothing', 1500).catch(() => {});
    expect(captionOf(element)).to.equal("Hi! I'm Ava.");
    // It goes 4 s after it finished; the wait is wider because a loaded machine delays Firefox's timers (CI once missed 5 s).
    await until(() => captionOf(element) === null, 'the caption to go', 15_000);

    await say(element, adapter, agent('Let me tell you', false));
    expect(captionOf(element)).to.equal('Let me tell you');
    await say(element, adapter, { type: 'interrupt' });
    expect(captionOf(element)).to.equal(null);
    part(element, 'transcript-button')!.click();
    await element.updateComplete;
    expect(linesOf(element)).to.deep.equal(["Ava: Hi! I'm Ava.", 'Ava: Let me tell you']);
    expect(element.shadowRoot!.querySelectorAll('.line--interrupted')).to.have.length(1);
  });

  it('turns captions off with the CC button, and remembers it for the next call on the page', async () => {
    const first = await live();
    const button = part(first.element, 'captions-button')!;
    expect(button.getAttribute('aria-pressed')).to.equal('true');
    expect(button.getAttribute('aria-label')).to.equal('Captions');
    button.click();
    await first.element.updateComplete;
    expect(button.getAttribute('aria-pressed')).to.equal('false');
    await say(first.element, first.adapter, agent('Not shown', false));
    expect(captionOf(first.element)).to.equal(null);
    first.element.stop();
    await until(() => first.element.state.name === 'ended', 'the end');

    const second = await live();
    expect(part(second.element, 'captions-button')!.getAttribute('aria-pressed')).to.equal('false');
    await say(second.element, second.adapter, agent('Still not shown', false));
    expect(captionOf(second.element)).to.equal(null);
    part(second.element, 'captions-button')!.click();
    await second.element.updateComplete;
    expect(captionOf(second.element)).to.equal('Still not shown');
  });

  it('keeps a transcript of both sides (role=log) that stays readable after the call', async () => {
    const { element, adapter } = await live();
    const transcript = part(element, 'transcript')!;
    expect(transcript.getAttribute('role')).to.equal('log');
    expect(transcript.hidden).to.equal(true);
    const toggle = part(element, 'transcript-button')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    toggle.click();
    await element.updateComplete;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect(transcript.hidden).to.equal(false);

    await say(element, adapter, agent('Hello', false));
    expect(transcript.getAttribute('aria-busy')).to.equal('true');
    await say(element, adapter, agent('Hello there.', true), { type: 'utterance', utterance: { author: 'user', content: '(spoke for 1.2 s)', finished: true, recordedAt: '' } });
    expect(transcript.getAttribute('aria-busy')).to.equal('false');
    type(element, 'Do you ship to Canada?');
    await element.updateComplete;
    expect(linesOf(element)).to.deep.equal(['Ava: Hello there.', 'You: (spoke for 1.2 s)', 'You: Do you ship to Canada?']);

    element.stop();
    await until(() => element.state.name === 'ended', 'the end');
    expect(part(element, 'conversation')!.hidden).to.equal(false);
    expect(part(element, 'text-input')!.hidden).to.equal(true);
    expect(linesOf(element)).to.have.length(3);
    expect(await axeViolations(part(element, 'panel')!)).to.deep.equal([]);
  });

  it('copies the transcript as plain text', async () => {
    const { element, adapter } = await live();
    let copied: string | undefined;
    const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard')!;
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (text: string) => void (copied = text) } });
    try {
      await say(element, adapter, agent('Welcome.', true));
      type(element, 'Thanks');
      part(element, 'transcript-button')!.click();
      await element.updateComplete;
      part(element, 'copy-button')!.click();
      await until(() => copied !== undefined, 'the copy');
      expect(copied).to.equal('Ava: Welcome.\nYou: Thanks');
    } finally {
      delete (navigator as unknown as Record<string, unknown>)['clipboard'];
      Object.defineProperty(Navigator.prototype, 'clipboard', original);
    }
  });

  it('sends what the visitor types to the avatar, only once the avatar is there, and fires equos-utterance for both sides', async () => {
    const fake = fakeLive();
    const element = await mount({ open: '' }, fake);
    const utterances: string[] = [];
    element.addEventListener('equos-utterance', (event) => utterances.push(`${event.detail.author}:${event.detail.content}:${event.detail.finished}`));
    part(element, 'start-button')!.click();
    await until(() => fake.adapters[0]?.connected !== undefined, 'the adapter to connect');
    const adapter = fake.adapters[0]!;
    adapter.emit({ type: 'connected', avatarPresent: false });
    await element.updateComplete;
    const input = part<HTMLInputElement>(element, 'text-input')!;
    expect(input.disabled, 'no avatar to read it yet').to.equal(true);
    expect(input.getAttribute('aria-label')).to.equal('Type a message');
    expect(input.placeholder).to.equal('Type to Ava…');
    adapter.emit({ type: 'avatar-joined' });
    await element.updateComplete;
    expect(input.disabled).to.equal(false);

    type(element, '   ');
    type(element, '  What does it cost?  ');
    await element.updateComplete;
    expect(adapter.sent).to.deep.equal([{ type: 'usr.txt', text: 'What does it cost?' }]);
    expect(input.value).to.equal('');
    expect(element.shadowRoot!.activeElement).to.equal(input);
    await say(element, adapter, agent('It', false), agent('It is free.', true));
    expect(utterances).to.deep.equal(['user:What does it cost?:true', 'agent:It:false', 'agent:It is free.:true']);
  });

  it('tells the avatar the page context when it joins and whenever it changes (attribute, property, EquosAvatar.setContext)', async () => {
    const fake = fakeLive();
    const element = await mount({ open: '', context: 'Page: pricing' }, fake);
    part(element, 'start-button')!.click();
    await until(() => fake.adapters[0]?.connected !== undefined, 'the adapter to connect');
    const adapter = fake.adapters[0]!;
    adapter.emit({ type: 'connected', avatarPresent: false });
    await element.updateComplete;
    expect(adapter.sent, 'nobody to tell yet').to.deep.equal([]);
    adapter.emit({ type: 'avatar-joined' });
    await element.updateComplete;
    expect(adapter.sent).to.deep.equal([{ type: 'context', content: 'Page: pricing' }]);

    element.context = 'Page: pricing; plan: Pro';
    await element.updateComplete;
    element.setAttribute('context', 'Page: pricing; plan: Pro');
    await element.updateComplete;
    installApi();
    (window as unknown as { EquosAvatar: { setContext(text: string): void } }).EquosAvatar.setContext('Page: checkout');
    await element.updateComplete;
    expect(adapter.sent.map((message) => message.type === 'context' && message.content)).to.deep.equal(['Page: pricing', 'Page: pricing; plan: Pro', 'Page: checkout']);
  });

  it('cuts an over-long context with one warning naming the limit', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    try {
      const { element, adapter } = await live({ context: 'x'.repeat(MAX_CONTEXT_CHARS + 50) });
      element.context = 'y'.repeat(MAX_CONTEXT_CHARS + 10);
      await element.updateComplete;
      expect(adapter.sent.map((message) => message.type === 'context' && message.content.length)).to.deep.equal([MAX_CONTEXT_CHARS, MAX_CONTEXT_CHARS]);
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain(`only the first ${MAX_CONTEXT_CHARS} are sent`);
    } finally {
      console.warn = warn;
    }
  });

  it('fires equos-trigger for the page to act on', async () => {
    const { element, adapter } = await live();
    const triggers: unknown[] = [];
    document.addEventListener('equos-trigger', (event) => triggers.push(event.detail), { once: true });
    await say(element, adapter, { type: 'trigger', name: 'show_pricing', params: { plan: 'pro' } });
    expect(triggers).to.deep.equal([{ name: 'show_pricing', params: { plan: 'pro' } }]);
  });

  it('counts down and announces it when the avatar says the session expires soon, and ends by its clock', async () => {
    const { element, adapter } = await live();
    const expiring: number[] = [];
    element.addEventListener('equos-expire-soon', (event) => expiring.push(event.detail.secondsRemaining));
    expect(part(element, 'countdown')).to.equal(null);
    await say(element, adapter, { type: 'expire_soon', seconds_remaining: 90 });
    expect(expiring).to.deep.equal([90]);
    await until(() => part(element, 'countdown') !== null, 'the countdown');
    expect(part(element, 'countdown')!.textContent).to.match(/^1:2\d left$/);
    await until(() => !!element.shadowRoot!.querySelector('.conversation [role="status"]')?.textContent, 'the announcement');
    expect(element.shadowRoot!.querySelector('.conversation [role="status"]')!.textContent).to.equal('The conversation ends in 90 seconds.');

    await say(element, adapter, { type: 'expire_soon', seconds_remaining: 3 });
    await until(() => element.state.name === 'ended', 'the end by the avatar’s clock', 4000);
    expect(element.state.name === 'ended' && element.state.reason).to.equal('max-duration');
  });

  it('sends page-vars with the session request, and warns once about an unusable value', async () => {
    const bodies: unknown[] = [];
    const originalFetch = window.fetch;
    window.fetch = (input, init) => {
      if (String(input).endsWith('/api/sessions')) bodies.push(JSON.parse(String(init?.body)));
      return originalFetch(input, init);
    };
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    try {
      const { element } = await live({ preset: 'page-vars', 'page-vars': '{"product":"Pro plan","page_title":"Pricing"}' });
      expect(bodies).to.deep.equal([{ preset: 'page-vars', page_vars: { product: 'Pro plan', page_title: 'Pricing' } }]);
      element.stop();
      await until(() => element.state.name === 'ended', 'the end');

      const broken = await live({ 'page-vars': '{product: Pro}' });
      expect(bodies[1]).to.deep.equal({});
      expect(warnings.filter((warning) => warning.includes('page-vars'))).to.have.length(1);
      expect(warnings[0]).to.contain('page-vars is not JSON');
      broken.element.stop();
    } finally {
      window.fetch = originalFetch;
      console.warn = warn;
    }
  });

  it('ignores what it does not understand, and shows nothing of the text side before a call', async () => {
    const fake = fakeLive();
    const element = await mount({ open: '' }, fake);
    expect(part(element, 'conversation')?.hidden ?? true).to.equal(true);
    part(element, 'start-button')!.click();
    await until(() => fake.adapters[0]?.connected !== undefined, 'the adapter to connect');
    const adapter = fake.adapters[0]!;
    adapter.emit({ type: 'connected', avatarPresent: true });
    await say(element, adapter, { type: 'error', code: 'agent-failed' });
    expect(element.state.name).to.equal('live');
    expect(linesOf(element)).to.deep.equal([]);
  });
  it('tells the token server with each heartbeat how long nobody has spoken or typed (idle_s), from the start, a line heard and a line typed', async () => {
    const { beats, restore } = recordHeartbeats();
    try {
      const { element, adapter } = await live();
      // The stack beats every second: the idle time grows from the start of the call.
      await until(() => beats.length >= 3, 'three heartbeats', 6000);
      expect(beats.slice(0, 3)).to.deep.equal([...beats.slice(0, 3)].sort((a, b) => a - b));
      expect(beats[2]).to.be.at.least(2);
      // A line of the visitor's, heard by the avatar, is activity.
      await say(element, adapter, { type: 'utterance', utterance: { author: 'user', content: '(spoke for 1.2 s)', finished: true, recordedAt: '2026-12-01T10:00:00.000Z' } });
      let seen = beats.length;
      await until(() => beats.length > seen, 'the next heartbeat', 3000);
      expect(beats.at(-1)).to.be.at.most(1);
      await until(() => beats.length > seen + 2, 'two more', 4000);
      expect(beats.at(-1)).to.be.at.least(2);
      // So is a line typed.
      type(element, 'Still here');
      seen = beats.length;
      await until(() => beats.length > seen, 'the next heartbeat', 3000);
      expect(beats.at(-1)).to.be.at.most(1);
      element.stop();
    } finally {
      restore();
    }
  });
});
