/**
 * Which state changes the call's state machine can make at all, found by applying every kind
 * of event to an example of every state: what a page may ever see in `equos-state-change`.
 */
import { transition, type CallEvent, type StateName } from '../src/call/machine.js';
import { EXAMPLE_SESSION as session, EXAMPLE_STATES as STATES } from './call-examples.js';

const EVENTS: CallEvent[] = [
  { type: 'start' },
  { type: 'start', consent: 'v1' },
  { type: 'consent-declined' },
  { type: 'session-created', session },
  { type: 'start-failed', cause: 'load-failed' },
  { type: 'connected', avatarPresent: true },
  { type: 'connected', avatarPresent: false },
  { type: 'avatar-joined' },
  { type: 'avatar-left' },
  { type: 'avatar-speaking', speaking: true },
  { type: 'avatar-late', endsAt: 15_000 },
  { type: 'avatar-timeout' },
  { type: 'avatar-gone' },
  { type: 'idle-warning', endsAt: 15_000 },
  { type: 'still-here' },
  { type: 'idle-timeout' },
  { type: 'reconnecting' },
  { type: 'reconnected' },
  { type: 'disconnected', byServer: true },
  { type: 'disconnected', byServer: false },
  { type: 'max-duration' },
  { type: 'hangup' },
  { type: 'page-left' },
  { type: 'stopped', at: 1 },
  { type: 'reset' },
];

const MOVES = new Set(STATES.flatMap((state) => EVENTS.map((event) => `${state.name}→${transition(state, event).name}`)));

/** Whether the machine can go from `from` to `to` (a different state) on some event. */
export function machineCanMove(from: StateName, to: StateName): boolean {
  return from !== to && MOVES.has(`${from}→${to}`);
}
