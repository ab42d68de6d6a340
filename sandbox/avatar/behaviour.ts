/**
 * What the demo avatar does, as a pure state machine: greet, listen while the visitor
 * speaks, and after a pause say "here is what I heard" and play the visitor's own words back,
 * which proves to a newcomer that their microphone reaches the avatar.
 *
 * Inputs are events; outputs are the commands the caller carries out (play a line, change the
 * face). Time comes in with the events, so tests need no clock.
 */

/** The face the avatar shows. */
export type Face = 'idle' | 'talking' | 'listening';

/** Lines the avatar can say. */
export type Line = 'greeting' | 'heard' | 'echo';

/** Where the avatar is in the conversation. */
export type BehaviourState =
  | { name: 'waiting' }
  | { name: 'speaking'; line: Line }
  | { name: 'idle' }
  | { name: 'listening'; speechStartedAt: number; lastSpeechAt: number }
  | { name: 'ended' };

/** Things that happen to the avatar. */
export type BehaviourEvent =
  | { type: 'start' }
  | { type: 'line-finished' }
  /** A visitor audio packet; `speech` when it is loud enough to be speech. */
  | { type: 'visitor-audio'; at: number; speech: boolean }
  | { type: 'tick'; at: number }
  | { type: 'stop' };

/** What the caller must do after a transition. */
export type BehaviourCommand =
  | { type: 'face'; face: Face }
  | { type: 'say'; line: Line }
  /** Start keeping the visitor's audio packets (the recording `echo` will play). */
  | { type: 'record-start' }
  | { type: 'record-discard' };

/** Timing of the conversation, in ms. */
export const BEHAVIOUR_TIMING = {
  /** Silence after speech that counts as "the visitor finished". */
  endOfSpeechMs: 1200,
  /** Shorter bursts are noise (a cough, a click), not something to repeat. */
  minSpeechMs: 500,
  /** Longest recording played back. */
  maxSpeechMs: 10_000,
} as const;

/** The result of one transition. */
export interface Transition {
  state: BehaviourState;
  commands: BehaviourCommand[];
}

/**
 * Advances the machine by one event.
 *
 * @example
 * let { state, commands } = transition({ name: 'waiting' }, { type: 'start' });
 * // commands: [{ type: 'face', face: 'talking' }, { type: 'say', line: 'greeting' }]
 */
export function transition(state: BehaviourState, event: BehaviourEvent): Transition {
  const stay: Transition = { state, commands: [] };
  if (event.type === 'stop') return { state: { name: 'ended' }, commands: [] };
  switch (state.name) {
    case 'waiting':
      return event.type === 'start' ? speak('greeting') : stay;
    case 'speaking':
      if (event.type !== 'line-finished') return stay;
      if (state.line === 'heard') return speak('echo');
      return { state: { name: 'idle' }, commands: [{ type: 'face', face: 'idle' }] };
    case 'idle':
      if (event.type === 'visitor-audio' && event.speech) {
        return {
          state: { name: 'listening', speechStartedAt: event.at, lastSpeechAt: event.at },
          commands: [{ type: 'face', face: 'listening' }, { type: 'record-start' }],
        };
      }
      return stay;
    case 'listening': {
      if (event.type === 'visitor-audio') {
        return event.speech ? { state: { ...state, lastSpeechAt: event.at }, commands: [] } : stay;
      }
      if (event.type !== 'tick') return stay;
      const spokeFor = state.lastSpeechAt - state.speechStartedAt;
      const finished = event.at - state.lastSpeechAt >= BEHAVIOUR_TIMING.endOfSpeechMs;
      const tooLong = event.at - state.speechStartedAt >= BEHAVIOUR_TIMING.maxSpeechMs;
      if (!finished && !tooLong) return stay;
      if (spokeFor < BEHAVIOUR_TIMING.minSpeechMs && !tooLong) {
        return { state: { name: 'idle' }, commands: [{ type: 'record-discard' }, { type: 'face', face: 'idle' }] };
      }
      return speak('heard');
    }
    case 'ended':
      return stay;
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

function speak(line: Line): Transition {
  return { state: { name: 'speaking', line }, commands: [{ type: 'face', face: 'talking' }, { type: 'say', line }] };
}
