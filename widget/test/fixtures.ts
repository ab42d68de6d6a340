/**
 * Fixtures for the component suites: a fake real-time adapter the test drives by hand, an
 * `<equos-avatar>` mounted against the real token server and sandbox (the WTR plugin runs
 * them), and queries by `part`.
 */
import '../src/equos-avatar.js';
import type { EquosAvatarElement } from '../src/equos-avatar.element.js';
import type { LiveModule } from '../src/call/live-port.js';
import { CallRunner } from '../src/live/call-runner.js';
import type { PageMessage } from '../../contract/equos/realtime.js';
import type { RtcAdapter, RtcConnectOptions, RtcEvent } from '../src/rtc/rtc-adapter.js';
import { tokenServerUrl } from '../../testing/stack-commands.js';

/** A real-time adapter the test drives: it records calls and emits what the test says. */
export class FakeAdapter implements RtcAdapter {
  connected: RtcConnectOptions | undefined;
  disconnected = false;
  microphone: boolean[] = [];
  /** Microphones published after joining. */
  published: MediaStreamTrack[] = [];
  /** Messages sent to the avatar on the real-time channel. */
  sent: PageMessage[] = [];
  #listeners = new Set<(event: RtcEvent) => void>();
  failConnect = false;

  async connect(options: RtcConnectOptions): Promise<void> {
    if (this.failConnect) throw new Error('connect failed');
    this.connected = options;
  }
  subscribe(listener: (event: RtcEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  async setMicrophoneEnabled(enabled: boolean): Promise<void> {
    this.microphone.push(enabled);
  }
  async publishMicrophone(track: MediaStreamTrack): Promise<void> {
    this.published.push(track);
  }
  /** Microphones put in the published one's place (a device chosen, or the default after an unplug). */
  replaced: MediaStreamTrack[] = [];
  async replaceMicrophone(track: MediaStreamTrack): Promise<void> {
    this.replaced.push(track);
  }
  async send(message: PageMessage): Promise<void> {
    this.sent.push(message);
  }
  /** Each `setVideoReceived` call, in order. */
  videoReceived: boolean[] = [];
  setVideoReceived(received: boolean): void {
    this.videoReceived.push(received);
  }
  async resumeAudio(): Promise<void> {}
  async disconnect(): Promise<void> {
    this.disconnected = true;
  }
  /** Emits an event as if it came from the room. */
  emit(event: RtcEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}

/** A conversation file whose adapters are fakes; `adapters` lists them in creation order. */
export function fakeLive(): { load: () => Promise<LiveModule>; adapters: FakeAdapter[] } {
  const adapters: FakeAdapter[] = [];
  const module: LiveModule = {
    createRunner: (host, call, options) =>
      new CallRunner(host, call, {
        ...options,
        createAdapter: () => {
          const adapter = new FakeAdapter();
          adapters.push(adapter);
          return adapter;
        },
      }),
  };
  return { load: async () => module, adapters };
}

const mounted: HTMLElement[] = [];

/** Mounts `<equos-avatar>` (server = the test token server unless given) and waits for it to render. */
export async function mount(attributes: Record<string, string> = {}, live = fakeLive()): Promise<EquosAvatarElement> {
  const element = document.createElement('equos-avatar');
  const all = { server: await tokenServerUrl(), ...attributes };
  for (const [name, value] of Object.entries(all)) element.setAttribute(name, value);
  element.liveLoader = live.load;
  document.body.append(element);
  mounted.push(element);
  await element.updateComplete;
  const given = all as Record<string, string>;
  // A panel on screen (inline, or open) comes with its file, at once; the floating launcher's
  // label once the avatar's name and the language are known.
  if (given.mode === 'inline' || 'open' in given) await until(() => part(element, 'panel') !== null, 'the panel', 3000);
  if (given.mode !== 'inline') await until(() => part(element, 'launcher')?.hasAttribute('aria-label') ?? false, 'the launcher’s label', 3000);
  return element;
}

/** Mounts an open widget, starts a call and joins it (the avatar already there): the call is `live`. */
export async function liveCall(attributes: Record<string, string> = {}): Promise<{ element: EquosAvatarElement; adapter: FakeAdapter }> {
  const live = fakeLive();
  const element = await mount({ open: '', ...attributes }, live);
  part(element, 'start-button')!.click();
  await until(() => live.adapters[0]?.connected !== undefined, 'the adapter to connect');
  const adapter = live.adapters[0]!;
  adapter.emit({ type: 'connected', avatarPresent: true });
  await element.updateComplete;
  return { element, adapter };
}

/**
 * Records the `idle_s` of every heartbeat the page sends (seconds since the visitor last
 * spoke or typed, as the widget reports them), until `restore()`.
 */
export function recordHeartbeats(): { beats: number[]; restore(): void } {
  const beats: number[] = [];
  const original = window.fetch;
  window.fetch = (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (url.pathname.endsWith('/heartbeat')) beats.push(Number(url.searchParams.get('idle_s')));
    return original(input, init);
  };
  return { beats, restore: () => (window.fetch = original) };
}

/** Removes every mounted element (call in afterEach). */
export async function unmountAll(): Promise<void> {
  for (const element of mounted.splice(0)) element.remove();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/** The element of a part in the shadow root. */
export function part<T extends HTMLElement = HTMLElement>(element: EquosAvatarElement, name: string): T | null {
  return element.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
}

/** The status line's text. */
export const statusOf = (element: EquosAvatarElement) => part(element, 'status')?.textContent?.trim() ?? '';

/** The message over the stage (ends, errors, reconnection). */
export const messageOf = (element: EquosAvatarElement) => part(element, 'message')?.textContent?.trim() ?? '';

/** Waits until `accept` holds (polling every 20 ms). */
export async function until(accept: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await accept())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Loads axe-core (a UMD script) once and checks `element`, returning the violations. */
export async function axeViolations(element: Element): Promise<Array<{ id: string; help: string; nodes: unknown[] }>> {
  const global = window as unknown as { axe?: { run(context: Element, options: object): Promise<{ violations: Array<{ id: string; help: string; nodes: unknown[] }> }> } };
  if (!global.axe) {
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/node_modules/axe-core/axe.min.js';
      script.onload = () => resolve();
      script.onerror = reject;
      document.head.append(script);
    });
  }
  // Colours are measured as painted: let finite animations (the panel rising in, a fade) end
  // first, or a contrast check catches a half-transparent frame.
  // Those of its own shadow root too: a document's list leaves them out in some engines.
  const roots = [element.getRootNode() as Document | ShadowRoot, ...(element.shadowRoot ? [element.shadowRoot] : [])];
  const animations = new Set(roots.flatMap((root) => root.getAnimations()));
  await Promise.all([...animations].filter((animation) => animation.effect?.getTiming().iterations !== Infinity).map((animation) => animation.finished.catch(() => {})));
  const result = await global.axe!.run(element, { rules: { region: { enabled: false } } });
  return result.violations;
}
