import { describe, expect, it } from 'vitest';
import { BEHAVIOUR_TIMING, transition, type BehaviourEvent, type BehaviourState } from './behaviour.js';

function run(events: BehaviourEvent[], from: BehaviourState = { name: 'waiting' }) {
  let state = from;
  const commands = [];
  for (const event of events) {
    const next = transition(state, event);
    state = next.state;
    commands.push(...next.commands);
  }
  return { state, commands };
}

const speech = (at: number) => ({ type: 'visitor-audio' as const, at, speech: true });
const quiet = (at: number) => ({ type: 'visitor-audio' as const, at, speech: false });
const tick = (at: number) => ({ type: 'tick' as const, at });

describe('demo avatar behaviour', () => {
  it('greets with a talking face, then rests', () => {
    const greeting = run([{ type: 'start' }]);
    expect(greeting.state).toEqual({ name: 'speaking', line: 'greeting' });
    expect(greeting.commands).toEqual([{ type: 'face', face: 'talking' }, { type: 'say', line: 'greeting' }]);
    expect(run([{ type: 'line-finished' }], greeting.state)).toEqual({
      state: { name: 'idle' },
      commands: [{ type: 'face', face: 'idle' }],
    });
  });

  it('listens while the visitor speaks, then says "here is what I heard" and plays it back', () => {
    const listened = run([speech(1000), speech(1400), quiet(1500), speech(1800), tick(2000), tick(1800 + BEHAVIOUR_TIMING.endOfSpeechMs - 1)], {
      name: 'idle',
    });
    expect(listened.state).toEqual({ name: 'listening', speechStartedAt: 1000, lastSpeechAt: 1800 });
    expect(listened.commands).toEqual([{ type: 'face', face: 'listening' }, { type: 'record-start' }]);

    const replied = run([tick(1800 + BEHAVIOUR_TIMING.endOfSpeechMs), { type: 'line-finished' }, { type: 'line-finished' }], listened.state);
    expect(replied.commands).toEqual([
      { type: 'face', face: 'talking' },
      { type: 'say', line: 'heard' },
      { type: 'face', face: 'talking' },
      { type: 'say', line: 'echo' },
      { type: 'face', face: 'idle' },
    ]);
    expect(replied.state).toEqual({ name: 'idle' });
  });

  it('ignores a short noise burst', () => {
    const { state, commands } = run([speech(0), speech(100), tick(100 + BEHAVIOUR_TIMING.endOfSpeechMs)], { name: 'idle' });
    expect(state).toEqual({ name: 'idle' });
    expect(commands.slice(-2)).toEqual([{ type: 'record-discard' }, { type: 'face', face: 'idle' }]);
  });

  it('stops listening after the longest recording, even if the visitor keeps talking', () => {
    const events = Array.from({ length: 120 }, (_, i) => [speech(i * 100), tick(i * 100)]).flat();
    const { state } = run(events, { name: 'idle' });
    expect(state).toEqual({ name: 'speaking', line: 'heard' });
  });

  it('does not react to the visitor while it is speaking, nor to anything once ended', () => {
    expect(run([speech(0)], { name: 'speaking', line: 'greeting' }).commands).toEqual([]);
    expect(run([{ type: 'stop' }, { type: 'start' }, speech(0)]).state).toEqual({ name: 'ended' });
  });
});
