/** The call's lifecycle as (state, event) → state tables, and what each state allows. */
import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, sessionOf, transition, type CallEvent, type CallSession, type CallState, type StateName } from './machine.js';
import { STATE_TABLE, traitsOf } from './state-table.js';
import { INITIAL_LINK } from './link.js';

/** The link of a joined call, as it starts. */
const link = INITIAL_LINK;

const session: CallSession = {
  session_id: 'ses_1',
  stop_token: 'v1.x',
  server_url: 'ws://x',
  participant_token: 't',
  avatar_identity: 'ava',
  avatar_name: 'Ava',
  max_duration_s: 600,
  started_at: new Date(1_000_000).toISOString(),
  heartbeat_interval_s: 20,
};
const live = (patch: Partial<Extract<CallState, { name: 'live' }>> = {}): CallState => ({
  name: 'live',
  session,
  link,
  reconnecting: false,
  avatarSpeaking: false,
  ...patch,
});

const table: Array<[CallState, CallEvent, CallState]> = [
  // Starting.
  [INITIAL_STATE, { type: 'start' }, { name: 'starting' }],
  [{ name: 'ended', reason: 'hangup', durationS: 3 }, { type: 'start' }, { name: 'starting' }],
  [{ name: 'error', cause: 'busy' }, { type: 'start' }, { name: 'starting' }],
  [{ name: 'starting' }, { type: 'session-created', session }, { name: 'connecting', session }],
  [{ name: 'starting' }, { type: 'start-failed', cause: 'microphone-denied' }, { name: 'error', cause: 'microphone-denied' }],
  [{ name: 'starting' }, { type: 'hangup' }, INITIAL_STATE],
  // The site's disclosure first (consent-version): agreeing starts, declining goes back; the page's own start cannot agree.
  [INITIAL_STATE, { type: 'start', consent: '2026-11' }, { name: 'consent', version: '2026-11' }],
  [{ name: 'ended', reason: 'hangup', durationS: 3 }, { type: 'start', consent: 'v2' }, { name: 'consent', version: 'v2' }],
  [{ name: 'consent', version: 'v2' }, { type: 'start' }, { name: 'starting' }],
  [{ name: 'consent', version: 'v2' }, { type: 'start', consent: 'v2' }, { name: 'consent', version: 'v2' }],
  [{ name: 'consent', version: 'v2' }, { type: 'consent-declined' }, INITIAL_STATE],
  [{ name: 'consent', version: 'v2' }, { type: 'hangup' }, INITIAL_STATE],
  [{ name: 'consent', version: 'v2' }, { type: 'session-created', session }, { name: 'consent', version: 'v2' }],
  [INITIAL_STATE, { type: 'consent-declined' }, INITIAL_STATE],
  // Joining.
  [{ name: 'connecting', session }, { type: 'connected', avatarPresent: false }, { name: 'waiting-for-avatar', session, link }],
  [{ name: 'connecting', session }, { type: 'connected', avatarPresent: true }, live()],
  [{ name: 'waiting-for-avatar', session, link }, { type: 'avatar-joined' }, live()],
  [{ name: 'waiting-for-avatar', session, link }, { type: 'avatar-timeout' }, { name: 'ending', session, outcome: { type: 'error', cause: 'avatar-timeout' } }],
  // Late: said after the first bound, with when the call ends by itself.
  [{ name: 'waiting-for-avatar', session, link }, { type: 'avatar-late', endsAt: 25_000 }, { name: 'avatar-late', session, link, endsAt: 25_000 }],
  [{ name: 'avatar-late', session, link, endsAt: 25_000 }, { type: 'avatar-joined' }, live()],
  [{ name: 'avatar-late', session, link, endsAt: 25_000 }, { type: 'avatar-timeout' }, { name: 'ending', session, outcome: { type: 'error', cause: 'avatar-timeout' } }],
  [{ name: 'avatar-late', session, link, endsAt: 25_000 }, { type: 'hangup' }, { name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } }],
  [{ name: 'avatar-late', session, link, endsAt: 25_000 }, { type: 'disconnected', byServer: false }, { name: 'ending', session, outcome: { type: 'error', cause: 'connection-lost' } }],
  [{ name: 'connecting', session }, { type: 'disconnected', byServer: false }, { name: 'ending', session, outcome: { type: 'error', cause: 'connection-lost' } }],
  // Live.
  [live(), { type: 'avatar-speaking', speaking: true }, live({ avatarSpeaking: true })],
  [live(), { type: 'reconnecting' }, live({ reconnecting: true })],
  [live({ reconnecting: true }), { type: 'reconnected' }, live()],
  // The avatar drops out: a grace to come back (issue 14), then the end.
  [live(), { type: 'avatar-left' }, { name: 'avatar-away', session, link }],
  [live({ avatarSpeaking: true, reconnecting: true }), { type: 'avatar-left' }, { name: 'avatar-away', session, link }],
  [{ name: 'avatar-away', session, link }, { type: 'avatar-joined' }, live()],
  [{ name: 'avatar-away', session, link }, { type: 'avatar-gone' }, { name: 'ending', session, outcome: { type: 'ended', reason: 'avatar-left' } }],
  [{ name: 'avatar-away', session, link }, { type: 'hangup' }, { name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } }],
  [{ name: 'avatar-away', session, link }, { type: 'page-left' }, { name: 'ending', session, outcome: { type: 'ended', reason: 'page-left' } }],
  [{ name: 'avatar-away', session, link }, { type: 'max-duration' }, { name: 'ending', session, outcome: { type: 'ended', reason: 'max-duration' } }],
  [{ name: 'avatar-away', session, link }, { type: 'disconnected', byServer: true }, { name: 'ending', session, outcome: { type: 'ended', reason: 'closed-by-server' } }],
  [{ name: 'avatar-away', session, link }, { type: 'disconnected', byServer: false }, { name: 'ending', session, outcome: { type: 'error', cause: 'connection-lost' } }],
  [live(), { type: 'max-duration' }, { name: 'ending', session, outcome: { type: 'ended', reason: 'max-duration' } }],
  // Nobody spoke or typed for a while (issue 14): "Still there?"; answered, live again; not, the end.
  [live(), { type: 'idle-warning', endsAt: 30_000 }, { name: 'idle-check', session, link, endsAt: 30_000 }],
  [live({ avatarSpeaking: true, reconnecting: true }), { type: 'idle-warning', endsAt: 30_000 }, { name: 'idle-check', session, link, endsAt: 30_000 }],
  [{ name: 'idle-check', session, link, endsAt: 30_000 }, { type: 'still-here' }, live()],
  [{ name: 'idle-check', session, link, endsAt: 30_000 }, { type: 'idle-timeout' }, { name: 'ending', session, outcome: { type: 'ended', reason: 'idle' } }],
  [{ name: 'idle-check', session, link, endsAt: 30_000 }, { type: 'hangup' }, { name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } }],
  [{ name: 'idle-check', session, link, endsAt: 30_000 }, { type: 'page-left' }, { name: 'ending', session, outcome: { type: 'ended', reason: 'page-left' } }],
  [{ name: 'idle-check', session, link, endsAt: 30_000 }, { type: 'max-duration' }, { name: 'ending', session, outcome: { type: 'ended', reason: 'max-duration' } }],
  [{ name: 'idle-check', session, link, endsAt: 30_000 }, { type: 'avatar-left' }, { name: 'avatar-away', session, link }],
  [{ name: 'idle-check', session, link, endsAt: 30_000 }, { type: 'disconnected', byServer: true }, { name: 'ending', session, outcome: { type: 'ended', reason: 'closed-by-server' } }],
  [{ name: 'idle-check', session, link, endsAt: 30_000 }, { type: 'disconnected', byServer: false }, { name: 'ending', session, outcome: { type: 'error', cause: 'connection-lost' } }],
  [live(), { type: 'hangup' }, { name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } }],
  [live(), { type: 'page-left' }, { name: 'ending', session, outcome: { type: 'ended', reason: 'page-left' } }],
  [live(), { type: 'disconnected', byServer: true }, { name: 'ending', session, outcome: { type: 'ended', reason: 'closed-by-server' } }],
  [live(), { type: 'disconnected', byServer: false }, { name: 'ending', session, outcome: { type: 'error', cause: 'connection-lost' } }],
  // Ending.
  [{ name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } }, { type: 'stopped', at: 1_125_400 }, { name: 'ended', reason: 'hangup', durationS: 125 }],
  [{ name: 'ending', session, outcome: { type: 'error', cause: 'avatar-timeout' } }, { type: 'stopped', at: 1_030_000 }, { name: 'error', cause: 'avatar-timeout' }],
  [{ name: 'ended', reason: 'hangup', durationS: 1 }, { type: 'reset' }, INITIAL_STATE],
];

describe('call machine', () => {
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
    // Stale timers: the late notice or the join timeout once the avatar is there, a grace that has no avatar away.
    [live(), { type: 'avatar-late', endsAt: 1 }],
    [live(), { type: 'avatar-timeout' }],
    [live(), { type: 'avatar-gone' }],
    [{ name: 'connecting', session }, { type: 'avatar-late', endsAt: 1 }],
    [{ name: 'connecting', session }, { type: 'avatar-joined' }],
    [{ name: 'avatar-late', session, link, endsAt: 1 }, { type: 'avatar-late', endsAt: 2 }],
    [{ name: 'avatar-away', session, link }, { type: 'avatar-timeout' }],
    [{ name: 'avatar-away', session, link }, { type: 'avatar-late', endsAt: 1 }],
    [{ name: 'avatar-away', session, link }, { type: 'avatar-left' }],
    [{ name: 'avatar-away', session, link }, { type: 'reconnecting' }],
    [{ name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } }, { type: 'avatar-gone' }],
    // Stale idle timers and answers: no question asked, or it is already being asked.
    [live(), { type: 'still-here' }],
    [live(), { type: 'idle-timeout' }],
    [{ name: 'idle-check', session, link, endsAt: 1 }, { type: 'idle-warning', endsAt: 2 }],
    [{ name: 'idle-check', session, link, endsAt: 1 }, { type: 'avatar-speaking', speaking: true }],
    [{ name: 'avatar-away', session, link }, { type: 'idle-warning', endsAt: 1 }],
    [{ name: 'avatar-away', session, link }, { type: 'still-here' }],
    [{ name: 'waiting-for-avatar', session, link }, { type: 'idle-warning', endsAt: 1 }],
    [{ name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } }, { type: 'idle-timeout' }],
    [{ name: 'ended', reason: 'idle', durationS: 1 }, { type: 'still-here' }],
    [live({ avatarSpeaking: true }), { type: 'avatar-speaking', speaking: true }],
    [{ name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } }, { type: 'hangup' }],
    [{ name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } }, { type: 'avatar-left' }],
    [{ name: 'ended', reason: 'hangup', durationS: 1 }, { type: 'stopped', at: 0 }],
  ] as Array<[CallState, CallEvent]>)('leaves %j unchanged (same object) on %j: late results are ignored', (state, event) => {
    expect(transition(state, event)).toBe(state);
  });

  it('derives what the UI may do from the state alone, from one row per state', () => {
    expect(traitsOf(INITIAL_STATE)).toMatchObject({ start: 'start', canHangUp: false, inCall: false, busy: false });
    expect(traitsOf({ name: 'starting' })).toMatchObject({ start: null, canHangUp: true, busy: true, microphone: false });
    expect(traitsOf(live())).toMatchObject({ start: null, canHangUp: true, inCall: true, busy: false, video: true, countdown: true });
    expect(traitsOf({ name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } })).toMatchObject({ start: null, canHangUp: false, busy: true });
    expect(traitsOf({ name: 'error', cause: 'busy' }).start).toBe('tryAgain');
    expect(traitsOf({ name: 'ended', reason: 'hangup', durationS: 1 }).start).toBe('startAgain');
    // Late: ending now comes first, labelled; away: the picture waits, the session's clock runs on.
    expect(traitsOf({ name: 'avatar-late', session, link, endsAt: 1 })).toMatchObject({ canHangUp: true, inCall: true, busy: true, hangUpLabelled: true });
    expect(traitsOf({ name: 'avatar-late', session, link, endsAt: 1 }).focus[0]).toBe('hangup-button');
    expect(traitsOf({ name: 'avatar-away', session, link })).toMatchObject({ canHangUp: true, inCall: true, busy: true, microphone: true, video: false, countdown: true, hangUpLabelled: false });
    expect(traitsOf(live()).hangUpLabelled).toBe(false);
    // Still there?: going on comes first (focused), and typing still works (a typed line answers too).
    expect(traitsOf({ name: 'idle-check', session, link, endsAt: 1 })).toMatchObject({ canHangUp: true, inCall: true, busy: false, microphone: true, video: true, countdown: true, continueOffered: true, conversing: true, hangUpLabelled: false });
    expect(traitsOf({ name: 'idle-check', session, link, endsAt: 1 }).focus[0]).toBe('continue-button');
    expect(traitsOf(live())).toMatchObject({ continueOffered: false, conversing: true });
    for (const name of ['waiting-for-avatar', 'avatar-late', 'avatar-away', 'ending'] as const) expect(STATE_TABLE[name].conversing, name).toBe(false);
    expect(sessionOf({ name: 'idle-check', session, link, endsAt: 1 })).toBe(session);
    expect(sessionOf(live())).toBe(session);
    expect(sessionOf({ name: 'avatar-away', session, link })).toBe(session);
    expect(sessionOf({ name: 'error', cause: 'busy' })).toBeUndefined();
    // The disclosure: nothing runs or is paid for yet; agreeing (its start) is focused first.
    expect(traitsOf({ name: 'consent', version: 'v1' })).toMatchObject({ consent: true, start: 'start', canHangUp: false, inCall: false, busy: false, intro: false });
    expect(traitsOf({ name: 'consent', version: 'v1' }).focus[0]).toBe('consent-button');
    expect(sessionOf({ name: 'consent', version: 'v1' })).toBeUndefined();
  });

  it('has a row for every state, each keeping focus somewhere it can go', () => {
    const states: StateName[] = ['idle', 'consent', 'starting', 'connecting', 'waiting-for-avatar', 'avatar-late', 'live', 'avatar-away', 'idle-check', 'ending', 'ended', 'error'];
    expect(Object.keys(STATE_TABLE).sort()).toEqual([...states].sort());
    for (const name of states) {
      const row = STATE_TABLE[name];
      expect(row.focus.length, name).toBeGreaterThan(0);
      // A state that offers a start has nothing to hang up, and the other way round.
      expect(row.start !== null && row.canHangUp, name).toBe(false);
      // The disclosure's agree is its start.
      if (row.start) expect(row.focus[0], name).toBe(row.consent ? 'consent-button' : 'start-button');
    }
  });
});
