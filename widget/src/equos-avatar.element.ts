/**
 * `<equos-avatar>`: a live Equos avatar on any page. A floating launcher (or an inline
 * panel) with the avatar's live video and voice, a microphone toggle with its level, and
 * hang-up. Everything lives in its shadow root.
 *
 * @event equos-state-change - `{ from, to, reason }` on every state change of the call
 * @event equos-session-start - `{ sessionId }` when a paid session starts
 * @event equos-session-end - `{ sessionId, durationS, reason }` once a session is stopped
 * @event equos-error - `{ code, message }` when something fails
 * @event equos-open - the panel opened; `equos-close` - it closed (minimised)
 * @event equos-request-start - cancelable, before a conversation starts
 * @event equos-utterance - `{ author, content, finished }` for each line said or typed (partials, then finished)
 * @event equos-trigger - `{ name, params }` when the avatar asks the page to act
 * @event equos-expire-soon - `{ secondsRemaining }` when the avatar warns that the session ends soon
 *
 * @csspart launcher - the floating button; `launcher-label` - its text
 * @csspart panel - the conversation panel; `stage` - its video area; `video` - the avatar's video
 * @csspart status - the status line; `message` - the message over the stage; `countdown` - the time left
 * @csspart start-button - start / try again; `mic-button`; `hangup-button`; `minimize-button`; `sound-button`
 * @csspart conversation - the text side of a call; `captions`; `transcript` (with `line`, `line-agent`, `line-user`);
 *   `compose`, `text-input`, `send-button`; `captions-button`, `transcript-button`, `copy-button`; `notice`
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
import { CallController } from './call/call-controller.js';
import { loadLiveModule, widgetFileUrl } from './call/live-loader.js';
import type { LiveModule } from './call/live-port.js';
import { sessionOf, type CallState } from './call/machine.js';
import { traitsOf } from './call/state-table.js';
import { FocusController } from './controllers/focus-controller.js';
import { LauncherReadyController } from './controllers/launcher-ready-controller.js';
import { LocaleController } from './controllers/locale-controller.js';
import { PresetsController } from './controllers/presets-controller.js';
import { styles } from './equos-avatar.styles.js';
import { EquosRequestStartEvent, EquosToggleEvent } from './events.js';
import type { ConversationStrings, StringOverrides } from './i18n/strings.js';
import { unlockAudio } from './internal/audio-unlock.js';
import { readConfig, WIDGET_DEFAULTS, type WidgetConfig } from './internal/config.js';
import { describe } from './view/describe.js';
import { renderLauncher } from './view/launcher.js';
import { renderPanel } from './view/panel.js';

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
  /** Seconds to wait for the avatar to join before giving up [25]. */
  declare avatarTimeout: number | null;
  /**
   * What the page tells the avatar about itself (page, product, visitor state), sent when the
   * avatar joins and whenever it changes. Information for the avatar, not instructions.
   */
  declare context: string | null;

  /** How the second file is loaded; tests and custom builds may replace it. @internal */
  liveLoader: () => Promise<LiveModule> = () => loadLiveModule(this.#config.server);

  #config: WidgetConfig = this.#readConfig();
  #warned = false;
  readonly #locale = new LocaleController(this, {
    locale: () => this.locale,
    custom: () => this.strings,
    locate: (file) => widgetFileUrl(file, this.#config.server),
  });
  readonly #presets = new PresetsController(this, { server: () => this.#config.server, preset: () => this.preset });
  readonly #call: CallController = new CallController(this, {
    load: () => this.liveLoader(),
    server: () => this.#config.server,
    preset: () => this.preset ?? undefined,
    participantName: () => this.visitorName ?? undefined,
    avatarJoinTimeoutMs: () => this.#config.avatarTimeoutMs,
    onScreen: () => this.opened,
    microphoneButton: () => this.#part('mic-button'),
    avatarName: () => this.#avatarName(this.state),
    context: () => this.context ?? undefined,
    say: (cause): string => this.#locale.strings.errors[cause](this.#avatarName(this.#call.state)),
  });
  readonly #launcher = new LauncherReadyController(this, () => (this.#presets.settled || !this.#config.server) && this.#locale.ready);
  readonly #focus = new FocusController(this, {
    panel: () => (this.#isOpen() ? this.#part('panel') : null),
    launcher: () => this.#part('launcher'),
    preferred: () => traitsOf(this.state).focus,
  });

  constructor() {
    super();
    this.server = this.preset = this.name = this.visitorName = this.position = this.mode = this.theme = this.locale = this.strings = null;
    this.avatarTimeout = this.context = null;
    this.opened = false;
  }

  /** The call's current state. */
  get state(): CallState {
    return this.#call.state;
  }

  /** The conversation's words in the widget's language, for the second file. @internal */
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
    if (!traitsOf(this.state).start || !this.dispatchEvent(new EquosRequestStartEvent())) return;
    // Inside the visitor's click: the only moment browsers let us unlock sound.
    this.#call.start(unlockAudio(this.renderRoot));
  }

  /** Ends the call (hang-up). */
  stop(): void {
    this.#call.hangUp();
  }

  /** Mutes or unmutes the visitor's microphone. */
  async setMicrophoneEnabled(enabled: boolean): Promise<void> {
    await this.#call.runner?.setMicrophoneEnabled(enabled);
  }

  // — rendering —

  override render() {
    const config = this.#config;
    const strings = this.#locale.strings;
    const runner = this.#call.runner;
    const state = this.state;
    const name = this.#avatarName(state);
    const thumbnail = sessionOf(state)?.avatar_thumbnail_url ?? this.#presets.preset?.thumbnail_url;
    const floating = config.mode === 'floating';
    const { inCall } = traitsOf(state);
    const root = ['root', `root--${floating ? 'floating' : 'inline'}`, config.theme === 'light' ? '' : `root--${config.theme}`];
    // Without a position, the widget sits at the end of the page's lines: bottom-left on a right-to-left page.
    const rtl = this.closest<HTMLElement>('[dir]')?.dir === 'rtl';
    if (this.position ? config.position === 'bottom-left' : rtl) root.push('root--left');
    if (rtl) root.push('root--rtl');
    if (this.opened) root.push('root--open');
    const description = describe(state, strings, name, runner?.microphoneEnabled ?? true);

    return html`<div class=${root.join(' ')} part="base">
      ${floating && this.#launcher.ready
        ? renderLauncher({
            label: inCall && !this.opened ? strings.backToConversation(name) : strings.talkTo(name),
            thumbnail,
            open: this.opened,
            live: inCall && !this.opened,
            showLabel: !this.opened,
            onToggle: () => this.#setOpen(!this.opened, true),
            onIntent: () => void this.#call.prepare().catch(() => {}),
          })
        : nothing}
      ${renderPanel({
        strings,
        name,
        thumbnail,
        state,
        description,
        open: this.#isOpen(),
        floating,
        video: runner?.videoElement ?? null,
        microphoneEnabled: runner?.microphoneEnabled ?? true,
        audioBlocked: runner?.audioBlocked ?? false,
        problem: config.server ? undefined : config.problems.join(' '),
        onStart: () => this.start(),
        onHangUp: () => this.stop(),
        onMinimize: () => this.#setOpen(false, true),
        onToggleMicrophone: () => void this.setMicrophoneEnabled(!(runner?.microphoneEnabled ?? true)),
        onResumeAudio: () => runner?.resumeAudio(),
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
    if (open) void this.#call.prepare().catch(() => {});
    if (fromUser) this.#focus.request(open ? 'panel' : 'launcher');
    this.dispatchEvent(new EquosToggleEvent(open));
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
  #avatarName(state: CallState): string {
    return this.name || sessionOf(state)?.avatar_name || this.#presets.preset?.display_name || WIDGET_DEFAULTS.avatarName;
  }
}
