/**
 * `<equos-avatar>`: a live Equos avatar on any page. A floating launcher (or an inline
 * panel) with the avatar's live video and voice, a microphone toggle with its level, and
 * hang-up. Everything lives in its shadow root.
 *
 * @event equos-state-change - `{ from, to, reason }` on every state change
 * @event equos-session-start - `{ sessionId }` when a paid session starts
 * @event equos-session-end - `{ sessionId, durationS, reason }` once a session is stopped
 * @event equos-error - `{ code, message }` when something fails
 * @event equos-open - the panel opened; `equos-close` - it closed (minimised)
 * @event equos-request-start - cancelable, before a conversation starts
 *
 * @csspart launcher - the floating button; `launcher-label` - its text
 * @csspart panel - the conversation panel; `stage` - its video area; `video` - the avatar's video
 * @csspart status - the status line; `message` - the message over the stage; `countdown` - the time left
 * @csspart start-button - start / try again; `mic-button`; `hangup-button`; `minimize-button`; `sound-button`
 *
 * @cssproperty [--equos-avatar-accent=#4f46e5] - buttons and the launcher
 * @cssproperty [--equos-avatar-accent-contrast=#fff] - text on the accent
 * @cssproperty [--equos-avatar-radius=18px] - panel corners
 * @cssproperty [--equos-avatar-font=system-ui, …] - font family
 * @cssproperty [--equos-avatar-offset-x=20px] - launcher distance from the side
 * @cssproperty [--equos-avatar-offset-y=20px] - launcher distance from the bottom
 * @cssproperty [--equos-avatar-launcher-size=60px] - launcher diameter
 * @cssproperty [--equos-avatar-panel-width=380px] - floating panel width
 * @cssproperty [--equos-avatar-panel-height=600px] - floating panel height
 * @cssproperty [--equos-avatar-inline-height=520px] - inline panel height
 * @cssproperty [--equos-avatar-z-index=2147483000] - stacking order of the floating parts
 * @cssproperty --equos-avatar-surface, --equos-avatar-text, --equos-avatar-muted, --equos-avatar-danger, --equos-avatar-shadow
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { styles } from './equos-avatar.styles.js';
import {
  EquosErrorEvent,
  EquosRequestStartEvent,
  EquosSessionEndEvent,
  EquosSessionStartEvent,
  EquosStateChangeEvent,
  EquosToggleEvent,
} from './events.js';
import { languageOf, loadStrings, stringsIfLoaded } from './i18n/localize.js';
import type { Strings } from './i18n/strings.js';
import { readConfig, type WidgetConfig } from './internal/config.js';
import { releaseAudio, unlockAudio } from './internal/audio-unlock.js';
import { loadLiveModule, widgetFileUrl } from './live-loader.js';
import { capabilities, INITIAL_STATE, sessionOf, type SessionState } from './session/machine.js';
import { fetchPresets, type PresetInfo } from './session/presets.js';
import type { LiveModule, SessionPort } from './session/session-port.js';
import { describe } from './view/describe.js';
import { renderLauncher } from './view/launcher.js';
import { renderPanel } from './view/panel.js';

const DEFAULT_AVATAR_TIMEOUT_S = 25;
/** The launcher waits this long at most for the avatar's name and the page's language. */
const LAUNCHER_READY_TIMEOUT_MS = 1500;
/** The countdown shows in a session's last this many seconds. */
const COUNTDOWN_S = 60;

export class EquosAvatarElement extends LitElement {
  static override styles = styles;
  static override properties = {
    server: { type: String },
    preset: { type: String },
    name: { type: String },
    visitorName: { type: String, attribute: 'visitor-name' },
    position: { type: String },
    mode: { type: String },
    opened: { type: Boolean, attribute: 'open', reflect: true },
    theme: { type: String },
    locale: { type: String },
    avatarTimeout: { type: Number, attribute: 'avatar-timeout' },
    _preset: { state: true },
  };

  /** The token server's URL (required). */
  declare server: string | null;
  /** Which preset (avatar) to talk to [the server's default]. */
  declare preset: string | null;
  /** The avatar's name as shown, overriding the preset's display name. */
  declare name: string | null;
  /** The visitor's name, passed to the avatar. */
  declare visitorName: string | null;
  /** `bottom-right` | `bottom-left` [bottom-right]. */
  declare position: string | null;
  /** `floating` | `inline` [floating]. */
  declare mode: string | null;
  /** Whether the panel is open (attribute `open`). */
  declare opened: boolean;
  /** `light` | `dark` | `auto` [auto]. */
  declare theme: string | null;
  /** Language of the widget [the page's, then the browser's]. */
  declare locale: string | null;
  /** Seconds to wait for the avatar to join before giving up [25]. */
  declare avatarTimeout: number | null;
  declare private _preset: PresetInfo | undefined;

  /** How the conversation file is loaded; tests and custom builds may replace it. @internal */
  liveLoader: () => Promise<LiveModule> = () => loadLiveModule(this.#config.server);

  #config: WidgetConfig = readConfig({ server: null, position: null, mode: null, theme: null });
  #warned = false;
  /** The conversation, once its file has loaded. */
  #session: SessionPort | undefined;
  #live: Promise<LiveModule> | undefined;
  /** The state shown before the conversation file has loaded. */
  #pending: SessionState = INITIAL_STATE;
  /** A start clicked while the conversation file was still loading. */
  #queuedStart = false;
  /** The token server's preset list (it does not depend on `preset`), and how to cancel its fetch. */
  #presets: { server: string; list: Promise<PresetInfo[]>; abort: AbortController } | undefined;
  #focusNext: 'panel' | 'launcher' | undefined;
  #language = 'en';
  /** The launcher shows once the name and language are known (no placeholder flash). */
  #presetSettled = false;
  #readyTimer: ReturnType<typeof setTimeout> | undefined;
  #launcherReady = false;
  #meterFrame = 0;
  #ticker: ReturnType<typeof setInterval> | undefined;
  /** Waits for the last minute, then starts `#ticker`. */
  #tickerDelay: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.server = this.preset = this.name = this.visitorName = this.position = this.mode = this.theme = this.locale = null;
    this.avatarTimeout = null;
    this.opened = false;
  }

  /** The conversation's current state. */
  get state(): SessionState {
    return this.#session?.state ?? this.#pending;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#readyTimer ??= setTimeout(() => this.#markLauncherReady(true), LAUNCHER_READY_TIMEOUT_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#presets?.abort.abort();
    this.#presets = undefined;
    clearTimeout(this.#readyTimer);
    this.#readyTimer = undefined;
    cancelAnimationFrame(this.#meterFrame);
    this.#stopTicker();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('server') || changed.has('position') || changed.has('mode') || changed.has('theme')) {
      this.#config = readConfig({ server: this.server, position: this.position, mode: this.mode, theme: this.theme });
      if (this.#config.problems.length && !this.#warned) {
        this.#warned = true;
        console.warn(`<equos-avatar>: ${this.#config.problems.join(' ')}`);
      }
    }
    if ((changed.has('server') || changed.has('preset')) && this.#config.server) void this.#loadPreset(this.#config.server);
    const language = languageOf(this.locale, document.documentElement.lang, navigator.language);
    if (language !== this.#language || changed.has('locale')) {
      this.#language = language;
      if (!stringsIfLoaded(language)) {
        void loadStrings(language, (file) => widgetFileUrl(file, this.#config.server)).then(() => this.requestUpdate(), () => {});
      }
    }
    this.#markLauncherReady(false);
  }

  protected override updated(): void {
    const focus = this.#focusNext;
    this.#focusNext = undefined;
    if (focus === 'panel') {
      // The control the visitor most likely wants next.
      const target = ['start-button', 'mic-button', 'minimize-button'].map((name) => this.renderRoot.querySelector<HTMLElement>(`[part~="${name}"]`)).find(Boolean);
      target?.focus();
    } else if (focus === 'launcher') {
      this.renderRoot.querySelector<HTMLElement>('[part~="launcher"]')?.focus();
    }
    this.#runMeter();
    this.#runTicker();
  }

  // — public methods —

  /** Opens the panel (it does not start a conversation). */
  open(): void {
    this.#setOpen(true, false);
  }

  /** Closes (minimises) the panel; a conversation goes on. */
  close(): void {
    this.#setOpen(false, false);
  }

  /** Opens the panel and starts a conversation. Best called from a click (for sound on iOS). */
  start(): void {
    this.#setOpen(true, false);
    if (this.#queuedStart || !capabilities(this.state).canStart) return;
    if (!this.dispatchEvent(new EquosRequestStartEvent())) return;
    // Inside the visitor's click: the only moment browsers let us unlock sound.
    const unlocked = unlockAudio(this.renderRoot);
    if (this.#session) {
      this.#session.start(unlocked);
      return;
    }
    this.#queuedStart = true;
    this.requestUpdate();
    this.#loadLive().then(
      (session) => {
        if (!this.#queuedStart) return releaseAudio(unlocked);
        this.#queuedStart = false;
        session.start(unlocked);
      },
      () => {
        releaseAudio(unlocked);
        if (!this.#queuedStart) return;
        this.#queuedStart = false;
        this.#setPending({ name: 'error', cause: 'load-failed' });
      },
    );
  }

  /** Ends the conversation (hang-up). */
  stop(): void {
    if (this.#queuedStart) {
      this.#queuedStart = false;
      this.requestUpdate();
    }
    this.#session?.hangUp();
  }

  /** Mutes or unmutes the visitor's microphone. */
  async setMicrophoneEnabled(enabled: boolean): Promise<void> {
    await this.#session?.setMicrophoneEnabled(enabled);
  }

  // — rendering —

  override render() {
    const config = this.#config;
    const strings = this.#strings();
    const session = this.#session;
    const state: SessionState = this.#queuedStart ? { name: 'starting' } : this.state;
    const name = this.#avatarName(state);
    const thumbnail = sessionOf(state)?.avatarThumbnailUrl ?? this._preset?.thumbnailUrl;
    const description = describe(state, strings, name);
    const floating = config.mode === 'floating';
    const { inCall } = capabilities(state);
    const deadline = session?.deadline;
    const secondsLeft = deadline !== undefined && state.name === 'live' ? (deadline - Date.now()) / 1000 : undefined;
    const root = ['root', `root--${floating ? 'floating' : 'inline'}`, config.theme === 'light' ? '' : `root--${config.theme}`];
    if (config.position === 'bottom-left') root.push('root--left');
    if (this.opened) root.push('root--open');

    return html`<div class=${root.join(' ')} part="base">
      ${floating && this.#launcherReady
        ? renderLauncher({
            label: inCall && !this.opened ? strings.backToConversation(name) : strings.talkTo(name),
            thumbnail,
            open: this.opened,
            live: inCall && !this.opened,
            showLabel: !this.opened,
            onToggle: () => this.#setOpen(!this.opened, true),
            onIntent: () => void this.#loadLive().catch(() => {}),
          })
        : nothing}
      ${renderPanel({
        strings,
        name,
        thumbnail,
        state,
        description,
        open: this.opened || !floating,
        floating,
        video: session?.videoElement ?? null,
        microphoneEnabled: session?.microphoneEnabled ?? true,
        audioBlocked: session?.audioBlocked ?? false,
        secondsLeft: secondsLeft !== undefined && secondsLeft <= COUNTDOWN_S ? secondsLeft : undefined,
        problem: config.server ? undefined : config.problems.join(' '),
        onStart: () => this.start(),
        onHangUp: () => this.stop(),
        onMinimize: () => this.#setOpen(false, true),
        onToggleMicrophone: () => void this.setMicrophoneEnabled(!(session?.microphoneEnabled ?? true)),
        onResumeAudio: () => session?.resumeAudio(),
        onKeydown: (event) => {
          if (event.key === 'Escape' && floating) {
            event.stopPropagation();
            this.#setOpen(false, true);
          }
        },
      })}
      <div class="sr-only" role="status" aria-live="polite">${description.announcement}</div>
    </div>`;
  }

  // — internals —

  #setOpen(open: boolean, fromUser: boolean): void {
    if (open === this.opened) return;
    this.opened = open;
    if (open) void this.#loadLive().catch(() => {});
    if (fromUser) this.#focusNext = open ? 'panel' : 'launcher';
    this.dispatchEvent(new EquosToggleEvent(open));
  }

  /** Loads the conversation file once (again after a failure) and creates the conversation. */
  #loadLive(): Promise<SessionPort> {
    this.#live ??= this.liveLoader();
    return this.#live.then(
      (module) => {
        this.#session ??= module.createSession(this, {
          server: () => this.#config.server,
          preset: () => this.preset ?? undefined,
          participantName: () => this.visitorName ?? undefined,
          avatarJoinTimeoutMs: () => (this.avatarTimeout && this.avatarTimeout > 0 ? this.avatarTimeout : DEFAULT_AVATAR_TIMEOUT_S) * 1000,
          onTransition: (from, to) => this.#onTransition(from, to),
        });
        return this.#session;
      },
      (error: unknown) => {
        this.#live = undefined;
        throw error;
      },
    );
  }

  /** Changes the state shown before the conversation file has loaded. */
  #setPending(to: SessionState): void {
    const from = this.#pending;
    this.#pending = to;
    this.requestUpdate();
    this.#onTransition(from, to);
  }

  /** Picks the preset to show from the server's list, fetched once per server. */
  async #loadPreset(server: URL): Promise<void> {
    if (this.#presets?.server !== server.href) {
      this.#presets?.abort.abort();
      const abort = new AbortController();
      this.#presets = { server: server.href, list: fetchPresets(server, abort.signal), abort };
    }
    const { list, abort } = this.#presets;
    try {
      const presets = await list;
      if (abort.signal.aborted) return;
      this._preset = presets.find((preset) => preset.name === (this.preset ?? '').trim().toLowerCase()) ?? presets[0];
    } catch {
      // The launcher works without a name or picture; starting reports real errors.
      // A failed list is fetched again on the next change.
      if (this.#presets?.list === list) this.#presets = undefined;
    }
    if (!abort.signal.aborted) {
      this.#presetSettled = true;
      this.requestUpdate();
    }
  }

  #onTransition(from: SessionState, to: SessionState): void {
    const reason = to.name === 'error' ? to.cause : to.name === 'ended' ? to.reason : undefined;
    // Changes within a state (the avatar speaking, a reconnection) are not state changes.
    if (from.name !== to.name) this.dispatchEvent(new EquosStateChangeEvent({ from: from.name, to: to.name, ...(reason ? { reason } : {}) }));
    if (from.name === 'starting' && to.name === 'connecting') this.dispatchEvent(new EquosSessionStartEvent({ sessionId: to.session.sessionId }));
    if (from.name === 'ending' && (to.name === 'ended' || to.name === 'error')) {
      this.dispatchEvent(
        new EquosSessionEndEvent({
          sessionId: from.session.sessionId,
          durationS: Math.max(0, Math.round((Date.now() - from.session.startedAt) / 1000)),
          reason: to.name === 'ended' ? to.reason : to.cause,
        }),
      );
    }
    if (to.name === 'error') {
      this.dispatchEvent(new EquosErrorEvent({ code: to.cause, message: this.#strings().errors[to.cause](this.#avatarName(to)) }));
    }
  }

  /** The avatar's name as shown: the `name` attribute, the session's, the preset's, or a default. */
  #avatarName(state: SessionState): string {
    return this.name || sessionOf(state)?.avatarName || this._preset?.displayName || 'Assistant';
  }

  /** The strings of the widget's language, English until they have loaded. */
  #strings(): Strings {
    return stringsIfLoaded(this.#language) ?? stringsIfLoaded('en')!;
  }

  /** Shows the launcher once the avatar's name and the language are known, or after a while regardless. */
  #markLauncherReady(timedOut: boolean): void {
    if (this.#launcherReady) return;
    const settled = (this.#presetSettled || !this.#config.server) && stringsIfLoaded(this.#language) !== undefined;
    if (!settled && !timedOut) return;
    this.#launcherReady = true;
    clearTimeout(this.#readyTimer);
    this.requestUpdate();
  }

  /** Animates the microphone meter while a call is on screen. */
  #runMeter(): void {
    cancelAnimationFrame(this.#meterFrame);
    if (!this.#session || !capabilities(this.state).inCall || !this.opened) return;
    const button = this.renderRoot.querySelector<HTMLElement>('[part~="mic-button"]');
    const frame = () => {
      button?.style.setProperty('--_level', (this.#session?.microphoneLevel() ?? 0).toFixed(2));
      this.#meterFrame = requestAnimationFrame(frame);
    };
    this.#meterFrame = requestAnimationFrame(frame);
  }

  /** Re-renders every second in the last minute, for the countdown. */
  #runTicker(): void {
    const deadline = this.state.name === 'live' ? this.#session?.deadline : undefined;
    if (deadline === undefined) return this.#stopTicker();
    if (this.#ticker || this.#tickerDelay) return;
    const tick = () => {
      this.#tickerDelay = undefined;
      this.#ticker = setInterval(() => this.requestUpdate(), 1000);
    };
    const wait = deadline - COUNTDOWN_S * 1000 - Date.now();
    if (wait <= 0) return tick();
    this.#tickerDelay = setTimeout(() => {
      tick();
      this.requestUpdate();
    }, wait);
  }

  #stopTicker(): void {
    clearTimeout(this.#tickerDelay);
    this.#tickerDelay = undefined;
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }
}
