/**
 * The demo avatar's voice: it plays a line through the player and captions it on Equos'
 * real-time channel as Equos does, with partial utterances whose words grow as the audio
 * plays, then one finished utterance when the last packet has gone out. Every utterance of a
 * line carries the time the line started.
 */
import type { AgentMessage } from '../../contract/equos/realtime.js';
import { opusPacketDurationMs } from '../media/ogg-opus.js';
import { partialSteps } from './captions.js';
import type { AvatarPlayer, SpeechResult } from './player.js';

/** Options of `Voice`. */
export interface VoiceOptions {
  player: Pick<AvatarPlayer, 'say' | 'hush'>;
  /** Publishes a message on the real-time channel. */
  send: (message: AgentMessage) => void;
  /** Clock for `recordedAt`, in epoch ms [Date.now]. */
  now?: () => number;
}

/** Says one line at a time, captioned. */
export class Voice {
  readonly #player: VoiceOptions['player'];
  readonly #send: VoiceOptions['send'];
  readonly #now: () => number;
  /** Bumped by every line and every hush: a line that is no longer current sends nothing more. */
  #generation = 0;

  constructor(options: VoiceOptions) {
    this.#player = options.player;
    this.#send = options.send;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Says `packets` captioned with `text`, cutting off whatever was being said (the caller sends
   * `interrupt` when that matters). Resolves `finished` once the finished utterance was sent,
   * or `cut` if the line was hushed before its end (its utterance then stays unfinished).
   */
  async say(packets: readonly Uint8Array[], text: string): Promise<SpeechResult> {
    this.hush();
    const generation = this.#generation;
    const recordedAt = new Date(this.#now()).toISOString();
    const caption = (content: string, finished: boolean) =>
      this.#send({ type: 'utterance', utterance: { author: 'agent', content, recordedAt, finished } });
    const steps = partialSteps(text, packets.reduce((sum, packet) => sum + (opusPacketDurationMs(packet) || 20), 0));
    let next = 0;
    const reveal = (playedMs: number) => {
      while (generation === this.#generation && next < steps.length && steps[next]!.atMs <= playedMs) caption(steps[next++]!.content, false);
    };
    reveal(0);
    const result = await this.#player.say(packets, reveal);
    if (result === 'cut' || generation !== this.#generation) return 'cut';
    caption(text, true);
    return 'finished';
  }

  /** Stops the line being said, mid-word; nothing more is sent for it. */
  hush(): void {
    this.#generation += 1;
    this.#player.hush();
  }
}
