/**
 * The call's devices through `<equos-avatar>` (issue 14, item 5): the microphone list when
 * there is more than one, switching without republishing, an unplugged microphone replaced
 * by the default (and said so), the avatar's volume and mute, the speaker where the browser
 * can choose one, the menu's keyboard use; with a fake real-time adapter, and once with the
 * real LiveKit adapter against the sandbox.
 *
 * The test stands in for the visitor's hardware: `enumerateDevices` lists what it says (the
 * browser's own default microphone first, then microphones it adds), `getUserMedia` opens an
 * added one on the browser's fake microphone and notes what was asked, and `devicechange` is
 * dispatched as a browser does when a headset is plugged in or out.
 */
import { expect } from 'chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { roomReportOverHttp, waitFor } from '../../sandbox/testing/sandbox-commands.js';
import { sessionOf } from '../src/call/machine.js';
import type { EquosAvatarElement } from '../src/equos-avatar.element.js';
import type { EquosDeviceChangeEvent } from '../src/events.js';
import { deviceChoices } from '../src/live/devices/device-choices.js';
import { liveModule } from '../src/live/live.js';
import { axeViolations, liveCall, mount, part, unmountAll, until } from './fixtures.js';

/** A device the test adds to the browser's own. */
interface AddedDevice {
  kind: 'audioinput' | 'audiooutput';
  deviceId: string;
  label: string;
}

/** What `getUserMedia` was asked for, and what it gave. */
interface Opened {
  audio: MediaTrackConstraints;
  track: MediaStreamTrack;
}

/** The browser's devices as the test wants them, until `restore()`. */
class TestDevices {
  /** How many of the browser's own microphones are listed (its default first). */
  ownInputs = 1;
  /** How many of the browser's own speakers are listed. */
  ownOutputs = 0;
  added: AddedDevice[] = [];
  opened: Opened[] = [];
  /** `getUserMedia` finds no microphone (every one unplugged). */
  none = false;
  readonly #media = navigator.mediaDevices;
  readonly #enumerate = this.#media.enumerateDevices.bind(this.#media);
  readonly #open = this.#media.getUserMedia.bind(this.#media);
  /** `devicechange` listeners added and removed (the widget's only: the fake adapter has no room). */
  readonly listening = { added: 0, removed: 0 };
  readonly #add = this.#media.addEventListener.bind(this.#media);
  readonly #remove = this.#media.removeEventListener.bind(this.#media);

  constructor() {
    const media = this.#media;
    media.enumerateDevices = async () => {
      const own = await this.#enumerate();
      const inputs = own.filter((device) => device.kind === 'audioinput').slice(0, this.ownInputs);
      const outputs = own.filter((device) => device.kind === 'audiooutput').slice(0, this.ownOutputs);
      const added = this.added.map((device) => ({ ...device, groupId: `group-${device.deviceId}` }) as MediaDeviceInfo);
      return [...inputs, ...added.filter((device) => device.kind === 'audioinput'), ...outputs, ...added.filter((device) => device.kind === 'audiooutput')];
    };
    media.getUserMedia = async (constraints) => {
      const audio = (constraints?.audio ?? {}) as MediaTrackConstraints;
      const wanted = audio.deviceId as ConstrainDOMStringParameters | undefined;
      const id = typeof wanted?.exact === 'string' ? wanted.exact : undefined;
      if (this.none) throw new DOMException('Requested device not found', 'NotFoundError');
      // An added microphone opens as the browser's own fake one (the fake knows no other);
      // one unplugged since is refused by the browser itself.
      const { deviceId: _asked, ...rest } = audio;
      const stream = await this.#open({ ...constraints, audio: this.added.some((device) => device.deviceId === id) ? rest : audio });
      this.opened.push({ audio, track: stream.getAudioTracks()[0]! });
      return stream;
    };
    media.addEventListener = (type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions) => {
      if (type === 'devicechange') this.listening.added += 1;
      this.#add(type, listener, options);
    };
    media.removeEventListener = (type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions) => {
      if (type === 'devicechange') this.listening.removed += 1;
      this.#remove(type, listener, options);
    };
  }

  /** A headset plugged in or out: the list changes, then the browser says so. */
  change(update: () => void): void {
    update();
    this.#media.dispatchEvent(new Event('devicechange'));
  }

  restore(): void {
    for (const name of ['enumerateDevices', 'getUserMedia', 'addEventListener', 'removeEventListener'] as const) delete (this.#media as unknown as Record<string, unknown>)[name];
  }
}

const HEADSET: AddedDevice = { kind: 'audioinput', deviceId: 'headset', label: 'USB headset' };
/** Nameless, as before permission: shown as "Microphone 2". */
const NAMELESS: AddedDevice = { kind: 'audioinput', deviceId: 'nameless', label: '' };

let devices: TestDevices;
const events: Array<EquosDeviceChangeEvent['detail']> = [];
const record = (element: EquosAvatarElement) => element.addEventListener('equos-device-change', (event) => events.push(event.detail));

const audioOf = (element: EquosAvatarElement) => element.shadowRoot!.querySelector('audio')!;
const fieldShown = (element: EquosAvatarElement, name: string) => {
  const control = part(element, name);
  return control !== null && !control.closest<HTMLElement>('.devices__field')!.hidden && part(element, 'devices-menu')!.hidden === false;
};
const optionsOf = (element: EquosAvatarElement, name: string) => [...part<HTMLSelectElement>(element, name)!.options].map((option) => option.text);
const noticeOf = (element: EquosAvatarElement) => part(element, 'devices-notice')?.textContent ?? '';

async function openMenu(element: EquosAvatarElement): Promise<void> {
  const button = part(element, 'devices-button')!;
  if (button.getAttribute('aria-expanded') !== 'true') button.click();
  await element.updateComplete;
}

/** Chooses `id` in the list `name`, as the visitor does. */
function choose(element: EquosAvatarElement, name: string, id: string): void {
  const select = part<HTMLSelectElement>(element, name)!;
  select.value = id;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

/** A live call whose device list has been read (the menu up to date). */
async function call(attributes: Record<string, string> = {}) {
  const started = await liveCall(attributes);
  record(started.element);
  // Listed once (the microphone in use among them): only what was listed can be unplugged.
  await until(() => (part<HTMLSelectElement>(started.element, 'microphone-select')?.options.length ?? 0) > 0, 'the device list');
  return started;
}

describe('<equos-avatar>: devices', () => {
  beforeEach(() => {
    devices = new TestDevices();
    events.length = 0;
  });
  afterEach(async () => {
    await unmountAll();
    devices.restore();
    Object.assign(deviceChoices, { microphone: undefined, speaker: undefined, volume: 1, muted: false });
  });

  it('shows the devices button only during a call, and listens to devicechange only then', async () => {
    const element = await mount({ open: '' });
    expect(part(element, 'devices-button')).to.equal(null);
    part(element, 'start-button')!.click();
    await until(() => element.state.name === 'connecting', 'connecting');
    await until(() => part(element, 'devices-button') !== null, 'the devices button');
    expect(devices.listening).to.deep.equal({ added: 1, removed: 0 });
    const button = part(element, 'devices-button')!;
    expect(button.getAttribute('aria-label')).to.equal('Sound settings');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(element.shadowRoot!.getElementById(button.getAttribute('aria-controls')!)).to.equal(part(element, 'devices-menu'));
    // At the end of the controls, after the panel's own buttons.
    expect(button.closest('.controls')!.lastElementChild!.contains(button)).to.equal(true);

    element.stop();
    await until(() => element.state.name === 'ended', 'the end');
    expect(element.shadowRoot!.querySelector('.devices')).to.equal(null);
    expect(devices.listening).to.deep.equal({ added: 1, removed: 1 });
  });

  it('lists microphones only when there is more than one, a second one added and removed', async () => {
    const { element } = await call();
    await openMenu(element);
    expect(fieldShown(element, 'microphone-select')).to.equal(false);

    devices.change(() => devices.added.push(NAMELESS));
    await until(() => fieldShown(element, 'microphone-select'), 'the microphone list');
    const [first, second] = optionsOf(element, 'microphone-select');
    expect(first).to.equal(devices.opened[0]!.track.label);
    expect(second).to.equal('Microphone 2');
    // The one in use is the one chosen in the list.
    expect(part<HTMLSelectElement>(element, 'microphone-select')!.selectedIndex).to.equal(0);

    devices.change(() => (devices.added = []));
    await until(() => !fieldShown(element, 'microphone-select'), 'the microphone list to go');
    // Not the one in use that went: nothing was replaced.
    expect(events).to.deep.equal([]);
  });

  it('switches to the chosen microphone without republishing, keeping the mute; the old one is stopped', async () => {
    devices.added.push(HEADSET);
    const { element, adapter } = await call();
    const first = adapter.connected!.microphone!;
    part(element, 'mic-button')!.click(); // muted before switching
    await element.updateComplete;
    await openMenu(element);
    await until(() => fieldShown(element, 'microphone-select'), 'the microphone list');
    expect(optionsOf(element, 'microphone-select')[1]).to.equal('USB headset');

    choose(element, 'microphone-select', 'headset');
    await until(() => adapter.replaced.length === 1, 'the microphone to be replaced');
    const opened = devices.opened.at(-1)!;
    expect(opened.audio).to.deep.include({ deviceId: { exact: 'headset' }, echoCancellation: true, noiseSuppression: true, autoGainControl: true });
    expect(adapter.replaced[0]).to.equal(opened.track);
    expect(adapter.published).to.deep.equal([]);
    expect(first.readyState).to.equal('ended');
    // Still muted: the new track off, the room told again.
    expect(opened.track.enabled).to.equal(false);
    expect(adapter.microphone).to.deep.equal([false, false]);
    expect(part(element, 'mic-button')!.getAttribute('aria-pressed')).to.equal('false');
    expect(part<HTMLSelectElement>(element, 'microphone-select')!.value).to.equal('headset');
    expect(events).to.deep.equal([{ kind: 'audioinput', label: 'USB headset', reason: 'chosen' }]);
  });

  it('replaces an unplugged microphone by the default one and says so', async () => {
    devices.added.push(HEADSET);
    const { element, adapter } = await call();
    await openMenu(element);
    await until(() => fieldShown(element, 'microphone-select'), 'the microphone list');
    choose(element, 'microphone-select', 'headset');
    await until(() => adapter.replaced.length === 1, 'the headset');
    const headset = adapter.replaced[0]!;

    devices.change(() => (devices.added = []));
    await until(() => adapter.replaced.length === 2, 'the default microphone');
    const fallback = adapter.replaced[1]!;
    expect(devices.opened.at(-1)!.audio.deviceId).to.equal(undefined);
    expect(fallback).to.equal(devices.opened.at(-1)!.track);
    expect(headset.readyState).to.equal('ended');
    expect(fallback.enabled).to.equal(true);
    const said = `Microphone disconnected. Now using ${fallback.label}.`;
    await until(() => noticeOf(element) === said, 'the notice');
    expect(part(element, 'devices-notice')!.getAttribute('aria-live')).to.equal('polite');
    expect(events.at(-1)).to.deep.equal({ kind: 'audioinput', label: fallback.label, reason: 'unplugged' });
    expect(fieldShown(element, 'microphone-select')).to.equal(false);
  });

  it('replaces a microphone whose track ends without a devicechange', async function () {
    // Firefox calls no listener of a track for an `ended` the page dispatches (only `onended`):
    // a device that fails cannot be played there.
    const probe = (await navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks()[0]!;
    let heard = false;
    probe.addEventListener('ended', () => (heard = true));
    probe.dispatchEvent(new Event('ended'));
    probe.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (!heard) this.skip();
    const { element, adapter } = await call();
    const first = adapter.connected!.microphone!;
    // A failing device: the browser ends its track and says so. (Synthesised here: the event,
    // then the state; Firefox delivers no event to a track already stopped.)
    first.dispatchEvent(new Event('ended'));
    first.stop();
    await until(() => adapter.replaced.length === 1, 'the default microphone', 10_000);
    expect(adapter.replaced[0]!.readyState).to.equal('live');
    await until(() => noticeOf(element).startsWith('Microphone disconnected.'), 'the notice');
  });

  it('goes on without a microphone when the last one is unplugged', async () => {
    const { element, adapter } = await call();
    const first = adapter.connected!.microphone!;
    devices.change(() => {
      devices.ownInputs = 0;
      devices.none = true;
    });
    await until(() => part(element, 'notice')?.textContent === 'No microphone: you can listen to Ava and type your replies.', 'the no-microphone notice');
    expect(first.readyState).to.equal('ended');
    expect(adapter.replaced).to.deep.equal([]);
    expect(part(element, 'mic-button')!.getAttribute('aria-pressed')).to.equal('false');
    expect(events).to.deep.equal([{ kind: 'audioinput', label: '', reason: 'unplugged' }]);
  });

  it('sets the avatar’s volume and mutes its voice, and keeps both for the next call', async () => {
    const first = await call();
    await openMenu(first.element);
    const audio = audioOf(first.element);
    const volume = part<HTMLInputElement>(first.element, 'volume')!;
    expect(volume.getAttribute('aria-label')).to.equal('Voice volume');
    expect(volume.value).to.equal('100');
    volume.value = '40';
    volume.dispatchEvent(new Event('input', { bubbles: true }));
    expect(audio.volume).to.be.closeTo(0.4, 0.001);

    const mute = part(first.element, 'speaker-button')!;
    expect(mute.getAttribute('aria-label')).to.equal('Mute voice');
    expect(mute.getAttribute('aria-pressed')).to.equal('false');
    mute.click();
    await first.element.updateComplete;
    expect(mute.getAttribute('aria-pressed')).to.equal('true');
    expect(audio.muted).to.equal(true);
    // LiveKit unmutes the element whenever it attaches the avatar's voice: the visitor's mute stands.
    audio.muted = false;
    await until(() => audio.muted, 'the mute to stand');

    first.element.stop();
    await until(() => first.element.state.name === 'ended', 'the end');
    const second = await call();
    const next = audioOf(second.element);
    expect(next.volume).to.be.closeTo(0.4, 0.001);
    expect(next.muted).to.equal(true);
    await openMenu(second.element);
    expect(part(second.element, 'speaker-button')!.getAttribute('aria-pressed')).to.equal('true');
    expect(part<HTMLInputElement>(second.element, 'volume')!.value).to.equal('40');
  });

  it('remembers the chosen microphone for the next call, asking for it as ideal (it may be gone)', async () => {
    devices.added.push(HEADSET);
    const first = await call();
    await openMenu(first.element);
    await until(() => fieldShown(first.element, 'microphone-select'), 'the microphone list');
    choose(first.element, 'microphone-select', 'headset');
    await until(() => first.adapter.replaced.length === 1, 'the headset');
    first.element.stop();
    await until(() => first.element.state.name === 'ended', 'the end');

    const opened = devices.opened.length;
    await call();
    expect(devices.opened[opened]!.audio).to.deep.include({ deviceId: { ideal: 'headset' }, echoCancellation: true });
  });

  it('lists speakers only where the browser can choose one (setSinkId) and there are two or more', async () => {
    devices.added.push({ kind: 'audiooutput', deviceId: 'speakers', label: 'Speakers' }, { kind: 'audiooutput', deviceId: 'earphones', label: 'Earphones' });
    const descriptor = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'setSinkId');
    expect(descriptor, 'this browser can choose a speaker').to.not.equal(undefined);
    delete (HTMLMediaElement.prototype as Partial<HTMLMediaElement>).setSinkId;
    try {
      const { element } = await call();
      await openMenu(element);
      await until(() => part(element, 'speaker-select') !== null, 'the menu');
      expect(fieldShown(element, 'speaker-select')).to.equal(false);
    } finally {
      Object.defineProperty(HTMLMediaElement.prototype, 'setSinkId', descriptor!);
    }
    await unmountAll();

    devices.added = [{ kind: 'audiooutput', deviceId: 'speakers', label: 'Speakers' }];
    const { element } = await call();
    await openMenu(element);
    expect(fieldShown(element, 'speaker-select')).to.equal(false);
    devices.change(() => devices.added.push({ kind: 'audiooutput', deviceId: 'earphones', label: 'Earphones' }));
    await until(() => fieldShown(element, 'speaker-select'), 'the speaker list');
    expect(optionsOf(element, 'speaker-select')).to.deep.equal(['Speakers', 'Earphones']);
  });

  it('plays the avatar on the chosen speaker, and on the default once it is unplugged (Chromium’s fake outputs)', async function () {
    devices.ownOutputs = 3;
    const own = (await navigator.mediaDevices.enumerateDevices()).filter((device) => device.kind === 'audiooutput');
    // Firefox lists no speakers without its own permission prompt: nothing to choose there.
    if (own.length < 2) this.skip();
    const { element } = await call();
    await openMenu(element);
    await until(() => fieldShown(element, 'speaker-select'), 'the speaker list');
    const target = own.find((device) => device.deviceId !== 'default')!;
    choose(element, 'speaker-select', target.deviceId);
    await until(() => audioOf(element).sinkId === target.deviceId, 'the speaker to be used');
    expect(events).to.deep.equal([{ kind: 'audiooutput', label: target.label, reason: 'chosen' }]);
    await element.updateComplete;
    expect(part<HTMLSelectElement>(element, 'speaker-select')!.value).to.equal(target.deviceId);

    // Unplugged: back on the default output, the page told.
    devices.change(() => (devices.ownOutputs = 1));
    await until(() => audioOf(element).sinkId === '', 'the default speaker');
    expect(events.at(-1)).to.deep.equal({ kind: 'audiooutput', label: own[0]!.label, reason: 'unplugged' });
  });

  it('works from the keyboard: Enter opens on the first control, Escape closes back to the button (not the panel), Tab out closes', async () => {
    devices.added.push(HEADSET);
    const { element } = await call();
    await until(() => optionsOf(element, 'microphone-select').length === 2, 'the microphone list');
    const button = part(element, 'devices-button')!;
    button.focus();
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(part(element, 'devices-menu')!.hidden).to.equal(false);
    expect(element.shadowRoot!.activeElement).to.equal(part(element, 'microphone-select'));
    expect(await axeViolations(part(element, 'panel')!)).to.deep.equal([]);

    await sendKeys({ press: 'Tab' });
    expect(element.shadowRoot!.activeElement).to.equal(part(element, 'speaker-button'));
    await sendKeys({ press: 'Escape' });
    await element.updateComplete;
    expect(part(element, 'devices-menu')!.hidden).to.equal(true);
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(element.shadowRoot!.activeElement).to.equal(button);
    expect(part(element, 'panel')!.hidden, 'Escape in the menu does not minimise').to.equal(false);

    // Something of the page's after the widget, so that tabbing out lands in the page (past
    // its last control, Firefox moves focus to its own toolbar, and later files' keys go there).
    const after = document.body.appendChild(Object.assign(document.createElement('button'), { textContent: 'after the widget' }));
    try {
      await sendKeys({ press: 'Enter' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Tab' });
      // Past the volume: out of the menu, which closes.
      await until(() => part(element, 'devices-menu')!.hidden, 'the menu to close');
      expect(button.getAttribute('aria-expanded')).to.equal('false');
    } finally {
      after.remove();
    }
  });

  for (const [screen, width, height] of [['a desktop (a 360 px panel)', 1280, 800], ['a phone (the panel full screen)', 360, 640]] as const) {
    it(`fits its menu and button inside the panel on ${screen}`, async () => {
      await setViewport({ width, height });
      try {
        devices.added.push(HEADSET, { kind: 'audiooutput', deviceId: 'speakers', label: 'Speakers with a very long name from the manufacturer' }, { kind: 'audiooutput', deviceId: 'earphones', label: 'Earphones' });
        const { element } = await call();
        element.style.setProperty('--equos-avatar-panel-width', '360px');
        await until(() => optionsOf(element, 'microphone-select').length === 2, 'the microphone list');
        await openMenu(element);
        const panel = part(element, 'panel')!.getBoundingClientRect();
        for (const name of ['devices-button', 'devices-menu', 'microphone-select', 'volume', 'speaker-button', 'speaker-select', 'hangup-button', 'mic-button']) {
          const box = part(element, name)!.getBoundingClientRect();
          expect(box.width, `${name} shows`).to.be.greaterThan(0);
          expect(box.left >= panel.left && box.right <= panel.right && box.top >= panel.top && box.bottom <= panel.bottom, `${name} inside the panel`).to.equal(true);
        }
      } finally {
        await setViewport({ width: 800, height: 600 });
      }
    });
  }

  it('keeps the replaced microphone published with the real LiveKit adapter: same track at the server, packets flowing', async function () {
    this.timeout(60_000);
    devices.ownInputs = 1;
    devices.added.push(HEADSET);
    const element = await mount({ open: '' }, { load: async () => liveModule, adapters: [] });
    record(element);
    part(element, 'start-button')!.click();
    await until(() => element.state.name === 'live', 'the avatar', 30_000);
    const sessionId = sessionOf(element.state)!.session_id;
    const visitorAudio = async () =>
      (await roomReportOverHttp(sessionId))?.participants.find((participant) => participant.identity !== 'sandbox-avatar')?.tracks.filter((track) => track.kind === 'audio') ?? [];
    const [before] = await waitFor(visitorAudio, (tracks) => (tracks[0]?.packets ?? 0) > 25, 15_000, 'the microphone’s packets');

    await openMenu(element);
    await until(() => fieldShown(element, 'microphone-select'), 'the microphone list');
    choose(element, 'microphone-select', 'headset');
    await until(() => events.length === 1, 'the switch');
    expect(events[0]).to.deep.equal({ kind: 'audioinput', label: 'USB headset', reason: 'chosen' });
    const packets = (await visitorAudio())[0]!.packets;
    const after = await waitFor(visitorAudio, (tracks) => (tracks[0]?.packets ?? 0) > packets + 25, 15_000, 'packets from the new microphone');
    expect(after).to.have.length(1);
    expect(after[0]).to.include({ sid: before!.sid, source: 'MICROPHONE', muted: false });
    expect(devices.opened.at(-1)!.track.readyState).to.equal('live');
    expect(devices.opened[0]!.track.readyState).to.equal('ended');
    element.stop();
    await until(() => element.state.name === 'ended', 'the end', 10_000);
  });
});
