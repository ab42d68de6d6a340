/** The link of a joined call as (link, event) → link tables, and how the call's states carry it. */
import { describe, expect, it } from 'vitest';
import { INITIAL_LINK, LINK_TABLE, nextLink, type Link, type LinkEvent } from './link.js';
import { transition, type CallSession, type CallState } from './machine.js';
import { linkTraitsOf, traitsOf } from './state-table.js';

const weak: Link = { name: 'video-weak', quality: 'poor', fallback: true };
const fallback: Link = { name: 'audio-fallback', quality: 'poor' };
const chosen: Link = { name: 'audio-only', quality: 'good' };

const moves: Array<[Link, LinkEvent, Link]> = [
  [INITIAL_LINK, { type: 'quality', quality: 'excellent' }, { name: 'video', quality: 'excellent' }],
  [INITIAL_LINK, { type: 'quality', quality: 'poor' }, weak],
  [{ name: 'video', quality: 'good' }, { type: 'quality', quality: 'lost' }, { name: 'video-weak', quality: 'lost', fallback: true }],
  [weak, { type: 'quality', quality: 'lost' }, { name: 'video-weak', quality: 'lost', fallback: true }],
  [weak, { type: 'quality', quality: 'good' }, { name: 'video', quality: 'good' }],
  [weak, { type: 'audio-fallback' }, fallback],
  [weak, { type: 'audio-only', on: true }, { name: 'audio-only', quality: 'poor' }],
  [{ name: 'video', quality: 'excellent' }, { type: 'audio-only', on: true }, { name: 'audio-only', quality: 'excellent' }],
  // Back to video by itself once the link is good again, only after a fallback.
  [fallback, { type: 'quality', quality: 'good' }, { name: 'video', quality: 'good' }],
  [fallback, { type: 'quality', quality: 'lost' }, { name: 'audio-fallback', quality: 'lost' }],
  [chosen, { type: 'quality', quality: 'poor' }, { name: 'audio-only', quality: 'poor' }],
  [chosen, { type: 'quality', quality: 'excellent' }, { name: 'audio-only', quality: 'excellent' }],
  // The visitor asks for the video back: on a weak link, no fallback again.
  [chosen, { type: 'audio-only', on: false }, { name: 'video', quality: 'good' }],
  [fallback, { type: 'audio-only', on: false }, { name: 'video-weak', quality: 'poor', fallback: false }],
  [{ name: 'video-weak', quality: 'poor', fallback: false }, { type: 'quality', quality: 'excellent' }, { name: 'video', quality: 'excellent' }],
];

describe('the link of a joined call', () => {
  it.each(moves)('%j + %j → %j', (link, event, expected) => {
    expect(nextLink(link, event)).toEqual(expected);
  });

  it.each([
    [INITIAL_LINK, { type: 'quality', quality: 'unknown' }],
    [weak, { type: 'quality', quality: 'poor' }],
    [{ name: 'video', quality: 'good' }, { type: 'audio-fallback' }],
    [{ name: 'video-weak', quality: 'poor', fallback: false }, { type: 'audio-fallback' }],
    [fallback, { type: 'audio-fallback' }],
    [chosen, { type: 'audio-only', on: true }],
    [{ name: 'video', quality: 'good' }, { type: 'audio-only', on: false }],
  ] as Array<[Link, LinkEvent]>)('leaves %j as it is (same object) on %j', (link, event) => {
    expect(nextLink(link, event)).toBe(link);
  });

  it('offers audio only on a weak link and the video back without it', () => {
    expect(LINK_TABLE.video).toEqual({ receivesVideo: true, offer: null });
    expect(LINK_TABLE['video-weak']).toEqual({ receivesVideo: true, offer: 'audio-only' });
    expect(LINK_TABLE['audio-only']).toEqual({ receivesVideo: false, offer: 'video' });
    expect(LINK_TABLE['audio-fallback']).toEqual({ receivesVideo: false, offer: 'video' });
  });
});

describe('the call carries its link', () => {
  const session = { session_id: 'ses_1', started_at: new Date(0).toISOString() } as CallSession;
  const live = (link: Link): CallState => ({ name: 'live', session, link, reconnecting: false, avatarSpeaking: false });

  it('starts each joined call with a fresh link, and keeps it through away, Still there? and back', () => {
    const joined = transition({ name: 'connecting', session }, { type: 'connected', avatarPresent: false });
    expect(joined).toEqual({ name: 'waiting-for-avatar', session, link: INITIAL_LINK });
    const weakWaiting = transition(joined, { type: 'quality', quality: 'poor' });
    expect(transition(weakWaiting, { type: 'avatar-joined' })).toEqual(live(weak));
    let state = transition(live(weak), { type: 'audio-fallback' });
    expect(state).toEqual(live(fallback));
    state = transition(state, { type: 'avatar-left' });
    expect(state).toEqual({ name: 'avatar-away', session, link: fallback });
    state = transition(state, { type: 'avatar-joined' });
    state = transition(state, { type: 'idle-warning', endsAt: 5 });
    expect(state).toEqual({ name: 'idle-check', session, link: fallback, endsAt: 5 });
    expect(transition(state, { type: 'still-here' })).toEqual(live(fallback));
  });

  it('shows no video in any joined state whose link does not receive it, and knows no link outside the room', () => {
    expect(traitsOf(live(weak)).video).toBe(true);
    expect(traitsOf(live(fallback)).video).toBe(false);
    expect(traitsOf(live(chosen))).toMatchObject({ video: false, microphone: true, conversing: true, countdown: true });
    expect(linkTraitsOf(live(chosen))?.offer).toBe('video');
    const ending: CallState = { name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } };
    expect(linkTraitsOf(ending)).toBeUndefined();
    expect(transition(ending, { type: 'quality', quality: 'poor' })).toBe(ending);
    expect(transition({ name: 'connecting', session }, { type: 'audio-only', on: true })).toEqual({ name: 'connecting', session });
  });
});
