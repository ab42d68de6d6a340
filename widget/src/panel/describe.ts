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
  /** What a screen reader hears when the state changes (the message, else the status). */
  announcement: string;
}

/**
 * Describes `state` for the avatar called `name`.
 *
 * @param microphoneOn whether the visitor's microphone is on [true]: a live call with it off says so
 */
export function describe(state: CallState, strings: Strings, name: string, microphoneOn = true): Description {
  const described = describeState(state, strings, name, microphoneOn);
  return { ...described, announcement: described.message ?? described.status };
}

function describeState(state: CallState, strings: Strings, name: string, microphoneOn: boolean): Omit<Description, 'announcement'> {
  switch (state.name) {
    case 'idle':
      return { status: strings.status.idle, tone: 'idle' };
    case 'starting':
      return { status: strings.status.starting, tone: 'busy' };
    case 'connecting':
      return { status: strings.status.connecting, tone: 'busy' };
    case 'waiting-for-avatar':
      return { status: strings.status.waiting(name), tone: 'busy' };
    case 'live':
      if (state.reconnecting) return { status: strings.status.reconnecting, tone: 'warn', message: strings.status.reconnecting };
      if (!microphoneOn) return { status: strings.status.muted, tone: 'live' };
      return state.avatarSpeaking ? { status: strings.status.speaking(name), tone: 'live' } : { status: strings.status.listening, tone: 'live' };
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
