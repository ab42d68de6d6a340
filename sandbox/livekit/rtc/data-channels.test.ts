/**
 * The data channels of one peer connection, with fake channels: which label means which
 * kind, which channel is sent on, and the reliable backlog before a channel opens. The real
 * SCTP path (werift against Chromium) is proven by conformance/data.browser.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { DataChannels, RELIABLE_BACKLOG_LIMIT, type DataChannelLike } from './data-channels.js';

type State = DataChannelLike['readyState'];

/** A channel whose state and incoming messages the test drives. */
class FakeChannel implements DataChannelLike {
  readyState: State;
  readonly sent: string[] = [];
  readonly #messageListeners: Array<(data: string | Buffer) => void> = [];
  readonly #stateListeners: Array<(state: State) => void> = [];
  readonly onMessage = { subscribe: (listener: (data: string | Buffer) => void) => this.#messageListeners.push(listener) };
  readonly stateChanged = { subscribe: (listener: (state: State) => void) => this.#stateListeners.push(listener) };
  failSends = false;

  constructor(
    readonly label: string,
    readonly isCreatedByRemote: boolean,
    state: State = 'open',
  ) {
    this.readyState = state;
  }

  send(data: Buffer): void {
    if (this.failSends) throw new Error('Message is too large');
    this.sent.push(Buffer.from(data).toString());
  }

  becomes(state: State): void {
    this.readyState = state;
    for (const listener of this.#stateListeners) listener(state);
  }

  receive(data: string | Buffer): void {
    for (const listener of this.#messageListeners) listener(data);
  }
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('DataChannels', () => {
  it("hands on the client's _reliable and _lossy messages by kind, and ignores _data_track", () => {
    const channels = new DataChannels();
    const received: Array<[string, string]> = [];
    channels.onData = (kind, data) => received.push([kind, Buffer.from(data).toString()]);
    const reliable = new FakeChannel('_reliable', true);
    const lossy = new FakeChannel('_lossy', true);
    const dataTrack = new FakeChannel('_data_track', true);
    for (const channel of [reliable, lossy, dataTrack]) channels.add(channel);

    reliable.receive(Buffer.from('r1'));
    lossy.receive(Buffer.from('l1'));
    dataTrack.receive(Buffer.from('frame'));
    expect(received).toEqual([
      ['reliable', 'r1'],
      ['lossy', 'l1'],
    ]);

    channels.send('reliable', bytes('out'));
    expect(dataTrack.sent).toEqual([]);
  });

  it("sends on the client's own channel when it is the only one (single peer connection)", () => {
    const channels = new DataChannels();
    const reliable = new FakeChannel('_reliable', true);
    const lossy = new FakeChannel('_lossy', true);
    channels.add(reliable);
    channels.add(lossy);
    channels.send('reliable', bytes('a'));
    channels.send('lossy', bytes('b'));
    expect([reliable.sent, lossy.sent]).toEqual([['a'], ['b']]);
  });

  it('prefers the channel we opened (the subscriber connection of the two-connection mode)', () => {
    const channels = new DataChannels();
    const theirs = new FakeChannel('_reliable', true);
    const ours = new FakeChannel('_reliable', false);
    channels.add(theirs);
    channels.add(ours);
    channels.send('reliable', bytes('x'));
    expect([ours.sent, theirs.sent]).toEqual([['x'], []]);
  });

  it('keeps reliable packets until a channel opens, then sends them in order before newer ones', () => {
    const channels = new DataChannels();
    channels.send('reliable', bytes('first caption'));
    channels.send('reliable', bytes('second'));
    expect(channels.backlog).toBe(2);

    const ours = new FakeChannel('_reliable', false, 'connecting');
    channels.add(ours);
    channels.send('reliable', bytes('third'));
    expect(ours.sent).toEqual([]);

    ours.becomes('open');
    channels.send('reliable', bytes('fourth'));
    expect(ours.sent).toEqual(['first caption', 'second', 'third', 'fourth']);
    expect(channels.backlog).toBe(0);
  });

  it('flushes the backlog on a client channel that arrives open', () => {
    const channels = new DataChannels();
    channels.send('reliable', bytes('early'));
    const theirs = new FakeChannel('_reliable', true);
    channels.add(theirs);
    expect(theirs.sent).toEqual(['early']);
  });

  it('drops lossy packets while no lossy channel is open', () => {
    const channels = new DataChannels();
    channels.send('lossy', bytes('gone'));
    const lossy = new FakeChannel('_lossy', false, 'connecting');
    channels.add(lossy);
    channels.send('lossy', bytes('also gone'));
    lossy.becomes('open');
    channels.send('lossy', bytes('kept'));
    expect(lossy.sent).toEqual(['kept']);
  });

  it('bounds the backlog and says so once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const channels = new DataChannels();
      for (let i = 0; i < RELIABLE_BACKLOG_LIMIT + 10; i += 1) channels.send('reliable', bytes(`p${i}`));
      expect(channels.backlog).toBe(RELIABLE_BACKLOG_LIMIT);
      expect(warn).toHaveBeenCalledTimes(1);
      const late = new FakeChannel('_reliable', true);
      channels.add(late);
      expect(late.sent[0]).toBe('p0');
      expect(late.sent).toHaveLength(RELIABLE_BACKLOG_LIMIT);
    } finally {
      warn.mockRestore();
    }
  });

  it('survives a send werift refuses, and stops using a closed channel', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const channels = new DataChannels();
      const ours = new FakeChannel('_reliable', false);
      const theirs = new FakeChannel('_reliable', true);
      channels.add(ours);
      channels.add(theirs);
      ours.failSends = true;
      expect(() => channels.send('reliable', bytes('too big'))).not.toThrow();
      ours.failSends = false;

      ours.becomes('closed');
      channels.send('reliable', bytes('after close'));
      expect([ours.sent, theirs.sent]).toEqual([[], ['after close']]);
    } finally {
      warn.mockRestore();
    }
  });

  it('keeps receiving when a handler throws, and forgets everything on close', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const channels = new DataChannels();
      const reliable = new FakeChannel('_reliable', true);
      channels.add(reliable);
      let calls = 0;
      channels.onData = () => {
        calls += 1;
        throw new Error('broken handler');
      };
      expect(() => reliable.receive(Buffer.from('a'))).not.toThrow();
      reliable.receive(Buffer.from('b'));
      expect(calls).toBe(2);

      channels.close();
      channels.send('reliable', bytes('after close'));
      expect(reliable.sent).toEqual([]);
      expect(channels.backlog).toBe(0);
    } finally {
      error.mockRestore();
    }
  });
});
