/**
 * Every sentence the widget shows or announces. A locale implements these interfaces, so a
 * missing key is a compile error rather than an English word in a French page.
 */
import type { EndReason, ErrorCause } from '../call/machine.js';

/** The widget's words in one language: what the launcher and the panel say. */
export interface Strings {
  talkTo(name: string): string;
  backToConversation(name: string): string;
  /** A proactive invitation's teaser beside the launcher (`invite-*` attributes): "Questions? Ask Ava". */
  invitation(name: string): string;
  /** The label of the teaser's × button. */
  dismissInvitation: string;
  dialogLabel(name: string): string;
  intro(name: string): string;
  start: string;
  startAgain: string;
  tryAgain: string;
  hangUp: string;
  minimize: string;
  microphone: string;
  tapForSound(name: string): string;
  /** Over the stage while the avatar takes long to join (`avatar-late`). */
  avatarLate(name: string): string;
  /** Over the stage while the avatar that dropped out has its grace to come back (`avatar-away`). */
  avatarAway(name: string): string;
  /** Over the stage when nobody has spoken or typed for a while (`idle-check`): "Still there?". */
  stillThere(name: string): string;
  /** The button that answers `stillThere`: the call goes on. */
  continue: string;
  /** Under `avatarLate` and `stillThere`, counting down each second: when the call ends by itself. */
  endingIn(seconds: number): string;
  /**
   * The site's disclosure before the first call, when it asks for consent (`consent-version`):
   * that the avatar is an AI, that the microphone is used, and a link to the site's privacy page.
   */
  consent: {
    /** Its heading, and the status line while it is shown. */
    title: string;
    text(name: string): string;
    /** The link to the site's privacy page (`privacy-url`). */
    privacy: string;
    /** Agrees and starts the call. */
    accept: string;
    decline: string;
  };
  status: {
    idle: string;
    starting: string;
    connecting: string;
    waiting(name: string): string;
    /** Still waiting for the avatar, past the first bound. */
    late(name: string): string;
    /** The avatar dropped out of a live call. */
    away(name: string): string;
    /** Nobody has spoken or typed for a while: the call asks whether the visitor is still there. */
    stillThere: string;
    listening: string;
    speaking(name: string): string;
    /** Live, with the visitor's microphone off. */
    muted: string;
    reconnecting: string;
    ending: string;
    ended: string;
    error: string;
  };
  ended: Record<EndReason, (name: string, duration: string) => string>;
  errors: Record<ErrorCause, (name: string) => string>;
}

/**
 * The words only a call shows (captions, transcript, typing, devices, the connection, the
 * floating window): English travels in the call's file (../live/conversation/strings.ts),
 * every other language in a file of its own (./call/<lang>.ts), fetched at the first sign of
 * intent, so a page in another language does not load them before its launcher shows.
 */
export interface ConversationStrings {
  captions: string;
  transcript: string;
  copy: string;
  copied: string;
  /** The toggle that floats the avatar's video in a window of its own (Picture-in-Picture; pressed: floating). */
  pictureInPicture: string;
  /** Over the panel's stage while the avatar's video is in that window. */
  inFloatingWindow(name: string): string;
  you: string;
  typeMessage: string;
  typeTo(name: string): string;
  send: string;
  /** The devices button and its menu (microphone, the avatar's volume, speaker). */
  devices: string;
  /** The devices menu's list of microphones, and the start of a nameless one's "Microphone 2". */
  microphoneChoice: string;
  /** The devices menu's list of speakers, and the start of a nameless one's "Speaker 2". */
  speakerChoice: string;
  /** The slider of the avatar's volume. */
  volume: string;
  /** The toggle that mutes the avatar's voice (pressed: muted). */
  muteVoice: string;
  /** The microphone in use was unplugged; the call goes on with `device` (the default input). */
  microphoneSwitched(device: string): string;
  /** The call goes ahead without a microphone. */
  noMicrophone(name: string): string;
  /** The avatar says the session ends soon. */
  endsSoon(seconds: number): string;
  /** The countdown badge (`clock` is m:ss). */
  timeLeft(clock: string): string;
  /** The connection indicator's label, by the quality LiveKit reports. */
  qualityExcellent: string;
  qualityGood: string;
  qualityPoor: string;
  qualityLost: string;
  /** The link's note (said politely) while it is weak: audio only is offered. */
  weakConnection: string;
  /** The button that stops the avatar's video on a weak link. */
  switchToAudio: string;
  /** The button that asks for the avatar's video back. */
  switchToVideo: string;
  /** Said when the video came back by itself: the link is good again. */
  videoBack: string;
  /** The link's note while the visitor chose audio only (the avatar's video is not received). */
  audioOnlyChosen(name: string): string;
  /** The link's note while a weak link fell back to audio only; the video comes back by itself when it improves. */
  audioFallback(name: string): string;
}

/** What the launcher says: the only words the widget's script carries in English. */
export type LauncherStrings = Pick<Strings, 'talkTo' | 'backToConversation'>;

/** A language's file (`equos-avatar-<lang>.<hash>.js`, from ./<lang>.ts): the launcher's and the panel's words. */
export interface LocaleModule {
  default: Strings;
}

/** A language's file of a call's words (`equos-avatar-<lang>-call.<hash>.js`, from ./call/<lang>.ts), loaded on intent. */
export interface CallWordsModule {
  default: ConversationStrings;
}

/** A page's own version of some words: a function-valued one may be a string with placeholders. */
type Custom<T> = T extends (...args: never[]) => string ? T | string : T extends string ? string : { [K in keyof T]?: Custom<T[K]> };

/**
 * What a page may give as `strings`: any of the widget's words, in any depth, over its
 * language's. A sentence that takes values may be a string with `{name}`, `{duration}`,
 * `{seconds}` or `{clock}` where they go (`{seconds}` in `endsSoon` and `endingIn`).
 *
 * @example
 * widget.strings = { talkTo: 'Chat with {name}', status: { idle: 'Hi there' }, typeMessage: 'Ask me anything' };
 */
export type StringOverrides = Custom<Strings> & Custom<ConversationStrings>;

/** The words one widget shows: its language's with the page's own over them. */
export interface Words {
  /** Whose words they are (`en` when another language's file could not load). */
  language: string;
  /**
   * Every language's file has them all; English has only the launcher's until the panel's file
   * completes them (../panel/panel-strings.ts).
   */
  strings: LauncherStrings & Partial<Strings>;
  /** The call's, for the call's file (once its language's file is in, and the page's own); absent means English as it is. */
  conversation?: Partial<ConversationStrings>;
}

/** Formats seconds as m:ss. */
export function clock(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
