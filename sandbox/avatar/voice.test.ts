import { describe, expect, it } from 'vitest';
import type { AgentMessage } from '../../contract/equos/realtime.js';
import type { SpeechResult } from './player.js';
import { Voice } from './voice.js';

/** A player whose audio the test plays by hand. */
function fakePlayer() {
  const lines: Array<{ packets: readonly Uint8Array[]; progress: (ms: number) => void; done: (result: SpeechResult) => void }> = [];
  return {
    lines,
    say(packets: readonly Uint8Array[], progress?: (ms: number) => void) {
      return new Promise<SpeechResult>((done) => lines.push({ packets, progress: progress ?? (() => {}), done }));
    },
    hush() {
      for (const line of lines.splice(0)) line.done('cut');
    },
    /** Plays the current line up to `ms`, and to its end when `ms` reaches its length. */
    playTo(ms: number) {
      const line = lines[0]!;
      for (let played = 20; played <= Math.min(ms, line.packets.length * 20); played += 20) line.progress(played);
      if (ms >= line.packets.length * 20) lines.shift()!.done('finished');
    },
  };
}

/** 20 ms CELT packets (TOC 0xf8). */
const packets = (count: number) => Array.from({ length: count }, () => Uint8Array.of(0xf8, 0xff, 0xfe));
const contents = (sent: AgentMessage[]) => sent.map((message) => (message.type === 'utterance' ? `${message.utterance.content}${message.utterance.finished ? ' ✓' : ''}` : message.type));

describe('Voice', () => {
  it('captions a line word by word as its audio plays, then finished once the last packet is out, all with its start time', async () => {
    const player = fakePlayer();
    const sent: AgentMessage[] = [];
    const voice = new Voice({ player, send: (message) => sent.push(message), now: () => Date.UTC(2030, 0, 1) });
    const saying = voice.say(packets(50), 'one two three four'); // 1 s: steps at 0, 250, 500, 750 ms
    expect(contents(sent)).toEqual(['one']);
    player.playTo(490);
    expect(contents(sent)).toEqual(['one', 'one two']);
    player.playTo(1000);
    expect(await saying).toBe('finished');
    expect(contents(sent)).toEqual(['one', 'one two', 'one two three', 'one two three four', 'one two three four ✓']);
    expect(new Set(sent.map((message) => message.type === 'utterance' && message.utterance.recordedAt))).toEqual(new Set(['2030-01-01T00:00:00.000Z']));
  });

  it('sends nothing more for a line it hushed, nor for one the next line cut off', async () => {
    const player = fakePlayer();
    const sent: AgentMessage[] = [];
    const voice = new Voice({ player, send: (message) => sent.push(message) });
    const first = voice.say(packets(50), 'one two three four');
    voice.hush();
    expect(await first).toBe('cut');
    const second = voice.say(packets(10), 'five');
    const third = voice.say(packets(10), 'six');
    expect(await second).toBe('cut');
    player.playTo(200);
    expect(await third).toBe('finished');
    expect(contents(sent)).toEqual(['one', 'five', 'six', 'six ✓']);
  });
});
