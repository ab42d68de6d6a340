import { describe, expect, it } from 'vitest';
import { MAX_DISPLAY_NAME_LENGTH, newVisitorIdentity, sanitiseDisplayName } from './visitor.js';

describe('newVisitorIdentity', () => {
  it('is unguessable and never repeats', () => {
    const identities = new Set(Array.from({ length: 1000 }, newVisitorIdentity));
    expect(identities.size).toBe(1000);
    for (const identity of identities) expect(identity).toMatch(/^visitor-[\w-]{22}$/);
  });
});

describe('sanitiseDisplayName', () => {
  it.each([
    ['  Ada  Lovelace ', 'Ada Lovelace'],
    ['Ada\u0000\u0007Lovelace', 'Ada Lovelace'],
    ['line\nbreak\ttab', 'line break tab'],
    ['evil\u202Egnp.exe', 'evil gnp.exe'],
    ['\u2066iso\u2069late', 'iso late'],
    ['e\u0301', '\u00e9'],
    ['José 李 👩🏽‍💻', 'José 李 👩🏽‍💻'],
  ])('cleans %j to %j', (raw, clean) => {
    expect(sanitiseDisplayName(raw)).toBe(clean);
  });

  it('returns undefined when nothing printable is left', () => {
    for (const raw of ['', '   ', '\u0000\u001f', '\u202e\u200f']) expect(sanitiseDisplayName(raw)).toBeUndefined();
  });

  it(`caps at ${MAX_DISPLAY_NAME_LENGTH} graphemes`, () => {
    expect(sanitiseDisplayName('x'.repeat(500))).toBe('x'.repeat(MAX_DISPLAY_NAME_LENGTH));
    const flags = '🇫🇷'.repeat(100);
    expect(sanitiseDisplayName(flags)).toBe('🇫🇷'.repeat(MAX_DISPLAY_NAME_LENGTH));
  });
});
