/** The session lifecycle as (state, event) → state tables. */
import { describe, expect, it } from 'vitest';
import { capabilities, INITIAL_STATE, sessionOf, transition, type SessionEvent, type SessionInfo, type SessionState } from './machine.js';

const session: SessionInfo = {
  sessionId: 'ses_1',
  stopToken: 'v1.x',
  serverUrl: 'ws://x',
  participantToken: 't',
  avatarIdentity: 'ava',
  avatarName: 'Ava',
  maxDurationS: 600,
  startedAt: 1_000_000,
  heartbeatIntervalS: 20,
};
const live = (patch: Partial<Extract<SessionState, { name: 'live' }>> = {}): SessionState => ({
  name: 'live',
  session,
  reconnecting: false,
  avatarSpeaking: false,
  ...patch,
});

const table: Array<[SessionState, SessionEvent, SessionState]> = [
  // Starting.
  [INITIAL_STATE, { type: 'start' }, { name: 'starting' }],
  [{ name: 'ended', reason: 'hangup', durationS: 3 }, { type: 'start' }, { name: 'starting' }],
  [{ name: 'error', cause: 'busy' }, { type: 'start' }, { name: 'starting' }],
  [{ name: 'starting' }, { type: 'session-created', session }, { name: 'connecting', session }],
  [{ name: 'starting' }, { type: 'start-failed', cause: 'microphone-denied' }, { name: 'error', cause: 'microphone-denied' }],
  [{ name: 'starting' }, { type: 'hangup' }, INITIAL_STATE],
  // Joining.
  [{ name: 'connecting', session }, { type: 'connected', avatarPresent: false }, { name: 'waiting-for-avatar', session }],
  [{ name: 'connecting', session }, { type: 'connected', avatarPresent: true }, live()],
  [{ name: 'waiting-for-avatar', session }, { type: 'avatar-joined' }, live()],
  [{ name: 'waiting-for-avatar', session }, { type: 'avatar-timeout' }, { name: 'ending', session, outcome: { type: 'error', cause: 'avatar-timeout' } }],
  [{ name: 'connecting', session }, { type: 'disconnected', byServer: false }, { name: 'ending', session, outcome: { type: 'error', cause: 'connection-lost' } }],
  // Live.
  [live(), { type: 'avatar-speaking', speaking: true }, live({ avatarSpeaking: true })],
  [live(), { type: 'reconnecting' }, live({ reconnecting: true })],
  [live({ reconnecting: true }), { type: 'reconnected' }, live()],
  [live(), { type: 'avatar-left' }, { name: 'ending', session, outcome: { type: 'ended', reason: 'avatar-left' } }],
  [live(), { type: 'max-duration' }, { name: 'ending', session, outcome: { type: 'ended', reason: 'max-duration' } }],
  [live(), { type: 'hangup' }, { name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } }],
  [live(), { type: 'page-left' }, { name: 'ending', session, outcome: { type: 'ended', reason: 'page-left' } }],
  [live(), { type: 'disconnected', byServer: true }, { name: 'ending', session, outcome: { type: 'ended', reason: 'closed-by-server' } }],
  [live(), { type: 'disconnected', byServer: false }, { name: 'ending', session, outcome: { type: 'error', cause: 'connection-lost' } }],
  // Ending.
  [{ name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } }, { type: 'stopped', at: 1_125_400 }, { name: 'ended', reason: 'hangup', durationS: 125 }],
  [{ name: 'ending', session, outcome: { type: 'error', cause: 'avatar-timeout' } }, { type: 'stopped', at: 1_030_000 }, { name: 'error', cause: 'avatar-timeout' }],
  [{ name: 'ended', reason: 'hangup', durationS: 1 }, { type: 'reset' }, INITIAL_STATE],
];

describe('session machine', () => {
  it.each(table)('%j + %j → %j', (state, event, expected) => {
    expect(transition(state, event)).toEqual(expected);
  });

  it.each([
    [INITIAL_STATE, { type: 'hangup' }],
    [INITIAL_STATE, { type: 'avatar-joined' }],
    [{ name: 'starting' }, { type: 'connected', avatarPresent: true }],
    [{ name: 'connecting', session }, { type: 'avatar-timeout' }],
    [{ name: 'connecting', session }, { type: 'stopped', at: 0 }],
    [live(), { type: 'reconnected' }],
    [live({ avatarSpeaking: true }), { type: 'avatar-speaking', speaking: true }],
    [{ name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } }, { type: 'hangup' }],
    [{ name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } }, { type: 'avatar-left' }],
    [{ name: 'ended', reason: 'hangup', durationS: 1 }, { type: 'stopped', at: 0 }],
  ] as Array<[SessionState, SessionEvent]>)('leaves %j unchanged (same object) on %j: late results are ignored', (state, event) => {
    expect(transition(state, event)).toBe(state);
  });

  it('derives what the UI may do from the state alone', () => {
    expect(capabilities(INITIAL_STATE)).toEqual({ canStart: true, canHangUp: false, inCall: false, busy: false });
    expect(capabilities({ name: 'starting' })).toMatchObject({ canStart: false, canHangUp: true, busy: true });
    expect(capabilities(live())).toMatchObject({ canStart: false, canHangUp: true, inCall: true, busy: false });
    expect(capabilities({ name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } })).toMatchObject({ canHangUp: false, busy: true });
    expect(sessionOf(live())).toBe(session);
    expect(sessionOf({ name: 'error', cause: 'busy' })).toBeUndefined();
  });
});
