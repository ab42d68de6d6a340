/**
 * Loads the demo avatar's committed media (sandbox/avatar/media/, made by its generate.mjs)
 * and checks it is what the avatar's player can send as is: VP8 clips of 640×360 made only
 * of shown frames and starting on a keyframe, and mono 48 kHz Opus, one file per spoken line
 * of `lines.json` (which also gives each line's words, for the transcript).
 */
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MediaFormatError } from './errors.js';
import { parseIvf, type IvfFile } from './ivf.js';
import { opusPacketDurationMs, parseOggOpus, type OggOpusStream } from './ogg-opus.js';

/** The lines the avatar can say from a file (the echo of the visitor is the only other). */
export const SPOKEN_LINES = ['greeting', 'heard', 'reply', 'pricing', 'expire'] as const;
/** One of `SPOKEN_LINES`. */
export type SpokenLine = (typeof SPOKEN_LINES)[number];

/** A spoken line: what it says and how it sounds. */
export interface SpokenLineMedia {
  /** The words, as written in lines.json. */
  text: string;
  speech: OggOpusStream;
  /** How long it plays, in ms (the sum of its packets' durations). */
  durationMs: number;
}

/** The avatar's parsed media. */
export interface AvatarMedia {
  /** Face at rest (loops). */
  idle: IvfFile;
  /** Face speaking (loops while audio plays). */
  talking: IvfFile;
  /** Attentive face while the visitor speaks; absent if the file is not there. */
  listening?: IvfFile;
  /**
   * What the avatar says: `greeting`; `heard` before echoing the visitor; `reply` to a typed
   * message (its transcript carries the answer); `pricing` when it shows the prices; `expire`
   * when the session nears its end.
   */
  lines: Record<SpokenLine, SpokenLineMedia>;
  /** The launcher bubble's 256×256 picture. */
  thumbnailPng: Uint8Array;
}

const VIDEO = { fourcc: 'VP80', width: 640, height: 360 } as const;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Parses and checks one clip. */
function readClip(name: string, bytes: Uint8Array): IvfFile {
  const clip = parseIvf(bytes);
  const { fourcc, width, height } = clip;
  if (fourcc !== VIDEO.fourcc || width !== VIDEO.width || height !== VIDEO.height) {
    throw new MediaFormatError(`${name}: expected ${VIDEO.fourcc} ${VIDEO.width}x${VIDEO.height}, got ${fourcc} ${width}x${height}`);
  }
  // Switching clips sends the new clip's first frame, so it must decode on its own.
  if (!clip.frames[0]?.keyframe) throw new MediaFormatError(`${name}: does not start with a keyframe`);
  // The player sends one frame per 33 ms tick; a hidden frame (an alt-ref, VP8 show_frame
  // bit 4 clear) would stall the picture for a tick.
  const hidden = clip.frames.findIndex((frame) => (frame.data[0]! & 0x10) === 0);
  if (hidden !== -1) throw new MediaFormatError(`${name}: frame ${hidden} is not shown (encode without alt-ref frames)`);
  return clip;
}

/** Parses and checks one spoken line's audio. */
function readSpeech(name: string, bytes: Uint8Array): OggOpusStream {
  const speech = parseOggOpus(bytes);
  // WebRTC's Opus is 48 kHz; the sandbox sends the packets untouched, so mono keeps the SDP simple.
  if (speech.channels !== 1 || speech.inputSampleRate !== 48_000) {
    throw new MediaFormatError(`${name}: expected mono 48 kHz Opus, got ${speech.channels} channels at ${speech.inputSampleRate} Hz`);
  }
  if (speech.packets.length === 0) throw new MediaFormatError(`${name}: holds no audio`);
  return speech;
}

/** Parses lines.json: one non-empty string per spoken line. */
function readLineTexts(bytes: Uint8Array): Record<SpokenLine, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new MediaFormatError(`lines.json: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const texts = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
  const missing = SPOKEN_LINES.filter((line) => typeof texts[line] !== 'string' || !(texts[line] as string).trim());
  if (missing.length) throw new MediaFormatError(`lines.json: no text for ${missing.join(', ')}`);
  return texts as Record<SpokenLine, string>;
}

/** Reads a file, or `undefined` when it does not exist. */
async function readOptional(url: URL): Promise<Uint8Array | undefined> {
  try {
    return await readFile(url);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Reads, parses and checks the avatar's media. Nothing is cached: each call reads the files
 * again, and the caller keeps the result for as long as it needs it.
 *
 * @param dir the folder holding the files, as a path or a `file:` URL ending in `/`
 *   [sandbox/avatar/media/]
 * @throws {MediaFormatError} naming the file that is malformed or not in the expected format
 * @example
 * const media = await loadAvatarMedia();
 * media.idle.frames.length; // 120 (4 s at 30 fps)
 */
export async function loadAvatarMedia(dir: string | URL = new URL('../avatar/media/', import.meta.url)): Promise<AvatarMedia> {
  // The trailing separator makes file names resolve inside the folder, not beside it.
  const base = typeof dir === 'string' ? pathToFileURL(`${resolve(dir)}${sep}`) : dir;
  const at = (file: string) => new URL(file, base);
  const [[idle, talking, listening, thumbnailPng, lineTexts], speech] = await Promise.all([
    Promise.all([readFile(at('idle.ivf')), readFile(at('talking.ivf')), readOptional(at('listening.ivf')), readFile(at('thumbnail.png')), readFile(at('lines.json'))]),
    Promise.all(SPOKEN_LINES.map((line) => readFile(at(`${line}.ogg`)))),
  ]);
  if (!PNG_SIGNATURE.every((byte, i) => thumbnailPng[i] === byte)) throw new MediaFormatError('thumbnail.png: not a PNG file');
  const texts = readLineTexts(lineTexts);
  const lines = Object.fromEntries(
    SPOKEN_LINES.map((line, index) => {
      const stream = readSpeech(`${line}.ogg`, speech[index]!);
      const durationMs = stream.packets.reduce((sum, packet) => sum + (opusPacketDurationMs(packet) || 20), 0);
      return [line, { text: texts[line], speech: stream, durationMs }];
    }),
  ) as Record<SpokenLine, SpokenLineMedia>;
  return {
    idle: readClip('idle.ivf', idle),
    talking: readClip('talking.ivf', talking),
    ...(listening ? { listening: readClip('listening.ivf', listening) } : {}),
    lines,
    thumbnailPng,
  };
}
