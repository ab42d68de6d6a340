/**
 * What each state of a call allows and shows, in one table keyed by state name: the views,
 * the controllers and the call controller read it instead of comparing state names. A state
 * added to the machine without its row here does not compile.
 */
import { LINK_TABLE, type LinkTraits } from './link.js';
import type { CallState, StateName } from './machine.js';

/** The controls focus can be put on, by part name. */
export type ControlPart = 'start-button' | 'consent-button' | 'continue-button' | 'mic-button' | 'hangup-button' | 'minimize-button';

/** What one state allows and shows. */
export interface StateTraits {
  /** The label of the start button ("Start", "Try again", "Start again"), or null: no start in this state. */
  start: 'start' | 'tryAgain' | 'startAgain' | null;
  /** A paid session may be running or about to: hang-up ends (or cancels) it. */
  canHangUp: boolean;
  /** Joined or joining the room: the microphone and the avatar are in play. */
  inCall: boolean;
  /** Something is under way that the visitor waits for. */
  busy: boolean;
  /** The microphone button works. */
  microphone: boolean;
  /** The avatar's video is on the stage (once it has arrived). */
  video: boolean;
  /** The time left may be counted down. */
  countdown: boolean;
  /** The introduction is shown over the stage. */
  intro: boolean;
  /** The hang-up button shows its words, not only its icon: ending now is the visitor's way out. */
  hangUpLabelled: boolean;
  /** The "Still there?" answer, a continue button, is offered: going on is the visitor's way back. */
  continueOffered: boolean;
  /** The avatar is there and listening: the visitor can type to it, and it is told the page's context. */
  conversing: boolean;
  /** The site's AI disclosure is shown, with its agree (which starts) and decline buttons, in place of the start button. */
  consent: boolean;
  /** Where focus goes when it has to move inside the panel, best first (those present and enabled). */
  focus: readonly ControlPart[];
}

const IN_CALL = { start: null, canHangUp: true, inCall: true, busy: true, microphone: true, video: false, countdown: false, intro: false, hangUpLabelled: false, continueOffered: false, conversing: false, consent: false, focus: ['mic-button', 'hangup-button', 'minimize-button'] } as const;
const AT_REST = { canHangUp: false, inCall: false, busy: false, microphone: false, video: false, countdown: false, intro: false, hangUpLabelled: false, continueOffered: false, conversing: false, consent: false, focus: ['start-button', 'minimize-button'] } as const;

/** Every state's row. */
export const STATE_TABLE = {
  idle: { ...AT_REST, start: 'start', intro: true },
  // Agreeing is the start (the label comes from the disclosure's words): nothing runs or is paid for yet.
  consent: { ...AT_REST, start: 'start', consent: true, focus: ['consent-button', 'minimize-button'] },
  starting: { ...IN_CALL, inCall: false, microphone: false, focus: ['hangup-button', 'minimize-button'] },
  connecting: IN_CALL,
  'waiting-for-avatar': { ...IN_CALL, video: true },
  // The call is about to end by itself: ending it now is offered first (labelled, focused).
  'avatar-late': { ...IN_CALL, video: true, hangUpLabelled: true, focus: ['hangup-button', 'mic-button', 'minimize-button'] },
  live: { ...IN_CALL, busy: false, video: true, countdown: true, conversing: true },
  // Nobody has spoken or typed for a while: going on is offered first (focused); speaking or typing answers too.
  'idle-check': { ...IN_CALL, busy: false, video: true, countdown: true, conversing: true, continueOffered: true, focus: ['continue-button', 'mic-button', 'hangup-button', 'minimize-button'] },
  // The avatar's video is gone (its picture waits in its place); the session's clock still runs.
  'avatar-away': { ...IN_CALL, countdown: true },
  ending: { ...IN_CALL, canHangUp: false, inCall: false, microphone: false, focus: ['minimize-button'] },
  ended: { ...AT_REST, start: 'startAgain' },
  error: { ...AT_REST, start: 'tryAgain' },
} as const satisfies Record<StateName, StateTraits>;

/** Each row as it is while the avatar's video is not received (audio only): no video on the stage. */
const WITHOUT_VIDEO = new Map<StateName, StateTraits>((Object.keys(STATE_TABLE) as StateName[]).map((name) => [name, { ...STATE_TABLE[name], video: false }]));

/** The row of `state`: its state's, without the video while its link does not receive it (./link.ts). */
export function traitsOf(state: CallState): StateTraits {
  return 'link' in state && !LINK_TABLE[state.link.name].receivesVideo ? WITHOUT_VIDEO.get(state.name)! : STATE_TABLE[state.name];
}

/** What the link of `state` allows, for a state joined to the room; `undefined` otherwise. */
export function linkTraitsOf(state: CallState): LinkTraits | undefined {
  return 'link' in state ? LINK_TABLE[state.link.name] : undefined;
}
