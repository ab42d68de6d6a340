import { beforeAll, describe, expect, it } from 'vitest';
import { PushSource, type MediaPacket } from '../livekit/media-source.js';
import { loadAvatarMedia, type AvatarMedia } from '../media/assets.js';
import { AvatarPlayer, OPUS_SILENCE } from './player.js';

let media: AvatarMedia;
beforeAll(async () => {
  media = await loadAvatarMedia();
});

function playerAt(clock: { now: number }) {
  const video = new PushSource('video');
  const audio = new PushSource('audio');
  const sent = { video: [] as MediaPacket[], audio: [] as MediaPacket[] };
  video.subscribe((packet) => sent.video.push(packet));
  audio.subscribe((packet) => sent.audio.push(packet));
  const speaking: boolean[] = [];
  const player = new AvatarPlayer({
    faces: { idle: media.idle, talking: media.talking, listening: media.listening ?? media.idle },
    video,
    audio,
    now: () => clock.now,
    onAudio: (value) => speaking.push(value),
  });
  return { player, sent, speaking };
}

const framesIn = (packets: MediaPacket[]) => packets.filter((packet) => packet.marker).length;

describe('AvatarPlayer', () => {
  it('paces 30 video frames and 50 audio packets per second of wall clock', () => {
    const clock = { now: 0 };
    const { player, sent } = playerAt(clock);
    for (clock.now = 0; clock.now < 1000; clock.now += 10) player.tick();
    expect(framesIn(sent.video)).toBeGreaterThanOrEqual(29);
    expect(framesIn(sent.video)).toBeLessThanOrEqual(31);
    expect(sent.audio).toHaveLength(50);
    expect(sent.audio.every((packet) => packet.payload === OPUS_SILENCE)).toBe(true);
  });

  it('keeps RTP timestamps rising by one frame (3000) and one packet (960) at a time', () => {
    const clock = { now: 0 };
    const { player, sent } = playerAt(clock);
    for (clock.now = 0; clock.now < 500; clock.now += 10) player.tick();
    const frameStamps = sent.video.filter((packet) => packet.marker).map((packet) => packet.timestamp);
    const steps = frameStamps.slice(1).map((stamp, index) => (stamp - frameStamps[index]! + 2 ** 32) % 2 ** 32);
    expect(new Set(steps)).toEqual(new Set([3000]));
    const audioSteps = sent.audio.slice(1).map((packet, index) => (packet.timestamp - sent.audio[index]!.timestamp + 2 ** 32) % 2 ** 32);
    expect(new Set(audioSteps)).toEqual(new Set([960]));
  });

  it('speaks queued packets in order, reports speech and progress, and resolves when done', async () => {
    const clock = { now: 0 };
    const { player, sent, speaking } = playerAt(clock);
    const line = media.lines.heard.speech.packets;
    const progress: number[] = [];
    let result: string | undefined;
    void player.say(line, (playedMs) => progress.push(playedMs)).then((value) => (result = value));
    for (clock.now = 0; clock.now <= line.length * 20 + 40; clock.now += 10) player.tick();
    await Promise.resolve();
    expect(result).toBe('finished');
    expect(sent.audio.slice(0, line.length).map((packet) => packet.payload)).toEqual([...line]);
    expect(speaking.slice(0, line.length).every(Boolean)).toBe(true);
    expect(speaking.at(-1)).toBe(false);
    expect(progress).toEqual(line.map((_, index) => (index + 1) * 20));
  });

  it('stops mid-line when hushed: the line and any queued resolve "cut", silence follows', async () => {
    const clock = { now: 0 };
    const { player, sent } = playerAt(clock);
    const results: string[] = [];
    void player.say(media.lines.greeting.speech.packets).then((value) => results.push(`greeting ${value}`));
    void player.say(media.lines.heard.speech.packets).then((value) => results.push(`heard ${value}`));
    for (clock.now = 0; clock.now < 200; clock.now += 10) player.tick();
    player.hush();
    const spoken = sent.audio.length;
    for (; clock.now < 400; clock.now += 10) player.tick();
    await Promise.resolve();
    expect(results).toEqual(['greeting cut', 'heard cut']);
    expect(sent.audio.slice(spoken).every((packet) => packet.payload === OPUS_SILENCE)).toBe(true);
  });

  it('starts a new face on its keyframe, and restarts the clip when a keyframe is requested', () => {
    const clock = { now: 0 };
    const { player, sent } = playerAt(clock);
    // RFC 7741 descriptor with a 15-bit picture id is 4 bytes; then the VP8 frame, whose
    // first byte has bit 0 clear on a keyframe.
    const nextFrameIsKeyframe = () => {
      sent.video.length = 0;
      clock.now += 34;
      player.tick();
      return (sent.video[0]!.payload[4]! & 0x01) === 0;
    };
    for (clock.now = 0; clock.now < 200; clock.now += 10) player.tick();
    expect(nextFrameIsKeyframe()).toBe(false); // frame 7 of the idle clip
    player.setFace('talking');
    expect(nextFrameIsKeyframe()).toBe(true);
    expect(nextFrameIsKeyframe()).toBe(false);
    player.requestKeyframe();
    expect(nextFrameIsKeyframe()).toBe(true);
  });

  it('sends nothing while paused, and skips ahead after a stall instead of bursting', () => {
    const clock = { now: 0 };
    const { player, sent } = playerAt(clock);
    player.setPaused(true);
    for (clock.now = 0; clock.now < 300; clock.now += 10) player.tick();
    expect(sent.video.length + sent.audio.length).toBe(0);
    player.setPaused(false);
    clock.now += 5000;
    player.tick();
    expect(framesIn(sent.video)).toBeLessThanOrEqual(10);
  });
});
