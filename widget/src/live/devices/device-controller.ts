/**
 * The call's audio devices: which microphone it uses (the visitor's choice, or the default
 * when theirs is unplugged mid-call), the avatar's volume and mute, and which speaker its
 * voice plays on (where the browser can choose). It shows the devices menu during a call
 * only, and listens to `devicechange` only then.
 *
 * It holds no microphone: the call runner does (../call-runner.ts), and swaps the one this
 * controller opens into the room (`useMicrophone`), so the room, the level meter and the mute
 * state stay the runner's to keep in step.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallPort } from '../../call/live-port.js';
import { traitsOf } from '../../call/state-table.js';
import { EquosDeviceChangeEvent } from '../../events.js';
import { conversationStrings, type ConversationWordsHost } from '../conversation/strings.js';
import { openMicrophone } from '../microphone.js';
import { deviceChoices } from './device-choices.js';
import { deviceName, findDevice, listDevices, NO_DEVICES, type Device, type Devices } from './device-list.js';
import { DeviceMenuView, type DeviceOption } from './device-menu-view.js';

/** What the controller needs from its call. */
export interface DeviceDeps {
  call: CallPort;
  /** The microphone in use, if any. */
  microphone(): MediaStreamTrack | undefined;
  /** The element the avatar's voice plays in, during a call. */
  audio(): HTMLAudioElement | undefined;
  /**
   * Puts `track` in use as the call's microphone (none: the call goes on without one);
   * false, with `track` stopped, when it could not (the call moved on, the room refused).
   */
  useMicrophone(track: MediaStreamTrack | undefined): Promise<boolean>;
}

/** Whether this browser can choose where a media element plays (Chromium, Firefox 116+; not Safari). */
const canChooseSpeaker = () => 'setSinkId' in HTMLMediaElement.prototype;

/** The devices of one `<equos-avatar>`'s calls. */
export class DeviceController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #deps: DeviceDeps;
  readonly #view: DeviceMenuView;
  #devices: Devices = NO_DEVICES;
  /** Listening to `devicechange`: a call is on. */
  #listening = false;
  /** The microphone whose `ended` is watched. */
  #track: MediaStreamTrack | undefined;
  /** The element whose volume and mute are kept to the visitor's choice. */
  #audio: HTMLAudioElement | undefined;
  /** The device each track this controller opened was asked for (what a test's or a browser's settings may not say). */
  readonly #asked = new WeakMap<MediaStreamTrack, string>();
  /** Device work one at a time: a choice and an unplug must not swap microphones at once. */
  #queue: Promise<void> = Promise.resolve();

  constructor(host: ReactiveControllerHost & HTMLElement, deps: DeviceDeps) {
    this.#host = host;
    this.#deps = deps;
    this.#view = new DeviceMenuView({
      onMicrophone: (id) => this.#enqueue(() => this.#chooseMicrophone(id)),
      onSpeaker: (id) => void this.#chooseSpeaker(id),
      onVolume: (volume) => {
        deviceChoices.volume = volume;
        this.#applyVoice();
      },
      onMute: (muted) => {
        deviceChoices.muted = muted;
        this.#applyVoice();
        host.requestUpdate();
      },
    });
    host.addController(this);
  }

  hostUpdated(): void {
    const root = this.#host.shadowRoot;
    if (!traitsOf(this.#deps.call.state).inCall || !root) return this.release();
    if (!this.#listening) {
      this.#listening = true;
      navigator.mediaDevices?.addEventListener('devicechange', this.#onChange);
      this.#onChange();
    }
    this.#watchTrack(this.#deps.microphone());
    this.#watchAudio(this.#deps.audio());
    if (this.#view.mountIn(root)) this.#render();
  }

  hostDisconnected(): void {
    this.release();
  }

  /** The call is over: no more listening, nothing of the menu left in the panel. */
  release(): void {
    if (this.#listening) navigator.mediaDevices?.removeEventListener('devicechange', this.#onChange);
    this.#listening = false;
    this.#watchTrack(undefined);
    this.#watchAudio(undefined);
    this.#devices = NO_DEVICES;
    this.#view.unmount();
  }

  #render(): void {
    const strings = this.#strings();
    const named = (devices: readonly Device[], kindName: string): DeviceOption[] => devices.map((device, index) => ({ id: device.id, name: deviceName(device, index, kindName) }));
    const track = this.#deps.microphone();
    const audio = this.#deps.audio();
    const { inputs, outputs } = this.#devices;
    this.#view.render({
      strings,
      // Only with a microphone in use: without one (refused, or none left) the mic button asks again.
      microphones: track ? named(inputs, strings.microphoneChoice) : [],
      microphone: track ? this.#deviceOf(track)?.id : undefined,
      speakers: canChooseSpeaker() && audio ? named(outputs, strings.speakerChoice) : [],
      // '' is the browser's default output: its entry ('default' in Chromium), else the first listed.
      speaker: audio ? (findDevice(outputs, audio.sinkId || 'default')?.id ?? outputs[0]?.id) : undefined,
      volume: deviceChoices.volume,
      muted: deviceChoices.muted,
    });
  }

  /** The device list entry `track` is on. */
  #deviceOf(track: MediaStreamTrack): Device | undefined {
    const { deviceId, groupId } = track.getSettings();
    return findDevice(this.#devices.inputs, this.#asked.get(track) ?? deviceId, groupId);
  }

  readonly #onChange = (): void => this.#enqueue(() => this.#refresh());

  /** Lists the devices again; the microphone or speaker in use gone, the default takes its place. */
  async #refresh(): Promise<void> {
    const devices = await listDevices();
    if (!this.#listening) return;
    const track = this.#deps.microphone();
    // Gone: listed before and not now (a device never listed, as in a browser that names it
    // differently, is not taken for unplugged), or its track ended.
    const listed = track && this.#deviceOf(track);
    this.#devices = devices;
    this.#host.requestUpdate();
    if (devices === NO_DEVICES) return; // Not listed (an error): nothing is known to be gone.
    if (track && (track.readyState === 'ended' || (listed && !this.#deviceOf(track)))) await this.#replaceUnplugged();
    const audio = this.#deps.audio();
    if (audio?.sinkId && canChooseSpeaker() && !findDevice(devices.outputs, audio.sinkId)) {
      // The browser already plays on the default; the element says so too, and so does the menu.
      await audio.setSinkId('').catch(() => {});
      const fallback = devices.outputs[0];
      this.#fire('audiooutput', fallback ? deviceName(fallback, 0, this.#strings().speakerChoice) : '', 'unplugged');
      this.#host.requestUpdate();
    }
  }

  /** The microphone in use was unplugged: the default input instead, said aloud; none left, the call goes on without. */
  async #replaceUnplugged(): Promise<void> {
    const track = await openMicrophone().catch(() => undefined);
    if (!(await this.#deps.useMicrophone(track))) return;
    if (!track) return this.#fire('audioinput', '', 'unplugged');
    this.#devices = await listDevices();
    const device = this.#deviceOf(track);
    const label = track.label || (device ? deviceName(device, this.#devices.inputs.indexOf(device), this.#strings().microphoneChoice) : this.#strings().microphoneChoice);
    this.#view.notify(this.#strings().microphoneSwitched(label));
    this.#fire('audioinput', label, 'unplugged');
    this.#host.requestUpdate();
  }

  async #chooseMicrophone(id: string): Promise<void> {
    const current = this.#deps.microphone();
    if (!current || this.#deviceOf(current)?.id === id) return;
    let track: MediaStreamTrack;
    try {
      // `exact`: the one chosen, or nothing (the list shows the one in use again).
      track = await openMicrophone({ exact: id });
    } catch {
      this.#host.requestUpdate();
      return;
    }
    this.#asked.set(track, id);
    if (await this.#deps.useMicrophone(track)) {
      deviceChoices.microphone = id;
      this.#fire('audioinput', this.#nameOf(id, this.#devices.inputs, this.#strings().microphoneChoice), 'chosen');
    }
    this.#host.requestUpdate();
  }

  async #chooseSpeaker(id: string): Promise<void> {
    const audio = this.#deps.audio();
    if (!audio || !canChooseSpeaker()) return;
    try {
      await audio.setSinkId(id);
      deviceChoices.speaker = id;
      this.#fire('audiooutput', this.#nameOf(id, this.#devices.outputs, this.#strings().speakerChoice), 'chosen');
    } catch {
      // Refused (gone meanwhile, or not allowed): the list shows the one in use again.
    }
    this.#host.requestUpdate();
  }

  /** Watches the microphone in use: its device can end without a `devicechange` (Firefox, a failing headset). */
  #watchTrack(track: MediaStreamTrack | undefined): void {
    if (track === this.#track) return;
    this.#track?.removeEventListener('ended', this.#onChange);
    this.#track = track;
    track?.addEventListener('ended', this.#onChange);
    // A new microphone (the call's first, or one granted late): labels and the one in use are known now.
    if (track) this.#onChange();
  }

  /** Applies the visitor's volume, mute and speaker to a new call's element, and keeps them there. */
  #watchAudio(audio: HTMLAudioElement | undefined): void {
    if (audio === this.#audio) return;
    this.#audio?.removeEventListener('volumechange', this.#applyVoice);
    this.#audio = audio;
    if (!audio) return;
    // LiveKit unmutes the element each time it attaches a track to it: the visitor's choice wins.
    audio.addEventListener('volumechange', this.#applyVoice);
    this.#applyVoice();
    if (deviceChoices.speaker && canChooseSpeaker()) void audio.setSinkId(deviceChoices.speaker).catch(() => {});
  }

  readonly #applyVoice = (): void => {
    const audio = this.#audio;
    if (!audio) return;
    if (audio.muted !== deviceChoices.muted) audio.muted = deviceChoices.muted;
    if (audio.volume !== deviceChoices.volume) audio.volume = deviceChoices.volume;
  };

  /** Tells the page (`equos-device-change`); `label` '' when no microphone is left. */
  #fire(kind: 'audioinput' | 'audiooutput', label: string, reason: 'chosen' | 'unplugged'): void {
    this.#host.dispatchEvent(new EquosDeviceChangeEvent({ kind, label, reason }));
  }

  #nameOf(id: string, devices: readonly Device[], kindName: string): string {
    const index = devices.findIndex((device) => device.id === id);
    return index < 0 ? kindName : deviceName(devices[index]!, index, kindName);
  }

  #strings() {
    return conversationStrings((this.#host as ConversationWordsHost).conversationStrings);
  }

  #enqueue(job: () => Promise<void>): void {
    this.#queue = this.#queue.then(job).catch(() => {});
  }
}
