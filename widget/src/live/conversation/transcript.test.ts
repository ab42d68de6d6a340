import { describe, expect, it } from 'vitest';
import { CAPTION_LINGER_MS, captionText, MAX_LINES, Transcript } from './transcript.js';

const said = (author: 'agent' | 'user', content: string, finished: boolean) => ({ author, content, finished, recordedAt: '' });

describe('the transcript', () => {
  it('grows a line in place from partials, and starts a new one after it finished', () => {
    const transcript = new Transcript();
    transcript.applyUtterance(said('agent', 'Hello', false), 0);
    transcript.applyUtterance(said('agent', 'Hello there', false), 100);
    transcript.applyUtterance(said('agent', 'Hello there.', true), 200);
    transcript.applyUtterance(said('agent', 'Next', false), 300);
    expect(transcript.lines.map((line) => [line.text, line.finished])).toEqual([
      ['Hello there.', true],
      ['Next', false],
    ]);
  });

  it('keeps the two sides apart, and a typed line does not close the avatar’s open one', () => {
    const transcript = new Transcript();
    transcript.applyUtterance(said('agent', 'I was', false), 0);
    transcript.addTyped('hi');
    transcript.applyUtterance(said('agent', 'I was saying', true), 10);
    transcript.applyUtterance(said('user', '(spoke)', true), 20);
    expect(transcript.toText((author) => (author === 'agent' ? 'Ava' : 'You'))).toBe('Ava: I was saying\nYou: hi\nYou: (spoke)');
  });

  it('captions the avatar only; a finished caption lingers, an interrupt takes it down and ends the line', () => {
    const transcript = new Transcript();
    transcript.applyUtterance(said('user', 'question', true), 0);
    expect(transcript.caption).toBeUndefined();
    transcript.applyUtterance(said('agent', 'Answer', true), 1000);
    expect(transcript.caption).toMatchObject({ text: 'Answer', until: 1000 + CAPTION_LINGER_MS });
    expect(transcript.expireCaption(1000 + CAPTION_LINGER_MS - 1)).toBe(false);
    expect(transcript.expireCaption(1000 + CAPTION_LINGER_MS)).toBe(true);
    transcript.applyUtterance(said('agent', 'Another', false), 9000);
    expect(transcript.caption).toEqual({ lineId: expect.any(Number), text: 'Another' });
    expect(transcript.expireCaption(1e9)).toBe(false);
    transcript.interrupt();
    expect(transcript.caption).toBeUndefined();
    expect(transcript.lines.at(-1)).toMatchObject({ text: 'Another', finished: true, interrupted: true });
  });

  it('captions the end of a long line, from a word on', () => {
    expect(captionText('Short line.')).toBe('Short line.');
    const long = 'one two three four five six seven eight nine ten';
    expect(captionText(long, 20)).toBe('…eight nine ten');
    expect(captionText('x'.repeat(30), 20)).toBe(`…${'x'.repeat(20)}`);
  });

  it('keeps the last lines of a long call only', () => {
    const transcript = new Transcript();
    for (let index = 0; index < MAX_LINES + 5; index += 1) transcript.addTyped(`line ${index}`);
    expect(transcript.lines).toHaveLength(MAX_LINES);
    expect(transcript.lines[0]!.text).toBe('line 5');
  });
});
