/**
 * The demo avatar in a real SandboxRoom, with an in-process visitor that reads and writes the
 * room's data packets as the LiveKit server relays them: no browser, fake timers (the player's
 * pacing, the avatar's ticks and Date all run on them).
 */
import { DataPacket_Kind, ParticipantInfo_State, TrackInfo, TrackSource, TrackType } from '@livekit/protocol';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EQUOS_TOPIC, encodeMessage, parseAgentMessage, type AgentMessage, type PageMessage } from '../../contract/equos/realtime.js';
import { PushSource } from '../livekit/media-source.js';
import { RoomParticipant } from '../livekit/participant.js';
import { SandboxRoom } from '../livekit/room.js';
import { loadAvatarMedia, type AvatarMedia } from '../media/assets.js';
import { DemoAvatar, type DemoAvatarOptions } from './demo-avatar.js';
import { OPUS_SILENCE } from './player.js';

let media: AvatarMedia;
beforeAll(async () => {
  media = await loadAvatarMedia();
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
});
const rooms: SandboxRoom[] = [];
afterEach(() => {
  for (const room of rooms.splice(0)) room.end();
  vi.useRealTimers();
});

/** A 20 ms Opus packet of the visitor's voice (CELT fullband TOC, then made-up frame bytes). */
const VOICE = Uint8Array.from({ length: 60 }, (_, i) => (i === 0 ? 0xf8 : i));

/** A message as the visitor received it, with the fake clock's time since the avatar joined. */
interface Received {
  atMs: number;
  message: AgentMessage;
}

/** A room with the avatar in it and a visitor who reads every packet meant for it. */
function meetAvatar(options: Partial<DemoAvatarOptions> = {}) {
  const room = new SandboxRoom('ses_test');
  rooms.push(room);
  const joinedAt = Date.now();
  const received: Received[] = [];
  let unparsable = 0;
  const visitor = new RoomParticipant({ identity: 'visitor-1' });
  room.subscribe((event) => {
    if (event.type !== 'data' || event.from.identity !== 'sandbox-avatar' || event.packet.value.case !== 'user') return;
    if (event.destinations.length && !event.destinations.includes(visitor.identity)) return;
    expect(event.packet.value.value.topic).toBe(EQUOS_TOPIC);
    expect(event.packet.kind).toBe(DataPacket_Kind.RELIABLE);
    const message = parseAgentMessage(event.packet.value.value.payload);
    if (message) received.push({ atMs: Date.now() - joinedAt, message });
    else unparsable += 1;
  });
  const avatar = new DemoAvatar({ room, identity: 'sandbox-avatar', name: 'Ava', media, ...options });
  const audioSid = [...avatar.participant.tracks.values()].find((track) => track.info.type === TrackType.AUDIO)!.info.sid;
  const mic = new PushSource('audio');
  return {
    room,
    avatar,
    received,
    /** Packets from the avatar that are not agent messages. */
    unparsable: () => unparsable,
    /** The agent messages so far, shortened: utterances as `agent: text…` / `agent: text ✓`. */
    transcript: () => received.map(({ message }) => summary(message)),
    connect() {
      room.join(visitor);
      visitor.state = ParticipantInfo_State.ACTIVE;
      room.changed(visitor);
      room.publish(visitor, { info: new TrackInfo({ sid: 'TR_visitor_mic', type: TrackType.AUDIO, source: TrackSource.MICROPHONE }), source: mic });
    },
    /** The visitor starts receiving the avatar's voice; returns the Opus packets it hears from now on. */
    subscribe(): Uint8Array[] {
      const heard: Uint8Array[] = [];
      avatar.participant.tracks.get(audioSid)!.source.subscribe((packet) => heard.push(packet.payload));
      room.markSubscribed(visitor, audioSid);
      return heard;
    },
    send(message: PageMessage, destinationIdentities: string[] = []) {
      room.sendUserData(visitor, { payload: encodeMessage(message), topic: EQUOS_TOPIC, destinationIdentities });
    },
    /** The visitor's microphone: loud (speech) or quiet 20 ms Opus packets for `ms`. */
    async speak(loud: boolean, ms: number) {
      for (let elapsed = 0; elapsed < ms; elapsed += 20) {
        mic.push({ payload: loud ? VOICE : OPUS_SILENCE, timestamp: elapsed * 48, marker: false, audioLevel: loud ? 20 : 127 });
        await vi.advanceTimersByTimeAsync(20);
      }
    },
    /** Chromium's fake microphone: a 20 ms beep every 500 ms, nothing in between. */
    async beep(times: number) {
      for (let beep = 0; beep < times; beep += 1) {
        mic.push({ payload: VOICE, timestamp: 0, marker: false, audioLevel: 20 });
        await vi.advanceTimersByTimeAsync(500);
      }
    },
  };
}

function summary(message: AgentMessage): string {
  if (message.type !== 'utterance') return JSON.stringify(message);
  const { author, content, finished } = message.utterance;
  return `${author}: ${content}${finished ? ' ✓' : '…'}`;
}

/** An utterance as received. */
type ReceivedUtterance = Received & { message: Extract<AgentMessage, { type: 'utterance' }> };

/** The agent's lines in order (told apart by recordedAt), each its utterances: partials, then the finished one if it finished. */
function agentLines(received: Received[]): ReceivedUtterance[][] {
  const lines = new Map<string, ReceivedUtterance[]>();
  for (const entry of received) {
    const { message } = entry;
    if (message.type !== 'utterance' || message.utterance.author !== 'agent') continue;
    const line = lines.get(message.utterance.recordedAt) ?? [];
    line.push({ ...entry, message });
    lines.set(message.utterance.recordedAt, line);
  }
  return [...lines.values()];
}

const contents = (line: ReceivedUtterance[]) => line.map(({ message }) => message.utterance.content);
const others = (received: Received[]) => received.filter(({ message }) => message.type !== 'utterance').map(({ message }) => message);

/** The packets that are not the player's silence: speech. */
const spoken = (packets: Uint8Array[]) => packets.filter((packet) => packet !== OPUS_SILENCE);

describe('DemoAvatar: the greeting', () => {
  it('waits for the visitor to receive its voice, so that a late subscriber hears it from the first word', async () => {
    const call = meetAvatar();
    call.connect();
    await vi.advanceTimersByTimeAsync(2000);
    expect(call.avatar.state.name).toBe('waiting');
    expect(call.received).toEqual([]);
    const heard = call.subscribe();
    await vi.advanceTimersByTimeAsync(1500);
    expect(spoken(heard)[0]).toBe(media.lines.greeting.speech.packets[0]);
  });

  it('greets a visitor that never subscribes after a few seconds', async () => {
    const call = meetAvatar();
    call.connect();
    await vi.advanceTimersByTimeAsync(2900);
    expect(call.received).toEqual([]);
    await vi.advanceTimersByTimeAsync(300);
    expect(call.transcript()).toEqual(['agent: Hi!…']);
  });

  it('captions it word by word over its audio, then finished, every utterance with the same recordedAt', async () => {
    const call = meetAvatar();
    call.connect();
    call.subscribe();
    await vi.advanceTimersByTimeAsync(11_000);
    const [line, ...more] = agentLines(call.received);
    expect(more).toEqual([]);
    const { text, durationMs } = media.lines.greeting;
    const words = text.split(' ');
    expect(contents(line!)).toEqual([...words.map((_, i) => words.slice(0, i + 1).join(' ')), text]);
    expect(line!.map(({ message }) => message.utterance.finished)).toEqual([...words.map(() => false), true]);
    const started = line![0]!.atMs;
    expect(started).toBeGreaterThanOrEqual(800);
    expect(started).toBeLessThanOrEqual(1000);
    // The last word shows a word's length before the audio ends; "finished" comes with its end.
    expect(line!.at(-2)!.atMs - started).toBeCloseTo((durationMs * (words.length - 1)) / words.length, -2);
    expect(line!.at(-1)!.atMs - started).toBeGreaterThanOrEqual(durationMs);
    expect(line!.at(-1)!.atMs - started).toBeLessThanOrEqual(durationMs + 40);
    expect(Date.parse(line![0]!.message.utterance.recordedAt)).toBe(line![0]!.atMs + Date.now() - 11_000);
    expect(call.avatar.state.name).toBe('idle');
  });
});

describe('DemoAvatar: typed text and page context', () => {
  it('cuts the greeting off to answer, quoting the text and the context, and says the reply aloud', async () => {
    const call = meetAvatar();
    call.connect();
    const heard = call.subscribe();
    await vi.advanceTimersByTimeAsync(2000);
    call.send({ type: 'context', content: 'Pricing page, Pro plan' });
    const before = heard.length;
    call.send({ type: 'usr.txt', text: 'Hello Ava' });
    await vi.advanceTimersByTimeAsync(5000);

    expect(others(call.received)).toEqual([{ type: 'interrupt' }]);
    const [greetingLine, reply, ...more] = agentLines(call.received);
    expect(more).toEqual([]);
    expect(greetingLine!.some(({ message }) => message.utterance.finished)).toBe(false);
    expect(contents(reply!).at(-1)).toBe(`${media.lines.reply.text} You wrote: "Hello Ava". You're on: Pricing page, Pro plan.`);
    expect(reply!.at(-1)!.message.utterance.finished).toBe(true);
    expect(reply!.at(-1)!.atMs - reply![0]!.atMs).toBeGreaterThanOrEqual(media.lines.reply.durationMs);
    expect(call.received.some(({ message }) => message.type === 'utterance' && message.utterance.author === 'user')).toBe(false);
    expect(spoken(heard.slice(before))[0]).toBe(media.lines.reply.speech.packets[0]);
  });

  it('asks the page to show the prices when the visitor types "pricing", then says so', async () => {
    const call = meetAvatar();
    call.connect();
    call.subscribe();
    await vi.advanceTimersByTimeAsync(11_000);
    call.received.length = 0;
    call.send({ type: 'usr.txt', text: 'What is your Pricing?' });
    await vi.advanceTimersByTimeAsync(4000);
    expect(call.received[0]!.message).toEqual({ type: 'trigger', name: 'show_pricing', params: {} });
    expect(call.transcript().at(-1)).toBe(`agent: ${media.lines.pricing.text} You wrote: "What is your Pricing?". ✓`);
  });

  it('hears only equos_event packets meant for it', async () => {
    const call = meetAvatar();
    call.connect();
    call.subscribe();
    await vi.advanceTimersByTimeAsync(11_000);
    call.received.length = 0;
    call.room.sendUserData(call.room.participants.get('visitor-1')!, { payload: encodeMessage({ type: 'usr.txt', text: 'a' }), topic: 'chat' });
    call.send({ type: 'usr.txt', text: 'b' }, ['someone-else']);
    call.room.sendUserData(call.avatar.participant, { payload: encodeMessage({ type: 'usr.txt', text: 'c' }), topic: EQUOS_TOPIC });
    call.room.sendUserData(call.room.participants.get('visitor-1')!, { payload: new TextEncoder().encode('{"type":"usr.txt"}'), topic: EQUOS_TOPIC });
    await vi.advanceTimersByTimeAsync(500);
    expect(call.received).toEqual([]);
    expect(call.unparsable()).toBe(1); // its own packet, relayed to the others
    call.send({ type: 'usr.txt', text: 'd' }, ['sandbox-avatar']);
    await vi.advanceTimersByTimeAsync(100);
    expect(call.transcript()).toEqual(['agent: Thanks…']);
  });
});

describe('DemoAvatar: the visitor speaking', () => {
  it('sends a user utterance when the visitor has spoken, then "here is what I heard" and the echo', async () => {
    const call = meetAvatar();
    call.connect();
    call.subscribe();
    await vi.advanceTimersByTimeAsync(11_000);
    call.received.length = 0;
    await call.speak(true, 1000);
    await call.speak(false, 1500);
    // "Here is what I heard:" (1.5 s) and the recording: the speech and the pause that ended it.
    await vi.advanceTimersByTimeAsync(4500);
    const finished = call.transcript().filter((line) => line.endsWith('✓'));
    expect(finished).toEqual(['user: (spoke for 1.0 s) ✓', 'agent: Here is what I heard: ✓', 'agent: (your words, played back) ✓']);
    expect(call.transcript()[0]).toBe('user: (spoke for 1.0 s) ✓');
  });

  it('is interrupted by the visitor talking over it, and listens', async () => {
    const call = meetAvatar();
    call.connect();
    call.subscribe();
    await vi.advanceTimersByTimeAsync(2000);
    await call.speak(true, 700);
    expect(others(call.received)).toEqual([{ type: 'interrupt' }]);
    expect(call.avatar.state.name).toBe('listening');
    expect(call.transcript().some((line) => line.endsWith('✓'))).toBe(false);
    await call.speak(false, 1400);
    expect(call.transcript()).toContain('user: (spoke for 0.7 s) ✓');
  });

  it("is not interrupted by Chromium's fake microphone beeping", async () => {
    const call = meetAvatar();
    call.connect();
    call.subscribe();
    await vi.advanceTimersByTimeAsync(1000);
    await call.beep(18);
    expect(others(call.received)).toEqual([]);
    expect(call.transcript()).toContain(`agent: ${media.lines.greeting.text} ✓`);
  });
});

describe('DemoAvatar: the end of the session', () => {
  it('sends expire_soon once, the lead before the maximum duration, and says so after its line', async () => {
    const call = meetAvatar({ session: { startedAtMs: Date.now(), maxDurationMs: 14_000 }, expireLeadMs: 5000 });
    call.connect();
    call.subscribe();
    await vi.advanceTimersByTimeAsync(13_000);
    const warnings = call.received.filter(({ message }) => message.type === 'expire_soon');
    expect(warnings.map(({ message }) => message)).toEqual([{ type: 'expire_soon', seconds_remaining: 5 }]);
    expect(warnings[0]!.atMs).toBeGreaterThanOrEqual(9000);
    expect(warnings[0]!.atMs).toBeLessThanOrEqual(9100);
    const [greetingLine, expire] = agentLines(call.received);
    expect(contents(expire!).at(-1)).toBe(media.lines.expire.text);
    expect(expire![0]!.atMs).toBeGreaterThanOrEqual(greetingLine!.at(-1)!.atMs);
  });

  it('warns a short session half-way, and sends nothing once the room has ended', async () => {
    const call = meetAvatar({ session: { startedAtMs: Date.now(), maxDurationMs: 4000 } });
    call.connect();
    call.subscribe();
    await vi.advanceTimersByTimeAsync(2100);
    expect(others(call.received)).toEqual([{ type: 'expire_soon', seconds_remaining: 2 }]);
    call.room.end();
    const count = call.received.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(call.received).toHaveLength(count);
    expect(call.avatar.state.name).toBe('ended');
  });
});
