/**
 * A conversation through `<equos-avatar>`, with the real token server and Equos double and a
 * fake real-time adapter driven by the test: every state's words, the events and methods,
 * and that every session the widget starts gets stopped.
 */
import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import { equosCalls, equosFault } from '../../sandbox/testing/sandbox-commands.js';
import { tokenServerUrl } from '../../testing/stack-commands.js';
import type { EquosAvatarElement } from '../src/equos-avatar.element.js';
import { machineCanMove } from './machine-moves.js';
import type { StateName } from '../src/call/machine.js';
import { fakeLive, messageOf, mount, part, recordHeartbeats, statusOf, unmountAll, until, type FakeAdapter } from './fixtures.js';

/** Mounts an open widget, starts a conversation, and returns it with its adapter once connected. */
async function started(attributes: Record<string, string> = {}) {
  const live = fakeLive();
  const element = await mount({ open: '', ...attributes }, live);
  const events: string[] = [];
  for (const type of ['equos-state-change', 'equos-session-start', 'equos-session-end', 'equos-error'] as const) {
    element.addEventListener(type, (event) => events.push(`${type} ${JSON.stringify(event.detail)}`));
  }
  part(element, 'start-button')!.click();
  await until(() => live.adapters[0]?.connected !== undefined, 'the adapter to connect');
  const adapter = live.adapters[0]!;
  return { element, adapter, events, sessionId: element.state.name === 'connecting' ? element.state.session.session_id : '' };
}

/** The panel's polite live region, beside it (the conversation and the link have their own). */
const panelAnnouncer = (element: EquosAvatarElement) => element.shadowRoot!.querySelector('.panel + [role="status"]')!;

/** The part name of the control that has focus in the widget. */
const focusedPart = (element: EquosAvatarElement) => element.shadowRoot!.activeElement?.getAttribute('part') ?? null;

async function emit(element: EquosAvatarElement, adapter: FakeAdapter, ...events: Parameters<FakeAdapter['emit']>[0][]) {
  for (const event of events) adapter.emit(event);
  await element.updateComplete;
}


/** Minimises the panel and opens it again from the keyboard (the launcher focused, Enter). */
async function reopenFromKeyboard(element: EquosAvatarElement): Promise<void> {
  element.close();
  await element.updateComplete;
  part(element, 'launcher')!.focus();
  await sendKeys({ press: 'Enter' });
  await element.updateComplete;
}
describe('<equos-avatar>: a conversation', () => {
  afterEach(unmountAll);

  it('goes through every state with its words, and stops the session on hang-up', async () => {
    const { element, adapter, events, sessionId } = await started();
    expect(sessionId).to.match(/^ses_/);
    expect(statusOf(element)).to.equal('Connecting…');
    expect(adapter.connected).to.include({ avatarIdentity: 'sandbox-avatar' });
    expect(adapter.connected!.token).to.match(/^ey/);
    expect(adapter.connected!.microphone?.kind).to.equal('audio');

    await emit(element, adapter, { type: 'connected', avatarPresent: false });
    expect(statusOf(element)).to.equal('Ava is joining…');
    await emit(element, adapter, { type: 'avatar-joined' });
    expect(statusOf(element)).to.equal('Listening');
    await emit(element, adapter, { type: 'avatar-speaking', speaking: true });
    expect(statusOf(element)).to.equal('Ava is speaking');
    await emit(element, adapter, { type: 'reconnecting' });
    expect(statusOf(element)).to.equal('Connection unstable, reconnecting…');
    expect(part(element, 'message')!.textContent).to.equal('Connection unstable, reconnecting…');
    await emit(element, adapter, { type: 'reconnected' });
    expect(statusOf(element)).to.equal('Ava is speaking');

    part(element, 'hangup-button')!.click();
    await until(() => element.state.name === 'ended', 'the end');
    expect(statusOf(element)).to.equal('Conversation ended');
    expect(messageOf(element)).to.match(/^You talked with Ava for 0:0\d\.$/);
    expect(adapter.disconnected).to.equal(true);
    expect(await equosCalls('stop', sessionId)).to.equal(1);
    expect(part(element, 'start-button')!.textContent!.trim()).to.equal('Start again');

    const states = events.filter((event) => event.startsWith('equos-state-change')).map((event) => JSON.parse(event.slice(19)).to);
    expect(states).to.deep.equal(['starting', 'connecting', 'waiting-for-avatar', 'live', 'ending', 'ended']);
    expect(events).to.include(`equos-session-start {"sessionId":"${sessionId}"}`);
    const end = events.find((event) => event.startsWith('equos-session-end'))!;
    expect(JSON.parse(end.slice(18))).to.include({ sessionId, reason: 'hangup' });
  });

  it('publishes a microphone with echo cancellation and noise suppression', async () => {
    const { element, adapter } = await started();
    // What the widget asks for: Firefox's fake microphone reports all three as off in
    // getSettings() whatever is asked (Chromium's reports them on), so the request is what a
    // test can check in both.
    const constraints = adapter.connected!.microphone!.getConstraints();
    expect(constraints).to.include({ echoCancellation: true, noiseSuppression: true, autoGainControl: true });
    element.stop();
    await until(() => element.state.name === 'ended', 'the end');
  });

  it('ends the conversation even when Equos cannot confirm the stop at once: the reaper finishes it', async () => {
    const { element, adapter, sessionId } = await started();
    await emit(element, adapter, { type: 'connected', avatarPresent: true });
    // The token server tries Equos 3 times, answers 202 "stopping"; the reaper gets through later.
    await equosFault('stop', { kind: 'status', status: 503 }, 5);
    element.stop();
    await until(() => element.state.name === 'ended', 'the end', 8000);
    let calls = 0;
    await until(async () => (calls = await equosCalls('stop', sessionId)) >= 6, 'the reaper to stop the session', 4000);
    expect(calls).to.equal(6);
  });

  it('shows the avatar video and the live indicator when minimised; only hang-up ends the call', async () => {
    const { element, adapter } = await started();
    const video = document.createElement('video');
    await emit(element, adapter, { type: 'connected', avatarPresent: true }, { type: 'avatar-video', element: video });
    expect(part(element, 'video')).to.equal(video);
    element.close();
    await element.updateComplete;
    expect(element.state.name).to.equal('live');
    expect(part(element, 'launcher')!.getAttribute('aria-label')).to.equal('Back to your conversation with Ava');
    expect(part(element, 'launcher')!.querySelector('.launcher__live')).to.not.equal(null);
    part(element, 'launcher')!.click();
    await element.updateComplete;
    expect(part(element, 'panel')!.hidden).to.equal(false);
    expect(adapter.disconnected).to.equal(false);
    element.stop();
    await until(() => element.state.name === 'ended', 'the end');
  });

  it('mutes and unmutes the microphone from the button and the method', async () => {
    const { element, adapter } = await started();
    await emit(element, adapter, { type: 'connected', avatarPresent: true });
    const mic = part(element, 'mic-button')!;
    expect(mic.getAttribute('aria-pressed')).to.equal('true');
    expect(mic.getAttribute('aria-label')).to.equal('Microphone');
    mic.click();
    await until(() => adapter.microphone.length === 1, 'mute');
    await element.updateComplete;
    expect(mic.getAttribute('aria-pressed')).to.equal('false');
    await element.setMicrophoneEnabled(true);
    await element.updateComplete;
    expect(adapter.microphone).to.deep.equal([false, true]);
    expect(mic.getAttribute('aria-pressed')).to.equal('true');
    element.stop();
  });

  it('gives up on an avatar that never joins, stops the session and says so', async () => {
    const { element, adapter, sessionId } = await started({ 'avatar-timeout': '1' });
    await emit(element, adapter, { type: 'connected', avatarPresent: false });
    await until(() => element.state.name === 'error', 'the timeout', 4000);
    expect(messageOf(element)).to.equal('Ava could not join, so the conversation was ended. Please try again.');
    expect(await equosCalls('stop', sessionId)).to.equal(1);
    expect(part(element, 'start-button')!.textContent!.trim()).to.equal('Try again');
  });

  it('ends with the right words when the avatar leaves, the server closes the room, or the connection is lost', async () => {
    const cases: Array<[Parameters<FakeAdapter['emit']>[0], string]> = [
      [{ type: 'avatar-left' }, 'Ava left the conversation.'],
      [{ type: 'disconnected', byServer: true }, 'The conversation was closed.'],
      [{ type: 'disconnected', byServer: false }, 'The connection was lost, so the conversation ended.'],
    ];
    for (const [event, words] of cases) {
      // No grace for an avatar that drops out: it ends at once (the grace has its own tests).
      const { element, adapter, sessionId } = await started({ 'avatar-grace': '0' });
      await emit(element, adapter, { type: 'connected', avatarPresent: true }, event);
      await until(() => element.state.name === 'ended' || element.state.name === 'error', words);
      expect(messageOf(element)).to.equal(words);
      expect(await equosCalls('stop', sessionId)).to.equal(1);
    }
  });

  it('waits for an avatar that drops out, and goes on when it comes back within the grace (no stop)', async () => {
    const { element, adapter, events, sessionId } = await started({ 'avatar-grace': '1' });
    await emit(element, adapter, { type: 'connected', avatarPresent: true });
    await emit(element, adapter, { type: 'avatar-left' });
    expect(element.state.name).to.equal('avatar-away');
    expect(statusOf(element)).to.equal('Ava dropped out');
    expect(messageOf(element)).to.equal('Ava dropped out. Waiting a few seconds for them to come back…');
    const announcer = panelAnnouncer(element);
    expect(announcer.getAttribute('aria-live')).to.equal('polite');
    expect(announcer.textContent).to.equal('Ava dropped out. Waiting a few seconds for them to come back…');
    expect(part<HTMLButtonElement>(element, 'hangup-button')!.disabled).to.equal(false);

    // Back (a new participant, the same identity): the call goes on.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await emit(element, adapter, { type: 'avatar-joined' });
    expect(element.state.name).to.equal('live');
    expect(statusOf(element)).to.equal('Listening');
    // Drops out again: a fresh grace (the first one's timer must not end it early).
    await new Promise((resolve) => setTimeout(resolve, 200));
    await emit(element, adapter, { type: 'avatar-left' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(element.state.name).to.equal('avatar-away');
    await emit(element, adapter, { type: 'avatar-joined' });
    // Well past every grace: still live, nothing stopped, the room kept.
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(element.state.name).to.equal('live');
    expect(adapter.disconnected).to.equal(false);
    expect(await equosCalls('stop', sessionId)).to.equal(0);
    const changes = events.filter((event) => event.startsWith('equos-state-change')).map((event) => JSON.parse(event.slice(19)));
    expect(changes.slice(3)).to.deep.equal([
      { from: 'live', to: 'avatar-away', reason: 'avatar-left' },
      { from: 'avatar-away', to: 'live', reason: 'avatar-returned' },
      { from: 'live', to: 'avatar-away', reason: 'avatar-left' },
      { from: 'avatar-away', to: 'live', reason: 'avatar-returned' },
    ]);
    element.stop();
    await until(() => element.state.name === 'ended', 'the end');
    expect(await equosCalls('stop', sessionId)).to.equal(1);
  });

  it('ends the call once an avatar that dropped out is not back within the grace: avatar-left, exactly one stop', async () => {
    const { element, adapter, events, sessionId } = await started({ 'avatar-grace': '0.5' });
    await emit(element, adapter, { type: 'connected', avatarPresent: true }, { type: 'avatar-left' });
    expect(element.state.name).to.equal('avatar-away');
    await until(() => element.state.name === 'ended', 'the end after the grace', 3000);
    expect(messageOf(element)).to.equal('Ava left the conversation.');
    expect(adapter.disconnected).to.equal(true);
    // Late room events change nothing, and nothing is stopped twice.
    adapter.emit({ type: 'avatar-joined' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(element.state.name).to.equal('ended');
    expect(await equosCalls('stop', sessionId)).to.equal(1);
    const end = events.find((event) => event.startsWith('equos-session-end'))!;
    expect(JSON.parse(end.slice(18))).to.include({ sessionId, reason: 'avatar-left' });
  });

  it('says an avatar is having trouble joining after the first bound, counts down each second, offers ending now, then ends', async () => {
    // avatar-timeout 3 s: late after 1.2 s (two fifths of it, under 10 s), ending by itself at 3 s.
    const { element, adapter, events, sessionId } = await started({ 'avatar-timeout': '3' });
    await emit(element, adapter, { type: 'connected', avatarPresent: false });
    expect(statusOf(element)).to.equal('Ava is joining…');
    expect(messageOf(element)).to.equal('');
    // The visitor reopens the panel from the keyboard: the widget puts focus on the microphone;
    // it moves to ending now once the avatar is late.
    await reopenFromKeyboard(element);
    expect(focusedPart(element)).to.equal('mic-button');

    await until(() => element.state.name === 'avatar-late', 'the late notice', 2500);
    await element.updateComplete;
    expect(statusOf(element)).to.equal('Ava is having trouble joining');
    expect(messageOf(element)).to.equal('Ava is having trouble joining. You can end the conversation now, or wait a little. It ends by itself in 2 seconds.');
    const announcer = panelAnnouncer(element);
    expect(announcer.textContent).to.equal('Ava is having trouble joining. You can end the conversation now, or wait a little.');
    const hangUp = part<HTMLButtonElement>(element, 'hangup-button')!;
    expect(hangUp.textContent!.trim()).to.equal('End conversation');
    expect(focusedPart(element)).to.equal('hangup-button');
    await until(() => messageOf(element).endsWith('ends by itself in 1 second.'), 'the countdown to tick', 1500);
    // The announcement stays as it was: the number is not read out each second.
    expect(announcer.textContent).to.equal('Ava is having trouble joining. You can end the conversation now, or wait a little.');

    await until(() => element.state.name === 'error', 'the timeout', 2500);
    expect(messageOf(element)).to.equal('Ava could not join, so the conversation was ended. Please try again.');
    expect(await equosCalls('stop', sessionId)).to.equal(1);
    const changes = events.filter((event) => event.startsWith('equos-state-change')).map((event) => JSON.parse(event.slice(19)).to);
    expect(changes).to.deep.equal(['starting', 'connecting', 'waiting-for-avatar', 'avatar-late', 'ending', 'error']);
  });

  it('goes on when a late avatar joins after all (the timeout is then ignored)', async () => {
    const { element, adapter, sessionId } = await started({ 'avatar-timeout': '2' });
    await emit(element, adapter, { type: 'connected', avatarPresent: false });
    await until(() => element.state.name === 'avatar-late', 'the late notice', 2000);
    await emit(element, adapter, { type: 'avatar-joined' });
    expect(element.state.name).to.equal('live');
    expect(part(element, 'hangup-button')!.getAttribute('aria-label')).to.equal('End conversation');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(element.state.name).to.equal('live');
    expect(await equosCalls('stop', sessionId)).to.equal(0);
    element.stop();
    await until(() => element.state.name === 'ended', 'the end');
  });

  it('asks "Still there?" once nobody has spoken or typed for idle-timeout, with a countdown and a focused Continue that goes on (no stop)', async () => {
    // idle-timeout 1.5 s: asked after 1.5 s of silence, answered within 1.5 s (min(30 s, idle-timeout)).
    const { element, adapter, events, sessionId } = await started({ 'idle-timeout': '1.5' });
    await emit(element, adapter, { type: 'connected', avatarPresent: true });
    // The visitor opened the panel from the keyboard: focus is on the microphone, then moves to Continue.
    await reopenFromKeyboard(element);
    expect(focusedPart(element)).to.equal('mic-button');
    expect(part(element, 'continue-button')).to.equal(null);

    await until(() => element.state.name === 'idle-check', 'Still there?', 3000);
    await element.updateComplete;
    expect(statusOf(element)).to.equal('Still there?');
    expect(messageOf(element)).to.match(/^Still there\? Ava has not heard from you for a while\. It ends by itself in [12] seconds?\.$/);
    expect(panelAnnouncer(element).textContent).to.equal('Still there? Ava has not heard from you for a while.');
    const answer = part<HTMLButtonElement>(element, 'continue-button')!;
    expect(answer.textContent!.trim()).to.equal('Continue');
    expect(focusedPart(element)).to.equal('continue-button');
    // The answer is activity for the token server's idle bound too: the next heartbeat's idle_s starts again.
    const { beats, restore } = recordHeartbeats();
    answer.click();
    await element.updateComplete;
    expect(element.state.name).to.equal('live');
    expect(part(element, 'continue-button')).to.equal(null);
    // Past when the unanswered question would have ended it: still live, nothing stopped.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    restore();
    expect(beats.length).to.be.at.least(1);
    expect(beats[0]).to.be.at.most(1);
    expect(element.state.name).to.equal('live');
    expect(adapter.disconnected).to.equal(false);
    expect(await equosCalls('stop', sessionId)).to.equal(0);
    const changes = events.filter((event) => event.startsWith('equos-state-change')).map((event) => JSON.parse(event.slice(19)));
    expect(changes.slice(3, 5)).to.deep.equal([
      { from: 'live', to: 'idle-check', reason: 'idle-warning' },
      { from: 'idle-check', to: 'live' },
    ]);
    element.stop();
    await until(() => element.state.name === 'ended', 'the end');
    expect(await equosCalls('stop', sessionId)).to.equal(1);
  });

  it('ends an unanswered "Still there?" with idle: its words, exactly one stop', async () => {
    const { element, adapter, events, sessionId } = await started({ 'idle-timeout': '0.5' });
    await emit(element, adapter, { type: 'connected', avatarPresent: true });
    await until(() => element.state.name === 'idle-check', 'Still there?', 2000);
    await until(() => element.state.name === 'ended', 'the end of an unanswered question', 3000);
    expect(messageOf(element)).to.equal('No one spoke for a while, so the conversation ended.');
    expect(adapter.disconnected).to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await equosCalls('stop', sessionId)).to.equal(1);
    const changes = events.filter((event) => event.startsWith('equos-state-change')).map((event) => JSON.parse(event.slice(19)));
    expect(changes.slice(3)).to.deep.equal([
      { from: 'live', to: 'idle-check', reason: 'idle-warning' },
      { from: 'idle-check', to: 'ending' },
      { from: 'ending', to: 'ended', reason: 'idle' },
    ]);
    const end = events.find((event) => event.startsWith('equos-session-end'))!;
    expect(JSON.parse(end.slice(18))).to.include({ sessionId, reason: 'idle' });
  });

  it('takes a line typed or spoken during "Still there?" as the answer, and never asks with idle-timeout 0', async () => {
    const { element, adapter, sessionId } = await started({ 'idle-timeout': '1' });
    await emit(element, adapter, { type: 'connected', avatarPresent: true });
    await until(() => element.state.name === 'idle-check', 'Still there?', 2500);
    await element.updateComplete;
    const input = part<HTMLInputElement>(element, 'text-input')!;
    expect(input.disabled).to.equal(false);
    input.value = 'Yes, sorry';
    input.form!.requestSubmit();
    await element.updateComplete;
    expect(element.state.name).to.equal('live');
    expect(adapter.sent).to.deep.include({ type: 'usr.txt', text: 'Yes, sorry' });
    // Asked again after another silence; this time the avatar hears the visitor speak.
    await until(() => element.state.name === 'idle-check', 'Still there? again', 2500);
    await emit(element, adapter, { type: 'agent-message', message: { type: 'utterance', utterance: { author: 'user', content: 'Still here', finished: true, recordedAt: '' } } });
    expect(element.state.name).to.equal('live');
    expect(await equosCalls('stop', sessionId)).to.equal(0);
    element.stop();
    await until(() => element.state.name === 'ended', 'the end');

    const quiet = await started({ 'idle-timeout': '0' });
    await emit(quiet.element, quiet.adapter, { type: 'connected', avatarPresent: true });
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(quiet.element.state.name).to.equal('live');
    quiet.element.stop();
    await until(() => quiet.element.state.name === 'ended', 'the end');
    expect(await equosCalls('stop', quiet.sessionId)).to.equal(1);
  });

  it('sends heartbeats, and ends when the token server says the session is over', async () => {
    const { element, adapter } = await started();
    await emit(element, adapter, { type: 'connected', avatarPresent: true });
    const session = element.state.name === 'live' ? element.state.session : undefined;
    expect(session!.heartbeat_interval_s).to.equal(1);
    // The session is stopped elsewhere (another tab, the site's back office).
    const stopped = await fetch(`${await tokenServerUrl()}/api/sessions/${session!.session_id}/stop`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: session!.stop_token,
    });
    expect(stopped.status).to.equal(200);
    await until(() => element.state.name === 'ended', 'the heartbeat to notice', 4000);
    expect(messageOf(element)).to.equal('The conversation was closed.');
  });

  it('counts down in the last minute of the maximum duration', async () => {
    const { element, adapter } = await started({ preset: 'short' });
    await emit(element, adapter, { type: 'connected', avatarPresent: true });
    await until(() => part(element, 'countdown') !== null, 'the countdown');
    expect(part(element, 'countdown')!.textContent).to.match(/^0:2\d left$/);
    element.stop();
  });

  it('reports a conversation file that fails to load through the state machine, and keeps the error until a retry', async () => {
    const live = fakeLive();
    let loads = 0;
    const flaky = { adapters: live.adapters, load: () => (++loads === 1 ? Promise.reject(new TypeError('Failed to fetch')) : live.load()) };
    const element = await mount({}, flaky);
    const changes: Array<{ from: StateName; to: StateName }> = [];
    element.addEventListener('equos-state-change', (event) => changes.push({ from: event.detail.from, to: event.detail.to }));
    element.start();
    await until(() => element.state.name === 'error', 'the load failure');
    expect(element.state).to.deep.equal({ name: 'error', cause: 'load-failed' });

    // The file loads later (the visitor hovers the launcher): the error stays, silently.
    part(element, 'launcher')!.dispatchEvent(new PointerEvent('pointerenter'));
    await until(() => loads === 2, 'the second load');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await element.updateComplete;
    expect(element.state.name).to.equal('error');
    expect(part(element, 'start-button')!.textContent!.trim()).to.equal('Try again');

    part(element, 'start-button')!.click();
    await until(() => live.adapters[0]?.connected !== undefined, 'the retry to connect');
    expect(changes.map(({ from, to }) => `${from}→${to}`)).to.deep.equal(['idle→starting', 'starting→error', 'error→starting', 'starting→connecting']);
    for (const [index, change] of changes.entries()) {
      expect(machineCanMove(change.from, change.to), `${change.from}→${change.to} is a move the machine makes`).to.equal(true);
      if (index > 0) expect(change.from).to.equal(changes[index - 1]!.to);
    }
    element.stop();
    await until(() => element.state.name === 'ended', 'the end');
  });


  it('explains token server failures: unknown preset, Equos failing, unreachable server', async () => {
    const unknown = await mount({ open: '', preset: 'ghost' });
    part(unknown, 'start-button')!.click();
    await until(() => unknown.state.name === 'error', 'the error');
    expect(messageOf(unknown)).to.equal('This avatar is not available.');

    await equosFault('create', { kind: 'status', status: 500 });
    const failing = await mount({ open: '' });
    const errors: string[] = [];
    failing.addEventListener('equos-error', (event) => errors.push(event.detail.code));
    part(failing, 'start-button')!.click();
    await until(() => failing.state.name === 'error', 'the error');
    expect(messageOf(failing)).to.equal('The avatar service could not start the conversation. Please try again.');
    expect(errors).to.deep.equal(['equos-failed']);

    const unreachable = await mount({ open: '', server: 'http://127.0.0.1:9' });
    part(unreachable, 'start-button')!.click();
    await until(() => unreachable.state.name === 'error', 'the error');
    expect(messageOf(unreachable)).to.equal('The conversation service cannot be reached. Check your connection and try again.');
  });

  it('goes ahead by text when the microphone is refused, and takes the microphone when the visitor allows it later', async () => {
    const original = navigator.mediaDevices.getUserMedia;
    let allowed = false;
    navigator.mediaDevices.getUserMedia = (constraints) => (allowed ? original.call(navigator.mediaDevices, constraints) : Promise.reject(new DOMException('denied', 'NotAllowedError')));
    const permissions = navigator.permissions.query;
    navigator.permissions.query = () => Promise.resolve({ state: 'prompt' } as PermissionStatus);
    try {
      const { element, adapter } = await started();
      expect(adapter.connected!.microphone).to.equal(undefined);
      await emit(element, adapter, { type: 'connected', avatarPresent: true });
      expect(element.state.name).to.equal('live');
      expect(part(element, 'notice')!.textContent).to.equal('No microphone: you can listen to Ava and type your replies.');
      const announcer = element.shadowRoot!.querySelector('.conversation [role="status"]')!;
      await until(() => announcer.textContent !== '', 'the announcement');
      expect(announcer.textContent).to.equal('No microphone: you can listen to Ava and type your replies.');
      expect(part(element, 'mic-button')!.getAttribute('aria-pressed')).to.equal('false');
      expect(part<HTMLInputElement>(element, 'text-input')!.disabled).to.equal(false);

      // Still refused: nothing changes.
      part(element, 'mic-button')!.click();
      await until(() => false, 'nothing', 200).catch(() => {});
      expect(adapter.published).to.have.length(0);
      expect(part(element, 'notice')!.hidden).to.equal(false);

      allowed = true;
      part(element, 'mic-button')!.click();
      await until(() => adapter.published.length === 1, 'the microphone to be published');
      await element.updateComplete;
      expect(adapter.published[0]!.kind).to.equal('audio');
      expect(part(element, 'mic-button')!.getAttribute('aria-pressed')).to.equal('true');
      expect(part(element, 'notice')!.hidden).to.equal(true);
      element.stop();
      await until(() => element.state.name === 'ended', 'the end');
      expect(adapter.published[0]!.readyState).to.equal('ended');
    } finally {
      navigator.mediaDevices.getUserMedia = original;
      navigator.permissions.query = permissions;
    }
  });

  it('still explains a browser that cannot make calls at all, and starts no session', async () => {
    const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'mediaDevices')!;
    Object.defineProperty(navigator, 'mediaDevices', { configurable: true, get: () => undefined });
    const permissions = navigator.permissions.query;
    navigator.permissions.query = () => Promise.resolve({ state: 'prompt' } as PermissionStatus);
    try {
      const before = await equosCalls('create');
      const element = await mount({ open: '' });
      part(element, 'start-button')!.click();
      await until(() => element.state.name === 'error', 'the error');
      expect(element.state.name === 'error' && element.state.cause).to.equal('unsupported-browser');
      expect(await equosCalls('create')).to.equal(before);
    } finally {
      delete (navigator as unknown as Record<string, unknown>)['mediaDevices'];
      Object.defineProperty(Navigator.prototype, 'mediaDevices', original);
      navigator.permissions.query = permissions;
    }
  });

  it('lets the page veto a start with equos-request-start', async () => {
    const element = await mount({ open: '' });
    element.addEventListener('equos-request-start', (event) => event.preventDefault());
    const before = await equosCalls('create');
    element.start();
    await element.updateComplete;
    expect(element.state.name).to.equal('idle');
    expect(await equosCalls('create')).to.equal(before);
  });

  it('stops the session when the element is removed from the page', async () => {
    const { element, adapter, sessionId } = await started();
    await emit(element, adapter, { type: 'connected', avatarPresent: true });
    element.remove();
    await until(() => adapter.disconnected, 'the disconnect');
    await until(() => false, 'nothing', 300).catch(() => {});
    expect(await equosCalls('stop', sessionId)).to.equal(1);
  });

  it('keeps the session when the element is only moved', async () => {
    const { element, adapter } = await started();
    await emit(element, adapter, { type: 'connected', avatarPresent: true });
    const holder = document.createElement('div');
    document.body.append(holder);
    holder.append(element);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(element.state.name).to.equal('live');
    expect(adapter.disconnected).to.equal(false);
    element.stop();
    await until(() => element.state.name === 'ended', 'the end');
    holder.remove();
  });

  it('cancels a start when hung up while starting, and no session it caused is left running', async () => {
    const [createsBefore, stopsBefore] = [await equosCalls('create'), await equosCalls('stop')];
    const live = fakeLive();
    const element = await mount({ open: '' }, live);
    part(element, 'start-button')!.click();
    await element.updateComplete;
    element.stop();
    await element.updateComplete;
    expect(element.state.name).to.equal('idle');
    // Either the create never left, or its session was stopped (by the widget or, when the
    // request was aborted mid-way, by the token server itself).
    // A create in flight gets time to arrive first, so that "no create" is not concluded too early.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const settled = async () => (await equosCalls('create')) - createsBefore === (await equosCalls('stop')) - stopsBefore;
    await until(settled, 'every session it caused to be stopped', 3000);
    expect(live.adapters.every((adapter) => adapter.connected === undefined)).to.equal(true);
  });
});
