/**
 * Plays the demo avatar's media in real time: a looping face clip as VP8 at 30 fps and Opus
 * audio every 20 ms (speech when there is something to say, silence otherwise), paced on the
 * wall clock like a camera and a microphone, with RTP timestamps that never jump back.
 */
import type { PushSource } from '../livekit/media-source.js';
import type { IvfFile } from '../media/ivf.js';
import { opusPacketDurationMs } from '../media/ogg-opus.js';
import { payloadVp8 } from '../media/vp8-payloader.js';
import type { Face } from './behaviour.js';

/** Options of `AvatarPlayer`. */
export interface AvatarPlayerOptions {
  faces: Record<Face, IvfFile>;
  video: PushSource;
  audio: PushSource;
  /** Called for every audio packet sent, with whether it carries speech. */
  onAudio?: (speaking: boolean) => void;
  /** Clock in ms [performance.now]. */
  now?: () => number;
}

/** A 20 ms Opus frame of silence (CELT, mono, fullband), the comfort packet WebRTC sends. */
export const OPUS_SILENCE = Uint8Array.of(0xf8, 0xff, 0xfe);

const VIDEO_CLOCK = 90_000;
const AUDIO_CLOCK = 48_000;
const FRAME_MS = 1000 / 30;
const TICK_MS = 10;
/** Beyond this lag (a stalled event loop) the player skips ahead instead of bursting. */
const MAX_LAG_MS = 250;

/** How a line ended: played to its end, or cut (hushed, or the player stopped). */
export type SpeechResult = 'finished' | 'cut';

interface Speech {
  packets: readonly Uint8Array[];
  index: number;
  playedMs: number;
  onProgress: ((playedMs: number) => void) | undefined;
  done: (result: SpeechResult) => void;
}

/** Streams the avatar's face and voice into its two track sources. */
export class AvatarPlayer {
  readonly #options: AvatarPlayerOptions;
  readonly #now: () => number;
  #face: Face = 'idle';
  #frameIndex = 0;
  #pictureId = Math.floor(Math.random() * 0x7fff);
  #videoTimestamp = Math.floor(Math.random() * 2 ** 31);
  #audioTimestamp = Math.floor(Math.random() * 2 ** 31);
  #nextVideoAt = 0;
  #nextAudioAt = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #speech: Speech[] = [];
  #paused = false;

  constructor(options: AvatarPlayerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Starts streaming. */
  start(): void {
    if (this.#timer) return;
    this.#nextVideoAt = this.#nextAudioAt = this.#now();
    this.#timer = setInterval(() => this.tick(), TICK_MS);
    this.#timer.unref?.();
  }

  /** Stops streaming; pending speech is dropped (and resolves `cut`). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.hush();
  }

  /** Stops speaking mid-word: the speech playing and any queued resolve `cut`; silence follows. */
  hush(): void {
    for (const speech of this.#speech.splice(0)) speech.done('cut');
  }

  /** Stops sending (media interruption) without losing the conversation's place. */
  setPaused(paused: boolean): void {
    this.#paused = paused;
  }

  /** Shows `face` from its first frame (a keyframe) on the next video frame. */
  setFace(face: Face): void {
    if (face === this.#face) return;
    this.#face = face;
    this.#frameIndex = 0;
  }

  /** A subscriber needs a keyframe: restart the current clip, whose first frame is one. */
  requestKeyframe(): void {
    this.#frameIndex = 0;
  }

  /**
   * Queues Opus packets to speak; resolves `finished` when the last one has been sent, or `cut`.
   *
   * @param onProgress called after each packet sent, with the ms of audio played so far
   */
  say(packets: readonly Uint8Array[], onProgress?: (playedMs: number) => void): Promise<SpeechResult> {
    return new Promise((done) => {
      this.#speech.push({ packets, index: 0, playedMs: 0, onProgress, done });
    });
  }

  /** Sends everything that is due (called every 10 ms; public for tests). */
  tick(): void {
    const now = this.#now();
    if (now - this.#nextVideoAt > MAX_LAG_MS) this.#nextVideoAt = now;
    if (now - this.#nextAudioAt > MAX_LAG_MS) this.#nextAudioAt = now;
    while (this.#nextVideoAt <= now) {
      this.#sendVideoFrame();
      this.#nextVideoAt += FRAME_MS;
    }
    while (this.#nextAudioAt <= now) {
      this.#nextAudioAt += this.#sendAudioPacket();
    }
  }

  #sendVideoFrame(): void {
    const clip = this.#options.faces[this.#face];
    const frame = clip.frames[this.#frameIndex % clip.frames.length]!;
    this.#frameIndex = (this.#frameIndex + 1) % clip.frames.length;
    this.#pictureId = (this.#pictureId + 1) & 0x7fff;
    this.#videoTimestamp = (this.#videoTimestamp + VIDEO_CLOCK / 30) >>> 0;
    if (this.#paused) return;
    const payloads = payloadVp8(frame.data, { pictureId: this.#pictureId });
    payloads.forEach((payload, index) =>
      this.#options.video.push({ payload, timestamp: this.#videoTimestamp, marker: index === payloads.length - 1 }),
    );
  }

  /** Sends one audio packet and returns its duration in ms. */
  #sendAudioPacket(): number {
    const speech = this.#speech[0];
    const packet = (speech && speech.packets[speech.index]) ?? OPUS_SILENCE;
    const durationMs = packet === OPUS_SILENCE ? 20 : opusPacketDurationMs(packet) || 20;
    this.#options.onAudio?.(speech !== undefined);
    this.#audioTimestamp = (this.#audioTimestamp + (AUDIO_CLOCK / 1000) * durationMs) >>> 0;
    if (!this.#paused) this.#options.audio.push({ payload: packet, timestamp: this.#audioTimestamp, marker: false });
    if (speech) {
      speech.index += 1;
      speech.playedMs += durationMs;
      speech.onProgress?.(speech.playedMs);
      // The callback may have hushed the player; only a line still playing can finish.
      if (speech.index >= speech.packets.length && this.#speech[0] === speech) {
        this.#speech.shift();
        speech.done('finished');
      }
    }
    return durationMs;
  }
}
