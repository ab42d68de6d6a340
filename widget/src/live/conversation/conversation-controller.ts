/**
 * The conversation's text side of one call: what the avatar and the visitor said (captions,
 * transcript), what the visitor types, the page's context, and the page events of Equos'
 * real-time channel (`equos-utterance`, `equos-trigger`, `equos-expire-soon`).
 *
 * It reads the call's state (never holds it: ../../call/call-controller.ts does) and is fed
 * the avatar's messages by the call runner, which also carries what it sends to the room.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { MAX_CONTEXT_CHARS, MAX_TYPED_CHARS, type AgentMessage, type PageMessage } from '../../../../contract/equos/realtime.js';
import type { CallPort } from '../../call/live-port.js';
import { traitsOf } from '../../call/state-table.js';
import { EquosExpireSoonEvent, EquosTriggerEvent, EquosUtteranceEvent } from '../../events.js';
import { clock } from '../../i18n/strings.js';
import { ConversationView } from './conversation-view.js';
import { StageView } from './stage-view.js';
import { conversationStrings, type ConversationWordsHost } from './strings.js';
import { captionText, Transcript, type Author } from './transcript.js';

/** What the conversation needs from its call. */
export interface ConversationDeps {
  call: CallPort;
  avatarName(): string;
  /** The page's context for the avatar (`context` attribute / `EquosAvatar.setContext`). */
  context(): string | undefined;
  /** The call goes on without a microphone (refused or absent): listen and type. */
  microphoneMissing(): boolean;
  /** Seconds left while the countdown shows. */
  secondsLeft(): number | undefined;
  /** Sends a message to the avatar; rejects when it could not. */
  send(message: PageMessage): Promise<void>;
  /** The avatar says the session ends in `seconds`. */
  onExpireSoon(seconds: number): void;
  /** The visitor spoke (the avatar heard a line of theirs) or typed: `lastActivityAt` moved. */
  onActivity(): void;
}

/**
 * Whether captions show, for every call on this page: a visitor who turned them off once
 * should not have to again (in memory only: nothing is stored on the visitor's device).
 */
let captionsChoice: boolean | undefined;

/** The text side of one `<equos-avatar>`'s calls. */
export class ConversationController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #deps: ConversationDeps;
  readonly #view: ConversationView;
  readonly #stage = new StageView();
  #transcript = new Transcript();
  #lastActivityAt = Date.now();
  #transcriptOpen = false;
  /** The context the avatar has been told in this stay of the avatar (undefined: nothing yet). */
  #contextSent: string | undefined;
  #warnedContext = false;
  /** The no-microphone notice has been announced in this call. */
  #announcedNoMicrophone = false;
  #captionTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, deps: ConversationDeps) {
    this.#host = host;
    this.#deps = deps;
    this.#view = new ConversationView({
      onSend: (text) => this.#sendTyped(text),
      onToggleCaptions: () => {
        captionsChoice = !this.#captionsOn();
        host.requestUpdate();
      },
      onToggleTranscript: () => {
        this.#transcriptOpen = !this.#transcriptOpen;
        host.requestUpdate();
      },
      onCopy: () => void this.#copy(),
    });
    host.addController(this);
  }

  /** When the visitor last spoke (the avatar heard a line of theirs) or typed, or the call started (ms). */
  get lastActivityAt(): number {
    return this.#lastActivityAt;
  }

  /** The visitor answered "Still there?": they are here, so the idle time the heartbeats report starts again. */
  present(): void {
    this.#lastActivityAt = Date.now();
  }

  /** A new call starts: the last one's lines go. */
  reset(): void {
    this.#lastActivityAt = Date.now();
    this.#transcript = new Transcript();
    this.#contextSent = undefined;
    this.#announcedNoMicrophone = false;
    clearTimeout(this.#captionTimer);
    this.#host.requestUpdate();
  }

  /** Handles a message the avatar sent. */
  receive(message: AgentMessage): void {
    switch (message.type) {
      case 'utterance': {
        const { author, content, finished } = message.utterance;
        if (author === 'user') this.#active();
        this.#transcript.applyUtterance(message.utterance, Date.now());
        if (author === 'agent') this.#scheduleCaptionExpiry();
        this.#host.dispatchEvent(new EquosUtteranceEvent({ author, content, finished }));
        break;
      }
      case 'interrupt':
        this.#transcript.interrupt();
        break;
      case 'trigger':
        this.#host.dispatchEvent(new EquosTriggerEvent({ name: message.name, params: message.params }));
        return;
      case 'expire_soon': {
        const seconds = Math.round(message.seconds_remaining);
        this.#deps.onExpireSoon(seconds);
        this.#view.announce(this.#strings().endsSoon(seconds));
        this.#host.dispatchEvent(new EquosExpireSoonEvent({ secondsRemaining: seconds }));
        break;
      }
      case 'error':
        // The avatar reports a problem of its own; the call goes on, and if it cannot, the
        // room's events end it. Nothing for the visitor to act on.
        return;
    }
    this.#host.requestUpdate();
  }

  hostUpdated(): void {
    const state = this.#deps.call.state;
    const { inCall, conversing } = traitsOf(state);
    const live = state.name === 'live';
    const root = this.#host.shadowRoot;
    if (!root || !this.#view.mountIn(root) || !this.#stage.mountIn(root)) return;
    if (conversing) this.#tellContext();
    // An avatar that joins (or comes back after dropping out: a new participant) is told afresh.
    else if (!inCall || state.name === 'waiting-for-avatar' || state.name === 'avatar-away') this.#contextSent = undefined;
    const lines = this.#transcript.lines;
    const strings = this.#strings();
    const noMicrophone = inCall && this.#deps.microphoneMissing() ? strings.noMicrophone(this.#deps.avatarName()) : undefined;
    if (noMicrophone && live && !this.#announcedNoMicrophone) {
      // Said once, when the call is on: a screen-reader user learns they can type.
      this.#announcedNoMicrophone = true;
      this.#view.announce(noMicrophone);
    }
    const secondsLeft = this.#deps.secondsLeft();
    this.#stage.render({
      // Not while reconnecting: the stage's message says what is going on, where captions sit.
      caption: live && !state.reconnecting && this.#captionsOn() ? captionText(this.#transcript.caption?.text ?? '') : '',
      speaking: live && state.avatarSpeaking && !state.reconnecting,
      timeLeft: secondsLeft !== undefined && traitsOf(state).countdown ? strings.timeLeft(clock(secondsLeft)) : '',
    });
    this.#view.render({
      strings,
      avatarName: this.#deps.avatarName(),
      visible: inCall || (state.name === 'ended' && lines.length > 0),
      typing: inCall ? (conversing ? 'enabled' : 'disabled') : 'hidden',
      captionsOn: this.#captionsOn(),
      transcriptOpen: this.#transcriptOpen,
      lines,
      notice: noMicrophone,
    });
  }

  hostDisconnected(): void {
    clearTimeout(this.#captionTimer);
  }

  #strings() {
    return conversationStrings((this.#host as ConversationWordsHost).conversationStrings);
  }

  #captionsOn(): boolean {
    return captionsChoice ?? this.#host.getAttribute('captions') !== 'off';
  }

  /** Tells the avatar the page's context once it is there, and again whenever it changes. */
  #tellContext(): void {
    let context = this.#deps.context()?.trim() ?? '';
    if (context.length > MAX_CONTEXT_CHARS) {
      if (!this.#warnedContext) {
        this.#warnedContext = true;
        console.warn(`<equos-avatar>: the context is ${context.length} characters; only the first ${MAX_CONTEXT_CHARS} are sent. Shorten the context attribute (or EquosAvatar.setContext).`);
      }
      context = context.slice(0, MAX_CONTEXT_CHARS);
    }
    if (context === (this.#contextSent ?? '')) return;
    this.#contextSent = context;
    this.#deps.send({ type: 'context', content: context }).catch(() => {
      // Not delivered (the room is going): tell it again next time the avatar is there.
      this.#contextSent = undefined;
    });
  }

  #sendTyped(raw: string): void {
    if (!traitsOf(this.#deps.call.state).conversing) return;
    const text = raw.slice(0, MAX_TYPED_CHARS);
    this.#transcript.addTyped(text);
    this.#host.dispatchEvent(new EquosUtteranceEvent({ author: 'user', content: text, finished: true }));
    void this.#deps.send({ type: 'usr.txt', text }).catch(() => {});
    this.#host.requestUpdate();
    this.#view.focusInput();
    this.#active();
  }

  /** The visitor spoke or typed. */
  #active(): void {
    this.#lastActivityAt = Date.now();
    this.#deps.onActivity();
  }

  async #copy(): Promise<void> {
    const name = this.#deps.avatarName();
    const you = this.#strings().you;
    const text = this.#transcript.toText((author: Author) => (author === 'agent' ? name : you));
    try {
      await navigator.clipboard.writeText(text);
      this.#view.announce(this.#strings().copied);
    } catch {
      // No clipboard (permissions, an insecure page): the text stays selectable by hand.
    }
  }

  #scheduleCaptionExpiry(): void {
    clearTimeout(this.#captionTimer);
    const until = this.#transcript.caption?.until;
    if (until === undefined) return;
    this.#captionTimer = setTimeout(() => {
      if (this.#transcript.expireCaption(Date.now())) this.#host.requestUpdate();
    }, until - Date.now());
  }
}
