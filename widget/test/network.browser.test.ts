/**
 * A call on a real network (issue 14): the connection's quality as LiveKit reports it, audio
 * only offered on a weak link, falling back to it by itself and coming back, and "Still
 * there?" sooner for a call nobody sees or hears. Against the real token server and Equos
 * double, with a fake real-time adapter driven by the test (the real one, against the
 * sandbox's faults, is in ../e2e/widget.e2e.test.ts).
 */
import { expect } from 'chai';
import { equosCalls } from '../../sandbox/testing/sandbox-commands.js';
import type { EquosAvatarElement } from '../src/equos-avatar.element.js';
import { liveCall, messageOf, part, unmountAll, until } from './fixtures.js';

/** Every `equos-quality-change` detail, as JSON. */
function recordQuality(element: EquosAvatarElement): string[] {
  const heard: string[] = [];
  element.addEventListener('equos-quality-change', (event) => heard.push(JSON.stringify(event.detail)));
  return heard;
}

/** The link's note under the stage (a polite region of its own), or null while it is hidden. */
function noteOf(element: EquosAvatarElement): string | null {
  const note = part(element, 'link-note');
  return note && !note.hidden ? note.querySelector('p')!.textContent : null;
}

const video = () => {
  const element = document.createElement('video');
  element.muted = true;
  return element;
};

describe('<equos-avatar>: the network', () => {
  afterEach(unmountAll);

  it('shows the quality LiveKit reports, from the first report on, with a label and bars, and tells the page', async () => {
    const { element, adapter } = await liveCall();
    const heard = recordQuality(element);
    // Before any report: no indicator (nothing is known yet).
    expect(part(element, 'quality')!.hidden).to.equal(true);
    adapter.emit({ type: 'quality', quality: 'excellent' });
    await element.updateComplete;
    const indicator = part(element, 'quality')!;
    expect(indicator.hidden).to.equal(false);
    expect(indicator.getAttribute('role')).to.equal('img');
    expect(indicator.getAttribute('aria-label')).to.equal('Connection: excellent');
    expect(indicator.querySelectorAll('.on').length).to.equal(4);
    adapter.emit({ type: 'quality', quality: 'good' });
    await element.updateComplete;
    expect([indicator.getAttribute('aria-label'), indicator.querySelectorAll('.on').length]).to.deep.equal(['Connection: good', 3]);
    // In the header, beside the minimise button; nothing under the stage on a good link.
    expect(indicator.parentElement!.classList.contains('panel__header')).to.equal(true);
    expect(noteOf(element)).to.equal(null);
    expect(heard).to.deep.equal(['{"quality":"excellent","audioOnly":false}', '{"quality":"good","audioOnly":false}']);
    element.stop();
    await until(() => element.state.name === 'ended', 'the end');
    // Out of the room, nothing of the link shows.
    expect(part(element, 'quality')!.hidden).to.equal(true);
    expect(noteOf(element)).to.equal(null);
  });

  it('offers audio only on a weak link and says so; chosen, the video stops and the picture says why; the video comes back on request', async () => {
    const { element, adapter } = await liveCall();
    adapter.emit({ type: 'avatar-video', element: video() });
    const heard = recordQuality(element);
    adapter.emit({ type: 'quality', quality: 'poor' });
    await element.updateComplete;
    expect(part(element, 'quality')!.getAttribute('aria-label')).to.equal('Connection: poor');
    const offer = part<HTMLButtonElement>(element, 'link-button')!;
    expect([offer.hidden, offer.textContent]).to.deep.equal([false, 'Audio only']);
    expect(noteOf(element)).to.equal('Your connection is weak. Switch to audio only if the video stutters.');
    // Under the stage, read politely, leaving the captions over the video clear.
    const note = part(element, 'link-note')!;
    expect([note.previousElementSibling!.getAttribute('part'), note.getAttribute('role'), note.getAttribute('aria-live')]).to.deep.equal(['stage', 'status', 'polite']);
    // Still the video while only offered.
    expect(part(element, 'video')).to.not.equal(null);

    offer.click();
    await element.updateComplete;
    expect(adapter.videoReceived).to.deep.equal([false]);
    expect(part(element, 'video')).to.equal(null);
    expect(noteOf(element)).to.equal('Audio only: you hear Ava without video.');
    expect(messageOf(element)).to.equal('');
    expect(offer.textContent).to.equal('Turn video on');
    // The call goes on: the microphone, typing and hang-up still work.
    expect(part<HTMLButtonElement>(element, 'mic-button')!.disabled).to.equal(false);
    expect(part<HTMLInputElement>(element, 'text-input')!.disabled).to.equal(false);
    // A better link does not undo the visitor's choice.
    adapter.emit({ type: 'quality', quality: 'excellent' });
    await element.updateComplete;
    expect(part(element, 'video')).to.equal(null);

    offer.click();
    await element.updateComplete;
    expect(adapter.videoReceived).to.deep.equal([false, true]);
    expect(part(element, 'video')).to.not.equal(null);
    expect(noteOf(element)).to.equal(null);
    expect(heard).to.deep.equal([
      '{"quality":"poor","audioOnly":false}',
      '{"quality":"poor","audioOnly":true,"reason":"visitor"}',
      '{"quality":"excellent","audioOnly":true}',
      '{"quality":"excellent","audioOnly":false,"reason":"visitor"}',
    ]);
  });

  it('falls back to audio only when the link stays weak, and brings the video back by itself once the link is good', async () => {
    const { element, adapter } = await liveCall();
    adapter.emit({ type: 'avatar-video', element: video() });
    const heard = recordQuality(element);
    adapter.emit({ type: 'quality', quality: 'lost' });
    await element.updateComplete;
    // Weak for 6 s without getting better: audio only, said over the picture (and announced by the panel).
    await until(() => element.state.name === 'live' && element.state.link.name === 'audio-fallback', 'the fallback', 8000);
    await element.updateComplete;
    expect(adapter.videoReceived).to.deep.equal([false]);
    expect(part(element, 'video')).to.equal(null);
    expect(noteOf(element)).to.equal('Weak connection: you hear Ava without video until it gets better.');
    expect(part(element, 'link-button')!.textContent).to.equal('Turn video on');
    // Poor is still weak: no video yet.
    adapter.emit({ type: 'quality', quality: 'poor' });
    await element.updateComplete;
    expect(part(element, 'video')).to.equal(null);
    adapter.emit({ type: 'quality', quality: 'good' });
    await element.updateComplete;
    expect(adapter.videoReceived).to.deep.equal([false, true]);
    expect(part(element, 'video')).to.not.equal(null);
    expect(noteOf(element)).to.equal('Your connection is better, so the video is back.');
    expect(part(element, 'link-button')!.hidden).to.equal(true);
    // Said, it goes after a while.
    await until(() => noteOf(element) === null, 'the recovery note to go', 7000);
    expect(heard).to.deep.equal([
      '{"quality":"lost","audioOnly":false}',
      '{"quality":"lost","audioOnly":true,"reason":"network"}',
      '{"quality":"poor","audioOnly":true}',
      '{"quality":"good","audioOnly":false,"reason":"recovered"}',
    ]);
  });

  it('does not fall back when the link gets better in time, nor after the visitor asked for the video on a weak link', async () => {
    const { element, adapter } = await liveCall();
    adapter.emit({ type: 'quality', quality: 'poor' });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    adapter.emit({ type: 'quality', quality: 'good' });
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(adapter.videoReceived).to.deep.equal([]);
    // Weak again, audio only chosen, then the video asked back while still weak: it stays.
    adapter.emit({ type: 'quality', quality: 'poor' });
    await element.updateComplete;
    part(element, 'link-button')!.click();
    await element.updateComplete;
    part(element, 'link-button')!.click();
    await element.updateComplete;
    expect(adapter.videoReceived).to.deep.equal([false, true]);
    await new Promise((resolve) => setTimeout(resolve, 6500));
    expect(adapter.videoReceived).to.deep.equal([false, true]);
    expect(element.state.name === 'live' && element.state.link).to.deep.equal({ name: 'video-weak', quality: 'poor', fallback: false });
  }).timeout(20_000);

  it('asks "Still there?" sooner in a call nobody sees and nobody speaks in (a third of idle-timeout), and tells the page', async () => {
    // idle-timeout 6 s: seen, asked after 6 s; minimised and silent, after 2 s.
    const { element, adapter } = await liveCall({ 'idle-timeout': '6' });
    const warnings: number[] = [];
    element.addEventListener('equos-idle-warning', (event) => warnings.push(event.detail.secondsRemaining));
    element.close();
    await element.updateComplete;
    const minimisedAt = performance.now();
    await until(() => element.state.name === 'idle-check', 'Still there? in a minimised call', 4000);
    expect(performance.now() - minimisedAt).to.be.within(1500, 3500);
    expect(warnings).to.deep.equal([6]);
    // Answered, and minimised again at once while the avatar speaks: that is not silence, even
    // unseen (3 s later, past the unseen bound but not idle-timeout, still live).
    element.open();
    await element.updateComplete;
    part(element, 'continue-button')!.click();
    await element.updateComplete;
    adapter.emit({ type: 'avatar-speaking', speaking: true });
    element.close();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(element.state.name).to.equal('live');
    element.stop();
    await until(() => element.state.name === 'ended', 'the end');
  }).timeout(20_000);

  it('ends an unseen, silent call nobody answers, with one stop', async () => {
    const { element } = await liveCall({ 'idle-timeout': '1.5' });
    const sessionId = element.state.name === 'live' ? element.state.session.session_id : '';
    element.close();
    await until(() => element.state.name === 'ended', 'the end of a forgotten call', 5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await equosCalls('stop', sessionId)).to.equal(1);
  });
});
