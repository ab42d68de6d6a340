import { describe, expect, it } from 'vitest';
import { encodeMessage, parseAgentMessage, parsePageMessage } from './realtime.js';

const { TextEncoder: Utf8Encoder } = globalThis as unknown as { TextEncoder: new () => { encode(text: string): Uint8Array } };
const bytes = (value: unknown) => new Utf8Encoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe("Equos' real-time messages", () => {
  it('round-trips every message type', () => {
    const agent = [
      { type: 'utterance', utterance: { author: 'agent', content: 'Hi', recordedAt: '2026-12-01T10:00:00.000Z', finished: false } },
      { type: 'interrupt' },
      { type: 'trigger', name: 'show_pricing', params: { plan: 'pro' } },
      { type: 'expire_soon', seconds_remaining: 30 },
      { type: 'error', code: 'agent-failed' },
    ] as const;
    for (const message of agent) expect(parseAgentMessage(encodeMessage(message))).toEqual(message);
    for (const message of [{ type: 'context', content: 'Page: pricing' }, { type: 'usr.txt', text: 'hello' }] as const) {
      expect(parsePageMessage(encodeMessage(message))).toEqual(message);
    }
  });

  it('reads what a newer avatar may send: extra fields kept out, missing optional ones filled', () => {
    expect(parseAgentMessage(bytes({ type: 'utterance', utterance: { author: 'user', content: 'ok', extra: 1 }, id: 'x' }))).toEqual({
      type: 'utterance',
      utterance: { author: 'user', content: 'ok', recordedAt: expect.any(String), finished: true },
    });
    expect(parseAgentMessage(bytes({ type: 'trigger', name: 'open_cart' }))).toEqual({ type: 'trigger', name: 'open_cart', params: {} });
    expect(parseAgentMessage(bytes({ type: 'error' }))).toEqual({ type: 'error', code: 'unknown' });
  });

  it('ignores what it does not know or what is malformed, without throwing', () => {
    for (const value of [
      'not json',
      '[]',
      'null',
      { type: 'something-new' },
      { type: 'utterance' },
      { type: 'utterance', utterance: { author: 'system', content: 'x' } },
      { type: 'utterance', utterance: { author: 'agent', content: 5 } },
      { type: 'trigger', name: '' },
      { type: 'expire_soon', seconds_remaining: -1 },
      { type: 'expire_soon', seconds_remaining: 'soon' },
    ]) {
      expect(parseAgentMessage(bytes(value))).toBeUndefined();
    }
    expect(parseAgentMessage(new Uint8Array([0xff, 0xfe, 0x00]))).toBeUndefined();
    expect(parsePageMessage(bytes({ type: 'context', content: 3 }))).toBeUndefined();
    expect(parsePageMessage(bytes({ type: 'usr.txt' }))).toBeUndefined();
  });
});
