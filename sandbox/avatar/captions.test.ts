import { describe, expect, it } from 'vitest';
import { heardCaption, keptContext, keptTyped, oneLine, partialSteps, replyCaption } from './captions.js';

describe('partialSteps', () => {
  it('reveals the words one by one, spread evenly over the audio, each step a prefix of the text', () => {
    expect(partialSteps('Here is  what I heard:', 1500)).toEqual([
      { atMs: 0, content: 'Here' },
      { atMs: 300, content: 'Here is' },
      { atMs: 600, content: 'Here is  what' },
      { atMs: 900, content: 'Here is  what I' },
      { atMs: 1200, content: 'Here is  what I heard:' },
    ]);
  });

  it('takes several words per step when the line is short for its words, never steps under 200 ms', () => {
    const text = 'one two three four five six seven eight nine ten';
    const steps = partialSteps(text, 1000);
    expect(steps.map((step) => step.atMs)).toEqual([0, 200, 400, 600, 800]);
    expect(steps.map((step) => step.content.split(' ').length)).toEqual([2, 4, 6, 8, 10]);
    expect(partialSteps(text, 50)).toEqual([{ atMs: 0, content: text }]);
  });

  it('has nothing to reveal in an empty line', () => {
    expect(partialSteps('  ', 1000)).toEqual([]);
  });
});

describe('captions', () => {
  it('flattens page text to one line without control characters, and cuts it with an ellipsis', () => {
    expect(oneLine(' a\n\tb\u0000c\u202edcba\u0085 ', 100)).toBe('a b c dcba');
    expect(oneLine('abcdef', 4)).toBe('abc…');
    expect(keptContext('\n')).toBeUndefined();
    expect(keptTyped('x'.repeat(600))).toHaveLength(500);
  });

  it('quotes what was typed and where the visitor is after the spoken words', () => {
    expect(replyCaption('Thanks.', 'hi', undefined)).toBe('Thanks. You wrote: "hi".');
    expect(replyCaption('Thanks.', 'hi', 'Pricing page')).toBe(`Thanks. You wrote: "hi". You're on: Pricing page.`);
    expect(replyCaption('Thanks.', 'hi', 'The docs!')).toBe(`Thanks. You wrote: "hi". You're on: The docs!`);
    expect(replyCaption('Thanks.', 'hi', 'y'.repeat(500))).toMatch(/You're on: y{199}…$/);
  });

  it('describes speech it cannot transcribe by its length', () => {
    expect(heardCaption(2430)).toBe('(spoke for 2.4 s)');
    expect(heardCaption(-5)).toBe('(spoke for 0.0 s)');
  });
});
