/**
 * `<equos-avatar>`: a live Equos avatar on any page. A floating launcher (or an inline
 * panel) with the avatar's live video and voice, a microphone toggle with its level, and
 * hang-up. Everything lives in its shadow root.
 *
 * @event equos-state-change - `{ from, to, reason }` on every state change of the call (`reason`: how it ended or failed,
 *   or `avatar-late`, `avatar-left` into `avatar-away`, `avatar-returned` back to `live`, `idle-warning` into `idle-check`)
 * @event equos-session-start - `{ sessionId }` when a paid session starts
 * @event equos-session-end - `{ sessionId, durationS, reason }` once a session is stopped
 * @event equos-error - `{ code, message }` when something fails
 * @event equos-open - the panel opened; `equos-close` - it closed (minimised)
 * @event equos-request-start - cancelable, before a conversation starts
 * @event equos-utterance - `{ author, content, finished }` for each line said or typed (partials, then finished)
 * @event equos-trigger - `{ name, params }` when the avatar asks the page to act
 * @event equos-expire-soon - `{ secondsRemaining }` when the avatar warns that the session ends soon
 * @event equos-idle-warning - `{ secondsRemaining }` when "Still there?" is asked
 * @event equos-quality-change - `{ quality, audioOnly, reason }` when the link's quality, or whether the avatar's video comes down it, changes
 * @event equos-device-change - `{ kind, label, reason }` when the call's microphone or speaker changes (chosen, or unplugged)
 * @event equos-picture-in-picture - `{ open, kind }` when the floating window opens or closes (`document` or `video`)
 *
 * @csspart launcher - the floating button; `launcher-label` - its text
 * @csspart panel - the conversation panel; `stage` - its video area; `video` - the avatar's video
 * @csspart status - the status line; `message` - the message over the stage; `countdown` - the time left
 * @csspart start-button - start / try again; `mic-button`; `hangup-button`; `minimize-button`; `sound-button`
 * @csspart conversation - the text side of a call; `captions`; `transcript` (with `line`, `line-agent`, `line-user`);
 *   `compose`, `text-input`, `send-button`; `captions-button`, `transcript-button`, `copy-button`; `notice`
 * @csspart quality - the connection's bars; `link-note` - the note on a weak link or in audio only; `link-button` - its offer
 * @csspart devices-button - the sound settings; `devices-menu` (with `microphone-select`, `volume`, `speaker-button`, `speaker-select`); `devices-notice`
 * @csspart picture-in-picture-button - the floating window's toggle; `picture-in-picture-note` - the stage's note while it is open
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
import type { LiveModule } from './call/live-port.js';
import { INITIAL_STATE, sessionOf, type CallState } from './call/machine.js';
import { LauncherReadyController } from './controllers/launcher-ready-controller.js';
import { LocaleController } from './controllers/locale-controller.js';
import { PanelController } from './controllers/panel-controller.js';
import { PresetsController } from './controllers/presets-controller.js';
import { styles } from './equos-avatar.styles.js';
import { EquosErrorEvent, EquosRequestStartEvent, EquosToggleEvent } from './events.js';
import { LOAD_FAILED_EN } from './i18n/en-launcher.js';
import type { ConversationStrings, StringOverrides } from './i18n/strings.js';
import { unlockAudio } from './internal/audio-unlock.js';
import { readConfig, WIDGET_DEFAULTS, type WidgetConfig } from './internal/config.js';
import { loadLiveModule, loadPanelModule, preloadLiveModule, widgetFileUrl } from './internal/widget-files.js';
import type { Panel, PanelModule } from './panel/panel-port.js';
import { renderLauncher } from './view/launcher.js';
import type { Picture } from './view/picture.js';

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
    strings: {},
    avatarTimeout: { type: Number, attribute: 'avatar-timeout' },
    context: { type: String },
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
  /**
   * The page's own words over the language's, any of them (attribute: the same as JSON);
   * assign a new object to change them. @see StringOverrides
   */
  declare strings: StringOverrides | string | null;
  /** Seconds to wait for the avatar to join before giving up [25]; from 10 s (or two fifths of it) the panel says it is late. */
  declare avatarTimeout: number | null;
  // `avatar-grace` (an avatar that drops out has to come back [8 s]) and `idle-timeout` ("Still there?" [180 s]) are read by the call's file.
  /**
   * What the page tells the avatar about itself (page, product, visitor state), sent when the
   * avatar joins and whenever it changes. Information for the avatar, not instructions.
   */
  declare context: string | null;

  /** How the call's file is loaded; tests and custom builds may replace it. @internal */
  liveLoader: () => Promise<LiveModule> = () => loadLiveModule(this.#config.server);

  #config: WidgetConfig = this.#readConfig();
  #warned = false;
  readonly #locale = new LocaleController(this, {
    locale: () => this.locale,
    custom: () => this.strings,
    locate: (file) => widgetFileUrl(file, this.#config.server),
  });
  readonly #presets = new PresetsController(this, { server: () => this.#config.server, preset: () => this.preset });
  /** The label shows once what it says is known: the name (given, or the preset's) and the language. */
  readonly #label = new LauncherReadyController(this, () => (!!this.name || this.#presets.settled || !this.#config.server) && this.#locale.ready);
  readonly #panel = new PanelController(this, {
    load: () => loadPanelModule(this.#config.server),
    create: (module) => this.#createPanel(module),
    startLost: () => this.dispatchEvent(new EquosErrorEvent({ code: 'load-failed', message: this.#unavailable() })),
  });

  constructor() {
    super();
    this.server = this.preset = this.name = this.visitorName = this.position = this.mode = this.theme = this.locale = this.strings = null;
    this.avatarTimeout = this.context = null;
    this.opened = false;
  }

  /** The call's current state. */
  get state(): CallState {
    return this.#panel.panel?.call.state ?? INITIAL_STATE;
  }

  /** The conversation's words in the widget's language, for the call's file. @internal */
  get conversationStrings(): Partial<ConversationStrings> | undefined {
    return this.#locale.conversation;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('server') || changed.has('position') || changed.has('mode') || changed.has('theme') || changed.has('avatarTimeout')) {
      this.#config = this.#readConfig();
      if (this.#config.problems.length && !this.#warned) {
        this.#warned = true;
        console.warn(`<equos-avatar>: ${this.#config.problems.join(' ')}`);
      }
    }
    // An inline or open panel is on screen now: its file comes at once.
    if (this.#isOpen()) this.#wantPanel();
  }

  /** Also waits for the panel's file when it is on its way: after `open()`, the panel is there. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let complete = await super.getUpdateComplete();
    for (let pending = this.#panel.pending; pending; pending = this.#panel.pending) {
      await pending;
      complete = await super.getUpdateComplete();
    }
    return complete;
  }

  // — public methods —

  /** Opens the panel (it does not start a call). */
  open(): void {
    this.#setOpen(true, false);
  }

  /** Closes (minimises) the panel; a call goes on. */
  close(): void {
    this.#setOpen(false, false);
  }

  /** Opens the panel and starts a call. Best called from a click (for sound on iOS). */
  start(): void {
    this.#setOpen(true, false);
    const { panel } = this.#panel;
    if ((panel ? !panel.canStart : this.#panel.starting) || !this.dispatchEvent(new EquosRequestStartEvent())) return;
    // Inside the visitor's click: the only moment browsers let us unlock sound.
    this.#panel.start(unlockAudio(this.renderRoot));
  }

  /** Ends the call (hang-up). */
  stop(): void {
    this.#panel.cancelStart();
    this.#panel.panel?.call.hangUp();
  }

  /** Mutes or unmutes the visitor's microphone. */
  async setMicrophoneEnabled(enabled: boolean): Promise<void> {
    await this.#panel.panel?.call.runner?.setMicrophoneEnabled(enabled);
  }

  // — rendering —

  override render() {
    const config = this.#config;
    const floating = config.mode === 'floating';
    const name = this.#avatarName();
    const strings = this.#locale.strings;
    const root = ['root', `root--${floating ? 'floating' : 'inline'}`, config.theme === 'light' ? '' : `root--${config.theme}`];
    // Without a position, the widget sits at the end of the page's lines: bottom-left on a right-to-left page.
    const rtl = this.closest<HTMLElement>('[dir]')?.dir === 'rtl';
    if (this.position ? config.position === 'bottom-left' : rtl) root.push('root--left');
    if (rtl) root.push('root--rtl');
    if (this.opened) root.push('root--open');
    const inCall = this.#panel.panel?.inCall ?? false;
    const drawn = this.#panel.drawn(this.#isOpen());

    return html`<div class=${root.join(' ')} part="base">
      ${floating
        ? renderLauncher({
            label: this.#label.ready ? (inCall && !this.opened ? strings.backToConversation(name) : strings.talkTo(name)) : undefined,
            picture: this.#picture(),
            open: this.opened,
            live: inCall && !this.opened,
            controls: drawn && 'panel',
            onToggle: () => this.#setOpen(!this.opened, true),
            onIntent: () => this.#intent(),
          })
        : nothing}
      ${drawn
        ? drawn.render()
        : this.#panel.failed && this.#isOpen()
          ? html`<p class="unavailable" part="message" role="alert" dir="auto">${this.#unavailable()}</p>`
          : nothing}
    </div>`;
  }

  // — internals —

  #setOpen(open: boolean, fromUser: boolean): void {
    if (open === this.opened) return;
    this.opened = open;
    if (open) this.#wantPanel();
    if (fromUser) this.#panel.focus(open ? 'panel' : 'launcher');
    this.dispatchEvent(new EquosToggleEvent(open));
  }

  /**
   * A sign the visitor may open the panel: its file, and the call's, are fetched, each in a
   * task of its own after the pointer's, so that none of them is long.
   */
  #intent(): void {
    setTimeout(() => this.#wantPanel());
    setTimeout(() => preloadLiveModule(this.#config.server));
  }

  /** The panel's file, and the call's words in the widget's language: a call may follow. */
  #wantPanel(): void {
    void this.#panel.load();
    this.#locale.wantCallWords();
  }

  #createPanel(module: PanelModule): Panel {
    return module.createPanel(this, {
      load: () => this.liveLoader(),
      server: () => this.#config.server,
      preset: () => this.preset ?? undefined,
      participantName: () => this.visitorName ?? undefined,
      avatarJoinTimeoutMs: () => this.#config.avatarTimeoutMs,
      onScreen: () => this.#isOpen(),
      microphoneButton: () => this.#part('mic-button'),
      avatarName: () => this.#avatarName(),
      context: () => this.context ?? undefined,
      words: () => this.#locale.words,
      picture: () => this.#picture(),
      floating: () => this.#config.mode === 'floating',
      shown: () => this.#isOpen(),
      problem: () => (this.#config.server ? undefined : this.#config.problems.join(' ')),
      start: () => this.start(),
      minimize: () => this.#setOpen(false, true),
      preload: () => preloadLiveModule(this.#config.server),
      launcher: () => this.#part('launcher'),
    });
  }

  #readConfig(): WidgetConfig {
    return readConfig({ server: this.server ?? null, position: this.position ?? null, mode: this.mode ?? null, theme: this.theme ?? null, avatarTimeout: this.avatarTimeout ?? null });
  }

  #isOpen(): boolean {
    return this.opened || this.#config.mode !== 'floating';
  }

  #part(name: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`[part~="${name}"]`);
  }

  /** The avatar's name as shown: the `name` attribute, the session's, the preset's, or a default. */
  #avatarName(): string {
    return this.name || sessionOf(this.state)?.avatar_name || this.#presets.preset?.display_name || WIDGET_DEFAULTS.avatarName;
  }

  /** What the visitor reads when the panel's file cannot load. */
  #unavailable(): string {
    return this.#locale.strings.errors?.['load-failed']?.(this.#avatarName()) ?? LOAD_FAILED_EN;
  }

  /** The avatar's picture: the session's, else the preset's (in the sizes the server has). */
  #picture(): Picture | undefined {
    const session = sessionOf(this.state)?.avatar_thumbnail_url;
    return session ? { src: session } : this.#presets.picture;
  }
}
