/** What a page hears for each move of the machine, the avatar's comings and goings included (issue 14). */
import { describe, expect, it } from 'vitest';
import { EXAMPLE_SESSION as session } from '../../test/call-examples.js';
import { transition, type CallEvent, type CallState } from './machine.js';
import { pageEventsFor } from './page-events.js';
import { INITIAL_LINK } from './link.js';

/** The link of a joined call, as it starts. */
const link = INITIAL_LINK;

const live: CallState = { name: 'live', session, link, reconnecting: false, avatarSpeaking: false };

/** The page's events for `event` in `state`, as `type detail`. */
function heard(state: CallState, event: CallEvent): string[] {
  return pageEventsFor(state, transition(state, event), () => 'said', 0).map((fired) => `${fired.type} ${JSON.stringify((fired as Event & { detail: unknown }).detail)}`);
}

describe('page events', () => {
  it('says the avatar dropped out, came back, or is late, in equos-state-change’s reason', () => {
    expect(heard(live, { type: 'avatar-left' })).toEqual(['equos-state-change {"from":"live","to":"avatar-away","reason":"avatar-left"}']);
    expect(heard({ name: 'avatar-away', session, link }, { type: 'avatar-joined' })).toEqual(['equos-state-change {"from":"avatar-away","to":"live","reason":"avatar-returned"}']);
    expect(heard({ name: 'waiting-for-avatar', session, link }, { type: 'avatar-late', endsAt: 9 })).toEqual(['equos-state-change {"from":"waiting-for-avatar","to":"avatar-late","reason":"avatar-late"}']);
    expect(heard({ name: 'avatar-late', session, link, endsAt: 9 }, { type: 'avatar-joined' })).toEqual(['equos-state-change {"from":"avatar-late","to":"live"}']);
  });

  it('ends with avatar-left only once the grace is over, and fires nothing for a move the machine does not make', () => {
    expect(heard({ name: 'avatar-away', session, link }, { type: 'avatar-gone' })).toEqual(['equos-state-change {"from":"avatar-away","to":"ending"}']);
    const ending = transition({ name: 'avatar-away', session, link }, { type: 'avatar-gone' });
    expect(heard(ending, { type: 'stopped', at: 0 })).toEqual([
      'equos-state-change {"from":"ending","to":"ended","reason":"avatar-left"}',
      'equos-session-end {"sessionId":"ses_x","durationS":0,"reason":"avatar-left"}',
    ]);
    expect(heard(live, { type: 'avatar-gone' })).toEqual([]);
    expect(heard({ name: 'avatar-away', session, link }, { type: 'avatar-left' })).toEqual([]);
  });

  it('says "Still there?" is asked (idle-warning), and an unanswered one ends the call with idle', () => {
    expect(heard(live, { type: 'idle-warning', endsAt: 9 })).toEqual(['equos-state-change {"from":"live","to":"idle-check","reason":"idle-warning"}', 'equos-idle-warning {"secondsRemaining":1}']);
    expect(heard({ name: 'idle-check', session, link, endsAt: 9 }, { type: 'still-here' })).toEqual(['equos-state-change {"from":"idle-check","to":"live"}']);
    expect(heard({ name: 'idle-check', session, link, endsAt: 9 }, { type: 'idle-timeout' })).toEqual(['equos-state-change {"from":"idle-check","to":"ending"}']);
    const ending = transition({ name: 'idle-check', session, link, endsAt: 9 }, { type: 'idle-timeout' });
    expect(heard(ending, { type: 'stopped', at: 0 })).toEqual([
      'equos-state-change {"from":"ending","to":"ended","reason":"idle"}',
      'equos-session-end {"sessionId":"ses_x","durationS":0,"reason":"idle"}',
    ]);
    expect(heard(live, { type: 'still-here' })).toEqual([]);
    expect(heard(live, { type: 'idle-timeout' })).toEqual([]);
  });

  it('says "Still there?" is asked in equos-idle-warning too, with the seconds left to answer', () => {
    expect(pageEventsFor(live, transition(live, { type: 'idle-warning', endsAt: 29_500 }), () => 'said', 0).map((event) => event.type)).toEqual(['equos-state-change', 'equos-idle-warning']);
    const [, warning] = pageEventsFor(live, transition(live, { type: 'idle-warning', endsAt: 29_500 }), () => 'said', 0) as [Event, Event & { detail: unknown }];
    expect(warning.detail).toEqual({ secondsRemaining: 30 });
  });

  it('says the quality LiveKit reports in equos-quality-change, and why the video stopped or came back', () => {
    const poor = transition(live, { type: 'quality', quality: 'poor' });
    expect(heard(live, { type: 'quality', quality: 'poor' })).toEqual(['equos-quality-change {"quality":"poor","audioOnly":false}']);
    const fellBack = transition(poor, { type: 'audio-fallback' });
    expect(heard(poor, { type: 'audio-fallback' })).toEqual(['equos-quality-change {"quality":"poor","audioOnly":true,"reason":"network"}']);
    expect(heard(fellBack, { type: 'quality', quality: 'lost' })).toEqual(['equos-quality-change {"quality":"lost","audioOnly":true}']);
    expect(heard(fellBack, { type: 'quality', quality: 'good' })).toEqual(['equos-quality-change {"quality":"good","audioOnly":false,"reason":"recovered"}']);
    expect(heard(fellBack, { type: 'audio-only', on: false })).toEqual(['equos-quality-change {"quality":"poor","audioOnly":false,"reason":"visitor"}']);
    expect(heard(poor, { type: 'audio-only', on: true })).toEqual(['equos-quality-change {"quality":"poor","audioOnly":true,"reason":"visitor"}']);
    // Nothing changed, nothing said; a state change carries the link along without a word about it.
    expect(heard(poor, { type: 'quality', quality: 'poor' })).toEqual([]);
    expect(heard(poor, { type: 'avatar-left' })).toEqual(['equos-state-change {"from":"live","to":"avatar-away","reason":"avatar-left"}']);
  });
});
