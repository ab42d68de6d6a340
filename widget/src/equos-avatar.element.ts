/**
 * `<equos-avatar>`'s element (the class; ./equos-avatar.ts defines the tag). Its JSDoc tags
 * below make the Custom Elements Manifest (`npm run cem`, custom-elements.json): one tag per
 * attribute, event, part and custom property.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { LiveModule } from './call/live-port.js';
import { INITIAL_STATE, sessionOf, type CallState } from './call/machine.js';
import { LauncherReadyController } from './controllers/launcher-ready-controller.js';
import { optInController } from './controllers/opt-in-controller.js';
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

/**
 * `<equos-avatar>`: a live Equos avatar on any page. A floating launcher (or an inline
 * panel) with the avatar's live video and voice, a microphone toggle with its level, and
 * hang-up. Everything lives in its shadow root.
 *
 * @attr {string} page-vars - JSON object of the preset's page variables (`{ "product": "…" }`), sent when a conversation starts
 * @attr {string} captions - `off` hides the captions until the visitor turns them on [on]
 * @attr {number} avatar-grace - seconds an avatar that drops out of a call has to come back [8]
 * @attr {number} idle-timeout - seconds without a word spoken or typed before "Still there?" is asked [180]
 * @attr {string} analytics - opt-in: `datalayer` and/or `gtag`, where the widget's events go (README, "Analytics") [none]
 * @attr {number} invite-after - a proactive invitation after this many seconds on the page (README, "Invitations")
 * @attr {number} invite-scroll - an invitation once this percentage of the page has been scrolled
 * @attr {boolean} invite-exit - an invitation when the pointer leaves the window through its top (desktop only)
 * @attr {string} invite-pages - path patterns (`*` a wildcard, comma-separated) a page must match for any invitation [every page]
 * @attr {string} invite-text - the teaser's words (`{name}`: the avatar's) [the language's "Questions? Ask {name}"]
 * @attr {number} invite-limit - how many times per visitor session an invitation shows [1]
 * @attr {string} consent-version - asks the visitor to agree to the site's AI disclosure (this version of it) before the first call; the token server records the version and time with the session (README, "Consent") [no step]
 * @attr {string} privacy-url - the site's privacy page, linked from the disclosure
 * @attr {boolean} consent-remember - remembers the visitor's consent on this site (`localStorage`), so the same version is not asked again [asked once per page]
 *
 * @event {EquosStateChangeEvent} equos-state-change - `{ from, to, reason }` on every state change of the call (`reason`: how it ended or failed,
 *   or `avatar-late`, `avatar-left` into `avatar-away`, `avatar-returned` back to `live`, `idle-warning` into `idle-check`)
 * @event {EquosSessionStartEvent} equos-session-start - `{ sessionId }` when a paid session starts
 * @event {EquosSessionEndEvent} equos-session-end - `{ sessionId, durationS, reason }` once a session is stopped
 * @event {EquosErrorEvent} equos-error - `{ code, message }` when something fails
 * @event {EquosToggleEvent} equos-open - `{ open: true }` when the panel opens
 * @event {EquosToggleEvent} equos-close - `{ open: false }` when the panel closes (minimised)
 * @event {EquosRequestStartEvent} equos-request-start - cancelable, before a conversation starts
 * @event {EquosUtteranceEvent} equos-utterance - `{ author, content, finished }` for each line said or typed (partials, then finished)
 * @event {EquosTriggerEvent} equos-trigger - `{ name, params }` when the avatar asks the page to act
 * @event {EquosExpireSoonEvent} equos-expire-soon - `{ secondsRemaining }` when the avatar warns that the session ends soon
 * @event {EquosIdleWarningEvent} equos-idle-warning - `{ secondsRemaining }` when "Still there?" is asked
 * @event {EquosQualityChangeEvent} equos-quality-change - `{ quality, audioOnly, reason }` when the link's quality, or whether the avatar's video comes down it, changes
 * @event {EquosDeviceChangeEvent} equos-device-change - `{ kind, label, reason }` when the call's microphone or speaker changes (chosen, or unplugged)
 * @event {EquosPictureInPictureEvent} equos-picture-in-picture - `{ open, kind }` when the floating window opens or closes (`document` or `video`)
 * @event {EquosConsentEvent} equos-consent - `{ given, version }` when the visitor agrees to the site's disclosure (the call starts) or declines it
 * @event {EquosInvitationEvent} equos-invitation - `{ action }` when an invitation is `shown`, `accepted` (it opened the panel) or `dismissed`
 *
 * @csspart base - the element's one root
 * @csspart launcher - the floating button
 * @csspart launcher-label - the launcher's text
 * @csspart invitation - the proactive invitation's teaser beside the launcher
 * @csspart invitation-text - the teaser's words (a button that opens the panel)
 * @csspart invitation-dismiss - the teaser's × button
 * @csspart panel - the conversation panel
 * @csspart stage - the panel's video area
 * @csspart video - the avatar's video
 * @csspart status - the status line
 * @csspart message - the message over the stage
 * @csspart countdown - the time left
 * @csspart controls - the call's buttons
 * @csspart start-button - start / try again
 * @csspart continue-button - the answer to "Still there?"
 * @csspart consent - the site's AI disclosure before the first call
 * @csspart consent-button - agrees to it and starts the call
 * @csspart consent-decline-button - declines it
 * @csspart privacy-link - the link to the site's privacy page
 * @csspart mic-button - the microphone toggle
 * @csspart hangup-button - hang-up
 * @csspart minimize-button - closes (minimises) the panel
 * @csspart sound-button - turns the avatar's sound on where the browser held it back
 * @csspart conversation - the text side of a call
 * @csspart captions - the avatar's words under the video
 * @csspart transcript - the conversation's lines
 * @csspart line - one line of the transcript
 * @csspart line-agent - a line the avatar said
 * @csspart line-user - a line the visitor said or typed
 * @csspart compose - the typing area
 * @csspart text-input - the text field
 * @csspart send-button - sends what was typed
 * @csspart captions-button - the captions' toggle
 * @csspart transcript-button - the transcript's toggle
 * @csspart copy-button - copies the transcript
 * @csspart notice - a note in the conversation
 * @csspart quality - the connection's bars
 * @csspart link-note - the note on a weak link or in audio only
 * @csspart link-button - the link note's offer
 * @csspart devices-button - the sound settings
 * @csspart devices-menu - the sound settings' menu
 * @csspart microphone-select - the microphone's list
 * @csspart volume - the avatar's volume
 * @csspart speaker-button - the speaker's mute toggle
 * @csspart speaker-select - the speaker's list
 * @csspart devices-notice - a note about the devices
 * @csspart picture-in-picture-button - the floating window's toggle
 * @csspart picture-in-picture-note - the stage's note while the floating window is open
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
 * @cssproperty --equos-avatar-surface - the panel's background
 * @cssproperty --equos-avatar-text - the panel's text
 * @cssproperty --equos-avatar-muted - secondary text
 * @cssproperty --equos-avatar-danger - hang-up and errors
 * @cssproperty --equos-avatar-shadow - the floating parts' shadow
 */
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
  liveLoader: () => Promise<LiveModule> = () => loadLiveModule(this.#locate);

  #config: WidgetConfig = this.#readConfig();
  #warned = false;
  /** Where one of the widget's later files is (next to its script, or on the token server). */
  readonly #locate = (file: string) => widgetFileUrl(file, this.#config.server);
  readonly #locale = new LocaleController(this, { locale: () => this.locale, custom: () => this.strings, locate: this.#locate });
  readonly #presets = new PresetsController(this, { server: () => this.#config.server, preset: () => this.preset });
  /** The label shows once what it says is known: the name (given, or the preset's) and the language. */
  readonly #label = new LauncherReadyController(this, () => (!!this.name || this.#presets.settled || !this.#config.server) && this.#locale.ready);
  readonly #panel = new PanelController(this, {
    load: () => loadPanelModule(this.#locate),
    create: (module) => this.#createPanel(module),
    startLost: () => this.dispatchEvent(new EquosErrorEvent({ code: 'load-failed', message: this.#unavailable() })),
  });
  /** Analytics and invitations, for a page that asks for them: `#optIn(event)` reports, `#optIn()` renders the teaser. */
  readonly #optIn = optInController(this, this.#locate, () => [this.#locale.strings, this.#avatarName()]);

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
    // An inline or open panel is on screen now: its file comes at once. Not again on every
    // render after it failed (each failure renders, and a module that failed fails at once: a
    // loop); the next sign of intent retries.
    if (this.#isOpen() && !this.#panel.failed) this.#wantPanel();
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

  /** Every event it fires passes by the page's analytics, if the page asked for them (./controllers/opt-in-controller.ts). @internal */
  override dispatchEvent(event: Event): boolean {
    this.#optIn(event);
    return super.dispatchEvent(event);
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
      ${this.#optIn()}
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
    setTimeout(() => preloadLiveModule(this.#locate));
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
      preload: () => preloadLiveModule(this.#locate),
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
