/**
 * Picture-in-Picture through `<equos-avatar>` (issue 14, item 6): the avatar's video in a
 * floating window with the call's controls (Document Picture-in-Picture), the video element's
 * own where that is missing (hang-up through the Media Session), and no toggle where neither
 * is. Against the real token server and Equos double, with a fake real-time adapter, and once
 * with the real one and the sandbox's avatar. Requests for a floating window need the
 * visitor's activation: the toggle is pressed with a real key press (`sendKeys`).
 */
import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import { equosCalls } from '../../sandbox/testing/sandbox-commands.js';
import { sessionOf } from '../src/call/machine.js';
import type { EquosAvatarElement } from '../src/equos-avatar.element.js';
import type { EquosPictureInPictureEvent } from '../src/events.js';
import { axeViolations, liveCall, mount, part, statusOf, unmountAll, until, type FakeAdapter } from './fixtures.js';

/** The part of the API the tests read: the window that is open, if any. */
interface DocumentPictureInPictureWindow {
  readonly window: Window | null;
}

/**
 * The API, if the browser has it. Assertions compare its window as a boolean: a failure that
 * holds a Window cannot be sent to the test runner, which then reports a disconnected browser.
 */
const documentPip = () => (window as Window & { documentPictureInPicture?: DocumentPictureInPictureWindow }).documentPictureInPicture;

/** A playing video of an animated canvas: a stand-in for the avatar's (frames flow, as a Picture-in-Picture request needs). */
function avatarVideo(): { video: HTMLVideoElement; stop(): void } {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const context = canvas.getContext('2d')!;
  let frame = 0;
  const timer = setInterval(() => {
    context.fillStyle = `hsl(${(frame += 12) % 360} 60% 50%)`;
    context.fillRect(0, 0, canvas.width, canvas.height);
  }, 40);
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.autoplay = true;
  video.srcObject = canvas.captureStream(25);
  return { video, stop: () => clearInterval(timer) };
}

const videos: Array<{ stop(): void }> = [];

/** A live call whose avatar's video has arrived and plays. */
async function liveWithVideo(attributes: Record<string, string> = {}): Promise<{ element: EquosAvatarElement; adapter: FakeAdapter; video: HTMLVideoElement; events: string[] }> {
  const { element, adapter } = await liveCall(attributes);
  const events: string[] = [];
  element.addEventListener('equos-picture-in-picture', (event: EquosPictureInPictureEvent) => events.push(JSON.stringify(event.detail)));
  const source = avatarVideo();
  videos.push(source);
  adapter.emit({ type: 'avatar-video', element: source.video });
  await element.updateComplete;
  await until(() => source.video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && !source.video.paused, 'the video to play');
  return { element, adapter, video: source.video, events };
}

/** Presses the toggle as the visitor does (a real key press: user activation). */
async function pressToggle(element: EquosAvatarElement): Promise<void> {
  part(element, 'picture-in-picture-button')!.focus();
  await sendKeys({ press: 'Enter' });
}

/** Opens the Document Picture-in-Picture window from the toggle and returns its document. */
async function openFloatingDocument(element: EquosAvatarElement, video: HTMLVideoElement): Promise<Document> {
  await pressToggle(element);
  await until(() => documentPip()?.window?.document.querySelector('video') === video, 'the video in the floating window');
  await element.updateComplete;
  return documentPip()!.window!.document;
}

/** Replaces `key` of `target` by `value` (an own property over the browser's); the returned function puts the browser's back. */
function replace(target: object, key: string, value: unknown): () => void {
  const own = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { value, configurable: true, writable: true });
  return () => {
    if (own) Object.defineProperty(target, key, own);
    else Reflect.deleteProperty(target, key);
  };
}

const restores: Array<() => void> = [];

/** Failures nobody caught: an error event, or a rejection nobody handled. */
function recordFailures(): string[] {
  const failures: string[] = [];
  const onError = (event: ErrorEvent) => failures.push(String(event.message));
  const onRejection = (event: PromiseRejectionEvent) => failures.push(String(event.reason));
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  restores.push(() => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  });
  return failures;
}

const sessionIdOf = (element: EquosAvatarElement) => sessionOf(element.state)!.session_id;
const inWindow = (floating: Document, name: string) => floating.querySelector<HTMLButtonElement>(`[part~="${name}"]`);

/** Gives the window time to do what it should not (a second stop, a reopened window). */
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('<equos-avatar>: Picture-in-Picture', () => {
  afterEach(async () => {
    documentPip()?.window?.close();
    if (document.pictureInPictureElement) await document.exitPictureInPicture().catch(() => {});
    for (const restore of restores.splice(0).reverse()) restore();
    await unmountAll();
    for (const video of videos.splice(0)) video.stop();
  });

  describe('a floating document, where the browser has Document Picture-in-Picture', () => {
    before(function () {
      if (!documentPip()) this.skip();
    });

    it('holds the video, the name, the status, the microphone and hang-up; hang-up there ends the call and stops the session once', async () => {
      const { element, adapter, video, events } = await liveWithVideo();
      const sessionId = sessionIdOf(element);
      const toggle = part(element, 'picture-in-picture-button')!;
      expect(toggle.getAttribute('aria-label')).to.equal('Floating window');
      expect(toggle.getAttribute('aria-pressed')).to.equal('false');
      // After the panel's own controls.
      expect(part(element, 'hangup-button')!.compareDocumentPosition(toggle) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
      expect(toggle.parentElement).to.equal(part(element, 'controls'));

      const floating = await openFloatingDocument(element, video);
      expect(events).to.deep.equal([JSON.stringify({ open: true, kind: 'document' })]);
      expect(video.paused).to.equal(false);
      // The panel shows the avatar's picture and says where the avatar is.
      expect(part(element, 'video')).to.equal(null);
      expect(part(element, 'picture-in-picture-note')!.textContent).to.equal('Ava is in a floating window.');
      expect(part(element, 'picture-in-picture-button')!.getAttribute('aria-pressed')).to.equal('true');
      expect(await axeViolations(element)).to.deep.equal([]);

      expect(floating.querySelector('.name')!.textContent).to.equal('Ava');
      expect(floating.querySelector('.status')!.textContent).to.equal(statusOf(element));
      expect(floating.title).to.equal('Ava');
      // Its own sheet (no page CSS reaches it): the video fills its stage.
      expect(floating.adoptedStyleSheets).to.have.length(1);
      expect(getComputedStyle(video).objectFit).to.equal('contain');
      const microphone = inWindow(floating, 'mic-button')!;
      const hangUp = inWindow(floating, 'hangup-button')!;
      expect(microphone.getAttribute('aria-label')).to.equal(part(element, 'mic-button')!.getAttribute('aria-label'));
      expect(hangUp.getAttribute('aria-label')).to.equal(part(element, 'hangup-button')!.getAttribute('aria-label'));
      expect(microphone.getAttribute('aria-pressed')).to.equal('true');

      microphone.click();
      await until(() => microphone.getAttribute('aria-pressed') === 'false', 'the microphone off in the window');
      expect(adapter.microphone).to.deep.equal([false]);
      expect(part(element, 'mic-button')!.getAttribute('aria-pressed')).to.equal('false');
      expect(floating.querySelector('.status')!.textContent).to.equal(statusOf(element));
      microphone.click();
      await until(() => microphone.getAttribute('aria-pressed') === 'true', 'the microphone on again');
      expect(adapter.microphone).to.deep.equal([false, true]);

      hangUp.click();
      await until(() => element.state.name === 'ended', 'the call to end');
      await until(() => documentPip()!.window === null, 'the window to close');
      expect(part(element, 'picture-in-picture-button')).to.equal(null);
      expect(part(element, 'picture-in-picture-note')).to.equal(null);
      expect(events).to.deep.equal([JSON.stringify({ open: true, kind: 'document' }), JSON.stringify({ open: false, kind: 'document' })]);
      expect(await equosCalls('stop', sessionId)).to.equal(1);
      await settle(1500);
      expect(await equosCalls('stop', sessionId)).to.equal(1);
    });

    it('gives the video back to the panel, still playing, when the visitor closes the window, and floats it again', async () => {
      const { element, video, events } = await liveWithVideo();
      let floating = await openFloatingDocument(element, video);
      floating.defaultView!.close();
      await until(() => part(element, 'video') === video, 'the video back on the stage');
      await element.updateComplete;
      expect(video.closest('.stage')).to.equal(part(element, 'stage'));
      await until(() => !video.paused, 'the video to play in the panel');
      expect(part(element, 'picture-in-picture-note')).to.equal(null);
      expect(part(element, 'picture-in-picture-button')!.getAttribute('aria-pressed')).to.equal('false');
      expect(element.state.name).to.equal('live');
      expect(events.at(-1)).to.equal(JSON.stringify({ open: false, kind: 'document' }));

      floating = await openFloatingDocument(element, video);
      expect(inWindow(floating, 'hangup-button')).not.to.equal(null);
      // The panel's toggle closes it too (a click: closing needs no activation, and the
      // window may hold the keyboard's focus).
      part(element, 'picture-in-picture-button')!.click();
      await until(() => part(element, 'video') === video, 'the video back again');
      await until(() => documentPip()!.window === null, 'the window to close');
      expect(events).to.have.length(4);
    });

    it('closes by itself when the avatar drops out, and when the element leaves the page (the session stopped once)', async () => {
      const first = await liveWithVideo();
      await openFloatingDocument(first.element, first.video);
      first.adapter.emit({ type: 'avatar-left' });
      await first.element.updateComplete;
      expect(first.element.state.name).to.equal('avatar-away');
      await until(() => documentPip()!.window === null, 'the window to close');
      expect(part(first.element, 'picture-in-picture-button')).to.equal(null);
      expect(first.events.at(-1)).to.equal(JSON.stringify({ open: false, kind: 'document' }));

      const second = await liveWithVideo();
      const sessionId = sessionIdOf(second.element);
      await openFloatingDocument(second.element, second.video);
      second.element.remove();
      await until(() => documentPip()!.window === null, 'the window to close with the element');
      expect(second.events.at(-1)).to.equal(JSON.stringify({ open: false, kind: 'document' }));
      await until(async () => (await equosCalls('stop', sessionId)) === 1, 'the session to be stopped');
      await settle(1000);
      expect(await equosCalls('stop', sessionId)).to.equal(1);
    });

    it('answers "Still there?" from the window', async () => {
      const { element, video } = await liveWithVideo({ 'idle-timeout': '2' });
      const floating = await openFloatingDocument(element, video);
      expect(inWindow(floating, 'continue-button')).to.equal(null);
      await until(() => element.state.name === 'idle-check', 'Still there?', 5000);
      await element.updateComplete;
      const answer = inWindow(floating, 'continue-button')!;
      expect(answer.textContent).to.equal(part(element, 'continue-button')!.textContent!.trim());
      answer.click();
      await until(() => element.state.name === 'live', 'the call to go on');
      await element.updateComplete;
      expect(inWindow(floating, 'continue-button')).to.equal(null);
      expect(documentPip()!.window !== null).to.equal(true);
    });

    it('follows the widget’s direction and language', async () => {
      document.documentElement.dir = 'rtl';
      restores.push(() => document.documentElement.removeAttribute('dir'));
      const { element, video } = await liveWithVideo({ locale: 'ar' });
      const toggle = part(element, 'picture-in-picture-button')!;
      expect(toggle.getAttribute('aria-label')).to.equal('نافذة عائمة');
      const floating = await openFloatingDocument(element, video);
      expect(floating.documentElement.dir).to.equal('rtl');
      expect(inWindow(floating, 'mic-button')!.getAttribute('aria-label')).to.equal(part(element, 'mic-button')!.getAttribute('aria-label'));
      expect(part(element, 'picture-in-picture-note')!.textContent).to.equal('\u2068Ava\u2069 في نافذة عائمة.');
    });

    it('with the real avatar: its video plays in the window, and hang-up there stops the session once', async () => {
      const element = await mount({ open: '' }, { load: async () => (await import('../src/live/live.js')).liveModule, adapters: [] });
      part(element, 'start-button')!.click();
      await until(() => element.state.name === 'live' && part(element, 'video') !== null, 'the avatar’s video', 30_000);
      const video = part<HTMLVideoElement>(element, 'video')!;
      await until(() => video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA, 'its first frame', 15_000);
      const sessionId = sessionIdOf(element);
      const floating = await openFloatingDocument(element, video);
      const from = video.currentTime;
      await until(() => video.currentTime > from + 0.3, 'the avatar to move in the window', 5000);
      inWindow(floating, 'hangup-button')!.click();
      await until(() => element.state.name === 'ended', 'the call to end', 10_000);
      await until(() => documentPip()!.window === null, 'the window to close');
      expect(await equosCalls('stop', sessionId)).to.equal(1);
    });
  });

  describe('the video alone, where Document Picture-in-Picture is missing', () => {
    before(function () {
      if (!document.pictureInPictureEnabled) this.skip();
    });

    beforeEach(() => {
      restores.push(replace(window, 'documentPictureInPicture', undefined));
    });

    it('floats the video element; hang-up from its window (the Media Session) ends the call and stops the session once', async () => {
      const failures = recordFailures();
      const handlers = new Map<string, unknown>();
      const session = navigator.mediaSession;
      const original = session.setActionHandler.bind(session);
      restores.push(
        replace(session, 'setActionHandler', (action: MediaSessionAction, handler: MediaSessionActionHandler | null) => {
          original(action, handler); // Throws for an action the browser does not know, as it would for the widget.
          handlers.set(action, handler);
        }),
      );
      const { element, adapter, video, events } = await liveWithVideo();
      const sessionId = sessionIdOf(element);
      await pressToggle(element);
      await until(() => element.shadowRoot!.pictureInPictureElement === video, 'the video in Picture-in-Picture');
      await element.updateComplete;
      expect(events).to.deep.equal([JSON.stringify({ open: true, kind: 'video' })]);
      // The video stays in the panel (the browser shows it floating); no note over it.
      expect(part(element, 'video')).to.equal(video);
      expect(part(element, 'picture-in-picture-note')).to.equal(null);
      expect(part(element, 'picture-in-picture-button')!.getAttribute('aria-pressed')).to.equal('true');

      const hangUp = handlers.get('hangup');
      if (typeof hangUp === 'function') {
        // As the browser calls them from its window's buttons.
        (handlers.get('togglemicrophone') as MediaSessionActionHandler)({ action: 'togglemicrophone' as MediaSessionAction });
        await until(() => adapter.microphone.length === 1, 'the microphone toggled');
        expect(adapter.microphone).to.deep.equal([false]);
        (hangUp as MediaSessionActionHandler)({ action: 'hangup' as MediaSessionAction });
        await until(() => element.state.name === 'ended', 'the call to end');
        // The call's buttons go with it.
        expect(handlers.get('hangup')).to.equal(null);
        expect(handlers.get('togglemicrophone')).to.equal(null);
      } else {
        // This browser draws no call buttons (Firefox): the visitor closes the window, then hangs up in the panel.
        expect(handlers.size).to.equal(0);
        await document.exitPictureInPicture();
        await until(() => events.length === 2, 'the window to close');
        expect(part(element, 'picture-in-picture-button')!.getAttribute('aria-pressed')).to.equal('false');
        part(element, 'hangup-button')!.click();
        await until(() => element.state.name === 'ended', 'the call to end');
      }
      expect(element.shadowRoot!.pictureInPictureElement).to.equal(null);
      expect(events).to.deep.equal([JSON.stringify({ open: true, kind: 'video' }), JSON.stringify({ open: false, kind: 'video' })]);
      expect(await equosCalls('stop', sessionId)).to.equal(1);
      await settle(1000);
      expect(await equosCalls('stop', sessionId)).to.equal(1);
      expect(failures).to.deep.equal([]);
    });
  });

  it('shows no toggle where the browser can float nothing, and nothing throws', async () => {
    restores.push(replace(window, 'documentPictureInPicture', undefined), replace(document, 'pictureInPictureEnabled', false));
    const failures = recordFailures();
    const { element } = await liveWithVideo();
    expect(part(element, 'video')).not.to.equal(null);
    expect(part(element, 'picture-in-picture-button')).to.equal(null);
    element.stop();
    await until(() => element.state.name === 'ended', 'the call to end');
    expect(failures).to.deep.equal([]);
  });

  it('shows the toggle only while the avatar’s video is on the stage', async () => {
    const { element, adapter } = await liveCall();
    // Live, but no video yet.
    expect(part(element, 'picture-in-picture-button')).to.equal(null);
    const source = avatarVideo();
    videos.push(source);
    adapter.emit({ type: 'avatar-video', element: source.video });
    await element.updateComplete;
    const floats = !!documentPip() || document.pictureInPictureEnabled;
    expect(part(element, 'picture-in-picture-button') !== null).to.equal(floats);
    adapter.emit({ type: 'avatar-left' });
    await element.updateComplete;
    expect(part(element, 'picture-in-picture-button')).to.equal(null);
  });
});
