/** A page's own words over its language's: merged deep, forgiving, one warning naming what was skipped. */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { en as englishConversation } from '../live/conversation/strings.js';
import { en } from './en.js';
import { enLauncher } from './en-launcher.js';
import { loadWords, withCallWords } from './localize.js';
import { panelStrings } from '../panel/panel-strings.js';
import { withOverrides } from './overrides.js';
import type { Words } from './strings.js';

// English as the widget's script has it: the launcher's words only (the panel's file brings the rest).
const english: Words = { language: 'en', strings: enLauncher };
const shapeOf = (words: object, prefix = ''): string[] =>
  Object.entries(words).flatMap(([key, value]) => (typeof value === 'object' ? shapeOf(value as object, `${prefix}${key}.`) : [`${prefix}${key}:${typeof value}`])).sort();

/** Applies `custom` over English, returning the words and the warnings given. */
function apply(custom: unknown, words: Words = english) {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const result = withOverrides(words, custom);
  const warnings = warn.mock.calls.map((call) => call.join(' '));
  warn.mockRestore();
  // The words as the panel shows them (English's complete).
  return { ...result, strings: panelStrings(result), warnings };
}

afterEach(() => vi.restoreAllMocks());

describe('a page’s own words', () => {
  it('go over the language’s, deep, with the rest left as it is', () => {
    const { strings, conversation, warnings } = apply({ talkTo: 'Chat with Ava', status: { idle: 'Hi there' } });
    expect(strings.talkTo('Ava')).toBe('Chat with Ava');
    expect(strings.status.idle).toBe('Hi there');
    expect(strings.status.starting).toBe(en.status.starting);
    expect(strings.status.speaking('Ava')).toBe('Ava is speaking');
    expect(strings.errors.busy('Ava')).toBe(en.errors.busy('Ava'));
    expect(conversation).toEqual({});
    expect(warnings).toEqual([]);
    // The language's own words are not touched.
    expect(en.status.idle).toBe('Ready when you are');
  });

  it('take a section per language, applied over the shared words in that language only (the disclosure written per locale)', async () => {
    const custom = {
      consent: { title: 'Good to know' },
      fr: { consent: { text: '{name} est une IA de notre boutique.' }, talkTo: 'Discuter avec {name}' },
      de: { consent: { title: 'Gut zu wissen' } },
    };
    const english = apply(custom);
    expect(english.strings.consent.title).toBe('Good to know');
    expect(english.strings.consent.text('Ava')).toBe(en.consent.text('Ava'));
    expect(english.strings.talkTo('Ava')).toBe(en.talkTo('Ava'));
    expect(english.warnings).toEqual([]);
    const french = apply(custom, await loadWords('fr', () => undefined));
    expect(french.strings.consent.text('Ava')).toBe('Ava est une IA de notre boutique.');
    expect(french.strings.consent.title).toBe('Good to know');
    expect(french.strings.talkTo('Ava')).toBe('Discuter avec Ava');
    expect(french.warnings).toEqual([]);
  });

  it('fill {name}, {duration}, {seconds} and {clock} into sentences given as text', () => {
    const { strings, conversation, warnings } = apply({
      talkTo: 'Ask {name} anything',
      ended: { hangup: '{duration} with {name}. Thanks!', idle: 'Quiet for a while with {name}: {duration}.' },
      errors: { busy: '{name} is busy, sorry.' },
      endsSoon: 'Only {seconds} s to go',
      timeLeft: '{clock} to go',
      typeTo: 'Write to {name}',
      endingIn: 'Ends in {seconds} s',
      status: { away: '{name} will be right back', stillThere: 'Hello?' },
      stillThere: 'Still with {name}?',
      continue: 'Keep going',
    });
    expect(strings.talkTo('Ava')).toBe('Ask Ava anything');
    expect(strings.ended.hangup('Ava', '2:05')).toBe('2:05 with Ava. Thanks!');
    expect(strings.errors.busy('Ava')).toBe('Ava is busy, sorry.');
    expect(conversation!.endsSoon!(1500)).toBe('Only 1,500 s to go');
    expect(conversation!.timeLeft!('0:30')).toBe('0:30 to go');
    expect(conversation!.typeTo!('Ava')).toBe('Write to Ava');
    expect(strings.endingIn(12)).toBe('Ends in 12 s');
    expect(strings.status.away('Ava')).toBe('Ava will be right back');
    expect(strings.status.stillThere).toBe('Hello?');
    expect(strings.stillThere('Ava')).toBe('Still with Ava?');
    expect(strings.continue).toBe('Keep going');
    expect(strings.ended.idle('Ava', '3:00')).toBe('Quiet for a while with Ava: 3:00.');
    expect(warnings).toEqual([]);
  });

  it('take functions as they are, and the conversation’s words over its language’s', async () => {
    const german = await withCallWords(await loadWords('de', () => undefined), () => undefined);
    const { strings, conversation } = apply({ talkTo: (name: string) => `Hallo ${name}!`, typeMessage: 'Ihre Frage' }, german);
    expect(strings.talkTo('Ava')).toBe('Hallo Ava!');
    expect(strings.start).toBe('Gespräch starten');
    expect(conversation!.typeMessage).toBe('Ihre Frage');
    expect(conversation!.send).toBe('Senden');
    // Numbers are written the language's way.
    expect(apply({ endsSoon: 'Noch {seconds} Sekunden' }, german).conversation!.endsSoon!(1500)).toBe('Noch 1.500 Sekunden');
  });

  it('isolate the name in right-to-left languages, as their own sentences do', async () => {
    const hebrew = await withCallWords(await loadWords('he', () => undefined), () => undefined);
    expect(apply({ talkTo: 'דברו עם {name}' }, hebrew).strings.talkTo('Ava')).toBe('דברו עם \u2068Ava\u2069');
  });

  it('put the device in the unplugged microphone’s sentence ({device}, isolated right to left), and refuse {name} there', async () => {
    expect(apply({ microphoneSwitched: 'Mic gone, now {device}' }).conversation!.microphoneSwitched!('Built-in')).toBe('Mic gone, now Built-in');
    const hebrew = await withCallWords(await loadWords('he', () => undefined), () => undefined);
    expect(apply({ microphoneSwitched: 'כעת {device}' }, hebrew).conversation!.microphoneSwitched!('Built-in')).toBe('כעת \u2068Built-in\u2069');
    expect(apply({ microphoneSwitched: 'Now {name}' }).warnings[0]).toMatch(/"microphoneSwitched" has no \{name\} \(it takes \{device\}\)/);
  });

  it('come as JSON from the attribute', () => {
    const { strings, conversation, warnings } = apply('{"talkTo": "Chat with {name}", "status": {"idle": "Hi there"}, "send": "Go"}');
    expect(strings.talkTo('Ava')).toBe('Chat with Ava');
    expect(strings.status.idle).toBe('Hi there');
    expect(conversation!.send).toBe('Go');
    expect(warnings).toEqual([]);
  });

  it('skip bad JSON with one warning, and the language’s words stay', () => {
    const { strings, warnings } = apply('{"talkTo": "Chat with {name}",}');
    expect(strings).toEqual(en);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/<equos-avatar>: strings: the attribute is not valid JSON/);
  });

  it('skip unknown keys and values of the wrong kind with one warning naming each, and apply the rest', () => {
    const { strings, warnings } = apply({
      talkTo: 'Chat with {name}',
      tlakTo: 'typo',
      status: { idel: 'Hi', listening: 3, idle: 'Hi there' },
      errors: 'none',
      start: { text: 'Go' },
      intro: 'Meet {nom}',
      startAgain: 'Again with {name}',
    });
    expect(strings.talkTo('Ava')).toBe('Chat with Ava');
    expect(strings.status.idle).toBe('Hi there');
    expect(strings.status.listening).toBe('Listening');
    expect(strings.start).toBe('Start conversation');
    expect(strings.intro('Ava')).toBe('Meet {nom}');
    expect(warnings).toHaveLength(1);
    for (const named of ['unknown key "tlakTo"', 'unknown key "status.idel"', '"status.listening" must be a string', '"errors" must be an object', '"start" must be a string', '"intro" has no {nom}', '"startAgain" takes no placeholders']) {
      expect(warnings[0]).toContain(named);
    }
  });

  it('warn once for the same words, however often they are applied', () => {
    const custom = { tlakTo: 'typo' };
    expect(apply(custom).warnings).toHaveLength(1);
    expect(apply(custom).warnings).toHaveLength(0);
  });

  it('reject what is not an object, and keys that would reach the prototype', () => {
    for (const custom of ['[1, 2]', '"hi"', '42', 'null', [1, 2], 42]) {
      const { strings, warnings } = apply(custom);
      expect(strings).toEqual(en);
      expect(warnings, String(custom)).toHaveLength(1);
    }
    const { strings, warnings } = apply('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((strings as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(warnings[0]).toContain('unknown key "__proto__"');
  });

  it('never throw, and always leave a whole set of words, whatever they are', () => {
    const wholeShape = shapeOf(en);
    const conversationKeys = Object.keys(englishConversation);
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.json(), fc.string(), fc.dictionary(fc.constantFrom(...Object.keys(en), ...conversationKeys, 'x'), fc.jsonValue())), (custom) => {
        const { strings, conversation, warnings } = apply(custom);
        expect(shapeOf(strings)).toEqual(wholeShape);
        expect(Object.keys(conversation ?? {}).every((key) => conversationKeys.includes(key))).toBe(true);
        expect(warnings.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });
});
