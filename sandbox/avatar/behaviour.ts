/**
 * What the demo avatar does, as a pure state machine. It greets once the visitor can hear it;
 * listens while the visitor speaks and, after a pause, says "here is what I heard" and plays
 * the visitor's own words back (which proves to a newcomer that their microphone reaches the
 * avatar); answers typed text, quoting it and the page's context; shows the prices when asked;
 * warns before the session's end; and stops talking when the visitor talks over it.
 *
 * Inputs are events; outputs are the commands the caller carries out (play a line, change the
 * face, send a message on Equos' real-time channel). Time comes in with the events, so tests
 * need no clock.
 */
import type { AgentMessage } from '../../contract/equos/realtime.js';
import { heardCaption, keptContext, keptTyped } from './captions.js';
import type { ExpiryPlan } from './expiry.js';

/** The face the avatar shows. */
export type Face = 'idle' | 'talking' | 'listening';

/** Lines the avatar can say: `echo` is the visitor's recording, the others are files. */
export type Line = 'greeting' | 'heard' | 'echo' | 'reply' | 'pricing' | 'expire';

/** Visitor speech heard while the avatar speaks, measured to tell talking over it from a noise. */
export interface SpeechRun {
  startedAt: number;
  lastAt: number;
}

/** What the avatar is doing. */
export type Phase =
  | { name: 'waiting' }
  | { name: 'speaking'; line: Line; overlap?: SpeechRun }
  | { name: 'idle' }
  | { name: 'listening'; speechStartedAt: number; lastSpeechAt: number }
  | { name: 'ended' };

/** Everything the avatar knows. */
export interface BehaviourState {
  phase: Phase;
  /** When a visitor was first connected, and first subscribed to the avatar's voice. */
  visitorAt?: number;
  subscribedAt?: number;
  /** The page's latest context: quoted in replies as information, never followed as instructions. */
  context?: string;
  /** `expire_soon`: not sent yet, sent with its spoken line still to come, or all done. */
  expiry: 'ahead' | 'line-due' | 'done';
}

/** The state of an avatar that has just joined. */
export const INITIAL_BEHAVIOUR: BehaviourState = { phase: { name: 'waiting' }, expiry: 'ahead' };

/** Things that happen to the avatar. */
export type BehaviourEvent =
  /** A visitor is connected (its connection is ACTIVE). */
  | { type: 'visitor-present'; at: number }
  /** A visitor's connection now receives the avatar's voice. */
  | { type: 'visitor-subscribed'; at: number }
  /** The line being said has been played to its end. */
  | { type: 'line-finished' }
  /** A visitor audio packet; `speech` when it is loud enough to be speech. */
  | { type: 'visitor-audio'; at: number; speech: boolean }
  /** The page sent `usr.txt`. */
  | { type: 'typed'; at: number; text: string }
  /** The page sent `context`. */
  | { type: 'context'; content: string }
  | { type: 'tick'; at: number }
  | { type: 'stop' };

/** What the caller must do after a transition, in order. */
export type BehaviourCommand =
  | { type: 'face'; face: Face }
  /** Play `line` with its utterances; a reply also quotes what was typed and the context. */
  | { type: 'say'; line: Line; reply?: { typed: string; context?: string } }
  /** Stop the line being said where it is; its utterance is left unfinished (an `interrupt` says why). */
  | { type: 'hush' }
  /** Publish a message on the real-time channel now. */
  | { type: 'send'; message: AgentMessage }
  /** Start keeping the visitor's audio packets from `since` on (the recording `echo` will play). */
  | { type: 'record-start'; since: number }
  | { type: 'record-discard' };

/** Timings of the conversation, in ms, and the session's end. */
export interface BehaviourSettings {
  /** Silence after speech that counts as "the visitor finished". */
  endOfSpeechMs: number;
  /** Shorter bursts are noise (a cough, a click), not something to repeat. */
  minSpeechMs: number;
  /** Longest recording played back. */
  maxSpeechMs: number;
  /** Wait after the visitor can hear the avatar before greeting (the client still attaches the track). */
  greetingDelayMs: number;
  /** Greet anyway this long after the visitor connected, for a client that never subscribes. */
  greetingFallbackMs: number;
  /**
   * Speech over the avatar's voice for this long interrupts it. Long enough that Chromium's
   * fake microphone (a short beep every half second, in every browser test) never does.
   */
  interruptAfterMs: number;
  /** Gaps in that speech up to this long still count as one stretch of talking. */
  interruptGapMs: number;
  /** When to send `expire_soon`; absent for a session without a maximum duration. */
  expiry?: ExpiryPlan;
}

/** The demo avatar's usual timings. */
export const DEFAULT_BEHAVIOUR_SETTINGS: BehaviourSettings = {
  endOfSpeechMs: 1200,
  minSpeechMs: 500,
  maxSpeechMs: 10_000,
  greetingDelayMs: 800,
  greetingFallbackMs: 3000,
  interruptAfterMs: 600,
  interruptGapMs: 200,
};

/** Typed text asking for prices makes the page show them (the demo's example of a trigger). */
const PRICING = /\bpricing\b/i;

/** The result of one transition. */
export interface Transition {
  state: BehaviourState;
  commands: BehaviourCommand[];
}

/**
 * Advances the machine by one event.
 *
 * @param settings [DEFAULT_BEHAVIOUR_SETTINGS]
 * @example
 * let { state } = transition(INITIAL_BEHAVIOUR, { type: 'visitor-present', at: 0 });
 * ({ state } = transition(state, { type: 'visitor-subscribed', at: 100 }));
 * transition(state, { type: 'tick', at: 900 }).commands;
 * // [{ type: 'face', face: 'talking' }, { type: 'say', line: 'greeting' }]
 */
export function transition(state: BehaviourState, event: BehaviourEvent, settings: BehaviourSettings = DEFAULT_BEHAVIOUR_SETTINGS): Transition {
  if (state.phase.name === 'ended') return { state, commands: [] };
  switch (event.type) {
    case 'stop':
      return { state: { ...state, phase: { name: 'ended' } }, commands: [] };
    case 'context': {
      const { context: _previous, ...rest } = state;
      const context = keptContext(event.content);
      return { state: context ? { ...rest, context } : rest, commands: [] };
    }
    case 'visitor-present':
      return onTime({ ...state, visitorAt: state.visitorAt ?? event.at }, event.at, settings);
    case 'visitor-subscribed':
      return onTime({ ...state, subscribedAt: state.subscribedAt ?? event.at }, event.at, settings);
    case 'tick':
      return onTime(state, event.at, settings);
    case 'line-finished':
      return onLineFinished(state);
    case 'visitor-audio':
      return onVisitorAudio(state, event, settings);
    case 'typed':
      return onTyped(state, event.text);
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** Time passed: greet, end a turn of listening, or warn of the session's end, when due. */
function onTime(state: BehaviourState, at: number, settings: BehaviourSettings): Transition {
  const { phase } = state;
  let result: Transition = { state, commands: [] };
  if (phase.name === 'waiting' && greetingDue(state, at, settings)) {
    result = speak(state, 'greeting');
  } else if (phase.name === 'listening') {
    const finished = at - phase.lastSpeechAt >= settings.endOfSpeechMs;
    const tooLong = at - phase.speechStartedAt >= settings.maxSpeechMs;
    if (finished || tooLong) {
      const spokeFor = phase.lastSpeechAt - phase.speechStartedAt;
      if (spokeFor < settings.minSpeechMs && !tooLong) {
        result = then([{ type: 'record-discard' }], rest(state));
      } else {
        const utterance = { author: 'user' as const, content: heardCaption(spokeFor), recordedAt: iso(phase.speechStartedAt), finished: true };
        result = then([{ type: 'send', message: { type: 'utterance', utterance } }], speak(state, 'heard'));
      }
    }
  }
  return announceExpiry(result, at, settings);
}

/** Greeting once the visitor can hear it, or after the fallback for a client that never subscribes. */
function greetingDue({ visitorAt, subscribedAt }: BehaviourState, at: number, settings: BehaviourSettings): boolean {
  if (visitorAt === undefined) return false;
  const heard = subscribedAt !== undefined && at >= Math.max(visitorAt, subscribedAt) + settings.greetingDelayMs;
  return heard || at >= visitorAt + settings.greetingFallbackMs;
}

/** Sends `expire_soon` once, when due and a visitor is there to receive it (data is not kept for latecomers). */
function announceExpiry(result: Transition, at: number, settings: BehaviourSettings): Transition {
  const { state } = result;
  const plan = settings.expiry;
  if (!plan || state.expiry !== 'ahead' || state.visitorAt === undefined || at < plan.announceAt || state.phase.name === 'ended') return result;
  const warning: BehaviourCommand = { type: 'send', message: { type: 'expire_soon', seconds_remaining: Math.max(0, Math.ceil((plan.endsAt - at) / 1000)) } };
  // The spoken warning waits for a pause: the avatar neither talks over the visitor nor cuts itself off for it.
  const next = state.phase.name === 'idle' ? speak({ ...state, expiry: 'done' }, 'expire') : { state: { ...state, expiry: 'line-due' as const }, commands: [] };
  return { state: next.state, commands: [...result.commands, warning, ...next.commands] };
}

function onLineFinished(state: BehaviourState): Transition {
  if (state.phase.name !== 'speaking') return { state, commands: [] };
  return state.phase.line === 'heard' ? speak(state, 'echo') : rest(state);
}

function onVisitorAudio(state: BehaviourState, event: { at: number; speech: boolean }, settings: BehaviourSettings): Transition {
  const { phase } = state;
  if (!event.speech) return { state, commands: [] };
  switch (phase.name) {
    case 'idle':
      return {
        state: { ...state, phase: { name: 'listening', speechStartedAt: event.at, lastSpeechAt: event.at } },
        commands: [{ type: 'face', face: 'listening' }, { type: 'record-start', since: event.at }],
      };
    case 'listening':
      return { state: { ...state, phase: { ...phase, lastSpeechAt: event.at } }, commands: [] };
    case 'speaking': {
      const continues = phase.overlap && event.at - phase.overlap.lastAt <= settings.interruptGapMs;
      const run = { startedAt: continues ? phase.overlap!.startedAt : event.at, lastAt: event.at };
      if (run.lastAt - run.startedAt < settings.interruptAfterMs) return { state: { ...state, phase: { ...phase, overlap: run } }, commands: [] };
      // Talked over: stop, say so, and listen to the whole stretch, its start included.
      return {
        state: { ...state, phase: { name: 'listening', speechStartedAt: run.startedAt, lastSpeechAt: run.lastAt } },
        commands: [
          { type: 'hush' },
          { type: 'send', message: { type: 'interrupt' } },
          { type: 'face', face: 'listening' },
          { type: 'record-start', since: run.startedAt },
        ],
      };
    }
    default:
      // Before the greeting the visitor is not listened to yet; once ended, nothing is.
      return { state, commands: [] };
  }
}

/**
 * Typed text is answered at once, as a real assistant does: a line being said is cut off (and
 * the page told, as for speech), a turn of listening is dropped for the text, and text typed
 * before the greeting is answered instead of it. The page shows the typed text itself, so no
 * user utterance is sent back for it.
 */
function onTyped(state: BehaviourState, text: string): Transition {
  const typed = keptTyped(text);
  if (!typed) return { state, commands: [] };
  const before: BehaviourCommand[] = [];
  if (state.phase.name === 'speaking') before.push({ type: 'hush' }, { type: 'send', message: { type: 'interrupt' } });
  if (state.phase.name === 'listening') before.push({ type: 'record-discard' });
  const pricing = PRICING.test(typed);
  if (pricing) before.push({ type: 'send', message: { type: 'trigger', name: 'show_pricing', params: {} } });
  const reply = { typed, ...(state.context ? { context: state.context } : {}) };
  return then(before, speak(state, pricing ? 'pricing' : 'reply', reply));
}

function speak(state: BehaviourState, line: Line, reply?: { typed: string; context?: string }): Transition {
  return {
    state: { ...state, phase: { name: 'speaking', line } },
    commands: [{ type: 'face', face: 'talking' }, { type: 'say', line, ...(reply ? { reply } : {}) }],
  };
}

/** The avatar falls quiet: it rests, unless the end of the session is still to be announced aloud. */
function rest(state: BehaviourState): Transition {
  if (state.expiry === 'line-due') return speak({ ...state, expiry: 'done' }, 'expire');
  return { state: { ...state, phase: { name: 'idle' } }, commands: [{ type: 'face', face: 'idle' }] };
}

function then(first: BehaviourCommand[], next: Transition): Transition {
  return { state: next.state, commands: [...first, ...next.commands] };
}

function iso(at: number): string {
  return new Date(at).toISOString();
}
