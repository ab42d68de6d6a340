/**
 * What each state says: the status line under the avatar's name, the message over the
 * video, and the sentence announced to screen readers. Pure, so every state's words can be
 * checked without rendering.
 */
import type { CallState } from '../call/machine.js';
import { clock, type Strings } from '../i18n/strings.js';

/** How a state reads. */
export interface Description {
  /** The short status line under the avatar's name. */
  status: string;
  tone: 'idle' | 'busy' | 'live' | 'warn' | 'error';
  /** A longer message shown over the stage, if the state needs one. */
  message?: string;
  /**
   * Under the message, re-read every second: when the call ends by itself (`avatar-late`, `idle-check`).
   * Not announced (a number changing each second would drown the screen reader).
   */
  countdown?: string;
  /** What a screen reader hears when the state changes (the message, else the status). */
  announcement: string;
}

/**
 * Describes `state` for the avatar called `name`.
 *
 * @param microphoneOn whether the visitor's microphone is on [true]: a live call with it off says so
 * @param now the local clock, ms [Date.now()]: how long until a late avatar's call, or an unanswered "Still there?", ends by itself
 */
export function describe(state: CallState, strings: Strings, name: string, microphoneOn = true, now = Date.now()): Description {
  const described = describeState(state, strings, name, microphoneOn, now);
  return { ...described, announcement: described.message ?? described.status };
}

function describeState(state: CallState, strings: Strings, name: string, microphoneOn: boolean, now: number): Omit<Description, 'announcement'> {
  switch (state.name) {
    case 'idle':
      return { status: strings.status.idle, tone: 'idle' };
    case 'consent':
      // The disclosure itself is the message: a screen reader hears it when it is shown.
      return { status: strings.consent.title, tone: 'idle', message: strings.consent.text(name) };
    case 'starting':
      return { status: strings.status.starting, tone: 'busy' };
    case 'connecting':
      return { status: strings.status.connecting, tone: 'busy' };
    case 'waiting-for-avatar':
      return { status: strings.status.waiting(name), tone: 'busy' };
    case 'avatar-late':
      return { status: strings.status.late(name), tone: 'warn', message: strings.avatarLate(name), countdown: strings.endingIn(secondsUntil(state.endsAt, now)) };
    case 'idle-check':
      return { status: strings.status.stillThere, tone: 'warn', message: strings.stillThere(name), countdown: strings.endingIn(secondsUntil(state.endsAt, now)) };
    case 'avatar-away':
      return { status: strings.status.away(name), tone: 'warn', message: strings.avatarAway(name) };
    case 'live': {
      if (state.reconnecting) return { status: strings.status.reconnecting, tone: 'warn', message: strings.status.reconnecting };
      // Audio only is said by the link's note under the stage (the call's file), leaving the captions clear.
      return { status: !microphoneOn ? strings.status.muted : state.avatarSpeaking ? strings.status.speaking(name) : strings.status.listening, tone: 'live' };
    }
    case 'ending':
      return { status: strings.status.ending, tone: 'busy' };
    case 'ended': {
      const message = strings.ended[state.reason](name, clock(state.durationS));
      return { status: strings.status.ended, tone: 'idle', message };
    }
    case 'error': {
      return { status: strings.status.error, tone: 'error', message: strings.errors[state.cause](name) };
    }
  }
}

/** Whole seconds from `now` to `endsAt` (ms), never below 0. */
const secondsUntil = (endsAt: number, now: number) => Math.max(0, Math.ceil((endsAt - now) / 1000));
