/**
 * The lifecycle of one call (a visitor's conversation in one `<equos-avatar>`), as one pure
 * state machine: every state the widget can be in, every event that moves it, and nothing
 * else (no DOM, no LiveKit, no timers). The call controller (./call-controller.ts) is the one
 * holder of the state and the only caller of `transition`; the call runner of the second file
 * feeds it events and carries out what the states imply.
 *
 *   idle → (consent) → starting → connecting → waiting-for-avatar → live → ending → ended
 *                                               ↓   ↑ (joined)      ↓↑          ↘ error (with a cause) ↙
 *                                            avatar-late        avatar-away, idle-check
 *
 * `consent`: the site asks the visitor to agree to its AI disclosure (`consent-version`)
 * before the first call; nothing is paid for yet. A start with the consent given goes on to
 * `starting`, declining goes back to `idle`.
 * `avatar-late`: the avatar is taking long to join; the call ends by itself at `endsAt`.
 * `avatar-away`: the avatar dropped out of a live call; it has a grace to come back
 * (issue 14) before the call ends with `avatar-left`.
 * `idle-check`: nobody has spoken or typed for a while in a live call: "Still there?"; an
 * answer (the button, a spoken or typed line) goes back to `live`, none ends the call at
 * `endsAt` with `idle`.
 *
 * Every state joined to the room holds its `link` (./link.ts): the connection's quality and
 * whether the avatar's video comes down it; it goes along from one joined state to the next.
 */
import type { CreatedSession } from '../../../contract/token-server-api.js';
import { INITIAL_LINK, nextLink, type Link, type LinkEvent } from './link.js';

/** The paid session a call holds: the token server's answer, as the contract reads it. */
export type CallSession = CreatedSession;

/** Why a session ended normally. */
export type EndReason =
  /** The visitor hung up (or the page called `stop()`). */
  | 'hangup'
  /** The session's maximum duration passed. */
  | 'max-duration'
  /** The avatar left the room and did not come back within its grace. */
  | 'avatar-left'
  /** The room was closed by the server (session stopped elsewhere). */
  | 'closed-by-server'
  /** The page is going away or the element was removed. */
  | 'page-left'
  /** Nobody spoke or typed for `idle-timeout`, and nobody answered "Still there?". */
  | 'idle';

/** Why the widget cannot go on. */
export type ErrorCause =
  | 'misconfigured'
  | 'microphone-denied'
  | 'microphone-unavailable'
  | 'server-unreachable'
  | 'origin-not-allowed'
  /** The page's Content-Security-Policy does not let the widget reach its token server. */
  | 'blocked-by-page'
  | 'unknown-preset'
  | 'equos-failed'
  | 'busy'
  | 'load-failed'
  | 'unsupported-browser'
  | 'avatar-timeout'
  | 'connection-lost';

/** Every state, each holding only the fields valid in it. */
export type CallState =
  | { name: 'idle' }
  /** The site's AI disclosure is shown, asking the visitor to agree to `version` before the call starts. */
  | { name: 'consent'; version: string }
  | { name: 'starting' }
  | { name: 'connecting'; session: CallSession }
  | { name: 'waiting-for-avatar'; session: CallSession; link: Link }
  /** Still waiting for the avatar, past the first bound: the call ends by itself at `endsAt` (local clock, ms). */
  | { name: 'avatar-late'; session: CallSession; link: Link; endsAt: number }
  | { name: 'live'; session: CallSession; link: Link; reconnecting: boolean; avatarSpeaking: boolean }
  /** The avatar dropped out of a live call: waiting (a bounded grace) for it to come back. */
  | { name: 'avatar-away'; session: CallSession; link: Link }
  /** A live call nobody has spoken or typed in for a while: "Still there?"; unanswered, it ends at `endsAt` (local clock, ms). */
  | { name: 'idle-check'; session: CallSession; link: Link; endsAt: number }
  | { name: 'ending'; session: CallSession; outcome: Outcome }
  | { name: 'ended'; reason: EndReason; durationS: number }
  | { name: 'error'; cause: ErrorCause };

/** How a session in `ending` will be remembered: a normal end or a failure. */
export type Outcome = { type: 'ended'; reason: EndReason } | { type: 'error'; cause: ErrorCause };

/** The name of a state. */
export type StateName = CallState['name'];

/** A state joined to the room: it has a link. */
export type JoinedState = Extract<CallState, { link: Link }>;

/** Everything that can happen. */
export type CallEvent =
  /** The visitor (or the page) asks for a call; `consent`: the version of the site's disclosure still to agree to, if any. */
  | { type: 'start'; consent?: string }
  /** The visitor declined the site's disclosure. */
  | { type: 'consent-declined' }
  /** The token server created the session (and the microphone and media code are ready). */
  | { type: 'session-created'; session: CallSession }
  | { type: 'start-failed'; cause: ErrorCause }
  /** Joined the LiveKit room. */
  | { type: 'connected'; avatarPresent: boolean }
  | { type: 'avatar-joined' }
  | { type: 'avatar-left' }
  | { type: 'avatar-speaking'; speaking: boolean }
  /** The avatar has not joined by the first bound; the call will end by itself at `endsAt` (local clock, ms). */
  | { type: 'avatar-late'; endsAt: number }
  | { type: 'avatar-timeout' }
  /** The avatar that dropped out did not come back within its grace. */
  | { type: 'avatar-gone' }
  /** Nobody has spoken or typed for `idle-timeout`: ask, and end at `endsAt` (local clock, ms) without an answer. */
  | { type: 'idle-warning'; endsAt: number }
  /** The visitor answered "Still there?" (the button, or a line spoken or typed). */
  | { type: 'still-here' }
  /** "Still there?" went unanswered. */
  | { type: 'idle-timeout' }
  | { type: 'reconnecting' }
  | { type: 'reconnected' }
  /** The LiveKit connection ended without us asking (`cause`: why, when it is known not to be the network). */
  | { type: 'disconnected'; byServer: boolean; cause?: 'blocked-by-page' }
  | { type: 'max-duration' }
  | { type: 'hangup' }
  | { type: 'page-left' }
  /** The session has been stopped at the token server (or given up on). */
  | { type: 'stopped'; at: number }
  | { type: 'reset' }
  /** The link's quality changed, the visitor chose audio only or video, or a weak link stayed weak (./link.ts). */
  | LinkEvent;

/** The state before anything happened. */
export const INITIAL_STATE: CallState = { name: 'idle' };

/**
 * The next state. Events that mean nothing in a state leave it unchanged (the same object),
 * which is how late results of an abandoned attempt are ignored.
 *
 * @example
 * transition({ name: 'idle' }, { type: 'start' }) // { name: 'starting' }
 */
export function transition(state: CallState, event: CallEvent): CallState {
  if (event.type === 'quality' || event.type === 'audio-only' || event.type === 'audio-fallback') {
    if (!('link' in state)) return state;
    const link = nextLink(state.link, event);
    return link === state.link ? state : { ...state, link };
  }
  switch (state.name) {
    case 'idle':
    case 'ended':
    case 'error':
      if (event.type === 'start') return event.consent ? { name: 'consent', version: event.consent } : { name: 'starting' };
      if (event.type === 'reset') return INITIAL_STATE;
      return state;
    case 'consent':
      // Only a start with the consent given goes on: the page's own start() cannot agree for the visitor.
      if (event.type === 'start') return event.consent ? state : { name: 'starting' };
      if (event.type === 'consent-declined' || event.type === 'hangup' || event.type === 'page-left' || event.type === 'reset') return INITIAL_STATE;
      return state;
    case 'starting':
      if (event.type === 'session-created') return { name: 'connecting', session: event.session };
      if (event.type === 'start-failed') return { name: 'error', cause: event.cause };
      if (event.type === 'hangup' || event.type === 'page-left') return INITIAL_STATE;
      return state;
    case 'connecting':
    case 'waiting-for-avatar':
    case 'avatar-late':
      if (event.type === 'connected' && state.name === 'connecting') {
        return event.avatarPresent ? live(state.session, INITIAL_LINK) : { name: 'waiting-for-avatar', session: state.session, link: INITIAL_LINK };
      }
      if (state.name === 'connecting') return endOnCommonEvents(state, event);
      if (event.type === 'avatar-late' && state.name === 'waiting-for-avatar') return { name: 'avatar-late', session: state.session, link: state.link, endsAt: event.endsAt };
      if (event.type === 'avatar-joined') return live(state.session, state.link);
      if (event.type === 'avatar-timeout') return ending(state.session, failure('avatar-timeout'));
      return endOnCommonEvents(state, event);
    case 'live':
      switch (event.type) {
        case 'avatar-speaking':
          return event.speaking === state.avatarSpeaking ? state : { ...state, avatarSpeaking: event.speaking };
        case 'reconnecting':
          return state.reconnecting ? state : { ...state, reconnecting: true };
        case 'reconnected':
          return state.reconnecting ? { ...state, reconnecting: false } : state;
        case 'avatar-left':
          return { name: 'avatar-away', session: state.session, link: state.link };
        case 'idle-warning':
          return { name: 'idle-check', session: state.session, link: state.link, endsAt: event.endsAt };
        case 'max-duration':
          return ending(state.session, ended('max-duration'));
        default:
          return endOnCommonEvents(state, event);
      }
    case 'idle-check':
      switch (event.type) {
        case 'still-here':
          return live(state.session, state.link);
        case 'idle-timeout':
          return ending(state.session, ended('idle'));
        case 'avatar-left':
          return { name: 'avatar-away', session: state.session, link: state.link };
        case 'max-duration':
          return ending(state.session, ended('max-duration'));
        default:
          return endOnCommonEvents(state, event);
      }
    case 'avatar-away':
      switch (event.type) {
        case 'avatar-joined':
          return live(state.session, state.link);
        case 'avatar-gone':
          return ending(state.session, ended('avatar-left'));
        case 'max-duration':
          return ending(state.session, ended('max-duration'));
        default:
          return endOnCommonEvents(state, event);
      }
    case 'ending':
      if (event.type !== 'stopped') return state;
      return state.outcome.type === 'ended'
        ? { name: 'ended', reason: state.outcome.reason, durationS: durationS(state.session, event.at) }
        : { name: 'error', cause: state.outcome.cause };
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

/** Events that end a session in any connected state. */
function endOnCommonEvents(state: Extract<CallState, { session: CallSession }>, event: CallEvent): CallState {
  switch (event.type) {
    case 'hangup':
      return ending(state.session, ended('hangup'));
    case 'page-left':
      return ending(state.session, ended('page-left'));
    case 'disconnected':
      return ending(state.session, event.byServer ? ended('closed-by-server') : failure(event.cause ?? 'connection-lost'));
    default:
      return state;
  }
}

const live = (session: CallSession, link: Link): CallState => ({ name: 'live', session, link, reconnecting: false, avatarSpeaking: false });
const ending = (session: CallSession, outcome: Outcome): CallState => ({ name: 'ending', session, outcome });
const ended = (reason: EndReason): Outcome => ({ type: 'ended', reason });
const failure = (cause: ErrorCause): Outcome => ({ type: 'error', cause });

/** The session a state holds, if any (the paid resource that must be stopped). */
export function sessionOf(state: CallState): CallSession | undefined {
  return 'session' in state ? state.session : undefined;
}

/** How long `session` has run at `at` (ms since the epoch), in whole seconds. */
export function durationS(session: CallSession, at: number): number {
  return Math.max(0, Math.round((at - Date.parse(session.started_at)) / 1000));
}
