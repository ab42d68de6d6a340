/** Every state's words (every language's: ../i18n/locales.test.ts). */
import { describe as suite, expect, it } from 'vitest';
import { en } from '../i18n/en.js';
import fr from '../i18n/fr.js';
import { describe } from './describe.js';
import { EXAMPLE_SESSION as session, EXAMPLE_STATES } from '../../test/call-examples.js';
import type { CallState } from '../call/machine.js';
import { INITIAL_LINK } from '../call/link.js';

/** The link of a joined call, as it starts. */
const link = INITIAL_LINK;

// One `ending` per outcome would say the same words: keep the states that read differently.
// A CSP that blocks the token server reads to the visitor like a refused origin, on purpose
// (neutral words; the console tells the site owner which): one of the two is enough here.
const states: CallState[] = EXAMPLE_STATES.filter(
  (state) => !(state.name === 'ending' && state.outcome.type === 'error') && !(state.name === 'error' && state.cause === 'blocked-by-page'),
);

suite('describe', () => {
  it('gives every state its own words (English)', () => {
    const words = states.map((state) => describe(state, en, 'Ava').announcement);
    expect(new Set(words).size).toBe(words.length);
    expect(words.every((text) => text.length > 3)).toBe(true);
  });

  it.each([
    [{ name: 'waiting-for-avatar', session, link }, 'Ava is joining…', 'busy'],
    [{ name: 'live', session, link, reconnecting: false, avatarSpeaking: true }, 'Ava is speaking', 'live'],
    [{ name: 'live', session, link, reconnecting: true, avatarSpeaking: true }, 'Connection unstable, reconnecting…', 'warn'],
    [{ name: 'avatar-away', session, link }, 'Ava dropped out. Waiting a few seconds for them to come back…', 'warn'],
    [{ name: 'avatar-late', session, link, endsAt: 15_000 }, 'Ava is having trouble joining. You can end the conversation now, or wait a little.', 'warn'],
    [{ name: 'ended', reason: 'hangup', durationS: 125 }, 'You talked with Ava for 2:05.', 'idle'],
    [{ name: 'error', cause: 'origin-not-allowed' }, 'Ava isn’t available on this site right now.', 'error'],
    [{ name: 'error', cause: 'blocked-by-page' }, 'Ava isn’t available on this site right now.', 'error'],
    [{ name: 'error', cause: 'microphone-denied' }, 'Microphone access is blocked. Allow it from the icon in your browser’s address bar, then try again.', 'error'],
    [{ name: 'error', cause: 'avatar-timeout' }, 'Ava could not join, so the conversation was ended. Please try again.', 'error'],
  ] as Array<[CallState, string, string]>)('announces %j as %j', (state, announcement, tone) => {
    expect(describe(state, en, 'Ava')).toMatchObject({ announcement, tone });
  });

  it('reads the site’s disclosure out when it is shown, the avatar named, under a short status', () => {
    const consent = describe({ name: 'consent', version: 'v1' }, en, 'Ava');
    expect(consent.status).toBe('Before we start');
    expect(consent.announcement).toBe(consent.message);
    expect(consent.message).toContain('Ava is an AI avatar, not a person');
    expect(consent.message).toContain('microphone');
  });

  it('keeps the status line short after an end or an error (the details go over the video)', () => {
    expect(describe({ name: 'ended', reason: 'page-left', durationS: 3 }, en, 'Ava').status).toBe('Conversation ended');
    expect(describe({ name: 'error', cause: 'busy' }, en, 'Ava').status).toBe('Not connected');
    // Muted: the status says so, whoever is speaking (the badge shows the avatar's voice).
    const live = { name: 'live', session, link, reconnecting: false, avatarSpeaking: true } as const;
    expect(describe(live, en, 'Ava', false)).toMatchObject({ status: 'Your microphone is off', announcement: 'Your microphone is off' });
    expect(describe(live, en, 'Ava', true).status).toBe('Ava is speaking');
  });

  it('puts a message over the video for ends, errors, reconnection, a late avatar, an avatar away, "Still there?" and the site’s disclosure only', () => {
    const messaged = ['ended', 'error', 'avatar-late', 'avatar-away', 'idle-check', 'consent'];
    for (const state of states) {
      const hasMessage = describe(state, en, 'Ava').message !== undefined;
      expect(hasMessage).toBe(messaged.includes(state.name) || (state.name === 'live' && state.reconnecting));
    }
  });

  it('counts down a late avatar’s call each second, under its message, without announcing the number', () => {
    const late = { name: 'avatar-late', session, link, endsAt: 20_000 } as const;
    expect(describe(late, en, 'Ava', true, 5_000)).toMatchObject({
      status: 'Ava is having trouble joining',
      countdown: 'It ends by itself in 15 seconds.',
      announcement: 'Ava is having trouble joining. You can end the conversation now, or wait a little.',
    });
    expect(describe(late, en, 'Ava', true, 18_500).countdown).toBe('It ends by itself in 2 seconds.');
    expect(describe(late, en, 'Ava', true, 19_200).countdown).toBe('It ends by itself in 1 second.');
    expect(describe(late, en, 'Ava', true, 21_000).countdown).toBe('It ends by itself in 0 seconds.');
    expect(describe(late, fr, 'Ava', true, 5_000).countdown).toBe('La conversation se terminera d’elle-même dans 15 secondes.');
    for (const state of states) if (state.name !== 'avatar-late' && state.name !== 'idle-check') expect(describe(state, en, 'Ava').countdown, state.name).toBeUndefined();
  });

  it('asks "Still there?" with a countdown to the end, not announced each second, and words an unanswered one’s end', () => {
    const asking = { name: 'idle-check', session, link, endsAt: 30_000 } as const;
    expect(describe(asking, en, 'Ava', true, 0)).toMatchObject({
      status: 'Still there?',
      tone: 'warn',
      message: 'Still there? Ava has not heard from you for a while.',
      countdown: 'It ends by itself in 30 seconds.',
      announcement: 'Still there? Ava has not heard from you for a while.',
    });
    expect(describe(asking, en, 'Ava', true, 29_100).countdown).toBe('It ends by itself in 1 second.');
    expect(describe(asking, fr, 'Ava', true, 28_000).countdown).toBe('La conversation se terminera d’elle-même dans 2 secondes.');
    expect(describe({ name: 'ended', reason: 'idle', durationS: 200 }, en, 'Ava').message).toBe('No one spoke for a while, so the conversation ended.');
  });

  it('says an avatar that dropped out is awaited, not gone', () => {
    expect(describe({ name: 'avatar-away', session, link }, en, 'Ava')).toMatchObject({ status: 'Ava dropped out', tone: 'warn' });
    expect(describe({ name: 'avatar-away', session, link }, fr, 'Ava').announcement).toBe('Ava n’est plus là. Nous attendons son retour quelques secondes…');
  });

  it('speaks French too, with the same set of distinct sentences', () => {
    const words = states.map((state) => describe(state, fr, 'Ava').announcement);
    expect(new Set(words).size).toBe(words.length);
    expect(describe({ name: 'idle' }, fr, 'Ava').status).toBe('Prêt quand vous l’êtes');
  });
});
