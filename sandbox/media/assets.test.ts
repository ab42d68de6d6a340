import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAvatarMedia, SPOKEN_LINES } from './assets.js';
import { MediaFormatError } from './errors.js';
import { ivfFile, oggOpusFile, opusHead, opusPacket } from './test-fixtures.js';

const committed = fileURLToPath(new URL('../avatar/media/', import.meta.url));

/** A keyframe and a delta frame, both shown (VP8 frame tag bit 4). */
const KEY = Uint8Array.of(0x10, 0, 0, 0x9d, 0x01, 0x2a);
const DELTA = Uint8Array.of(0x11, 0);

describe('loadAvatarMedia', () => {
  it('loads the committed media from its default folder', async () => {
    const media = await loadAvatarMedia();
    expect(media.idle.frames).toHaveLength(120);
    expect(media.talking.frames).toHaveLength(120);
    expect(media.listening?.frames).toHaveLength(90);
    for (const clip of [media.idle, media.talking, media.listening!]) {
      expect(clip).toMatchObject({ fourcc: 'VP80', width: 640, height: 360, timebase: { numerator: 1, denominator: 30 } });
      expect(clip.frames[0]!.keyframe).toBe(true);
    }
    for (const line of SPOKEN_LINES) {
      const { text, speech, durationMs } = media.lines[line];
      expect(speech, line).toMatchObject({ channels: 1, inputSampleRate: 48_000 });
      // 20 ms packets, and about what espeak takes to say the words at 150 per minute.
      expect(durationMs, line).toBe(speech.packets.length * 20);
      const words = text.split(/\s+/).length;
      expect(durationMs / words, line).toBeGreaterThan(200);
      expect(durationMs / words, line).toBeLessThan(700);
    }
    expect(media.lines.greeting.text).toMatch(/^Hi! I'm Ava/);
    expect(media.lines.greeting.durationMs).toBeGreaterThan(media.lines.heard.durationMs);
    // PNG IHDR: width and height are the first fields of the first chunk.
    const ihdr = new DataView(media.thumbnailPng.buffer, media.thumbnailPng.byteOffset + 16, 8);
    expect([ihdr.getUint32(0), ihdr.getUint32(4)]).toEqual([256, 256]);
  });

  it('returns fresh objects on every call (nothing cached)', async () => {
    const [first, second] = await Promise.all([loadAvatarMedia(), loadAvatarMedia()]);
    expect(first.idle).not.toBe(second.idle);
    expect(first.idle.frames[5]!.data).toEqual(second.idle.frames[5]!.data);
  });

  describe('from another folder', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'avatar media #1 '));
      await cp(committed, dir, { recursive: true });
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    const put = (name: string, bytes: Uint8Array) => writeFile(join(dir, name), bytes);
    const expectFailure = async (message: RegExp) => {
      const loading = loadAvatarMedia(dir);
      await expect(loading).rejects.toThrow(MediaFormatError);
      await expect(loading).rejects.toThrow(message);
    };

    it('takes a path (absolute, relative, with spaces and #) or a file: URL', async () => {
      await put('idle.ivf', ivfFile([KEY, DELTA]));
      expect((await loadAvatarMedia(dir)).idle.frames).toHaveLength(2);
      expect((await loadAvatarMedia(relative(process.cwd(), dir))).idle.frames).toHaveLength(2);
      expect((await loadAvatarMedia(pathToFileURL(`${dir}/`))).idle.frames).toHaveLength(2);
    });

    it('leaves listening out when its file is absent', async () => {
      await rm(join(dir, 'listening.ivf'));
      const media = await loadAvatarMedia(dir);
      expect(media.listening).toBeUndefined();
      expect('listening' in media).toBe(false);
    });

    it('fails with the file system error when a required file is absent', async () => {
      await rm(join(dir, 'heard.ogg'));
      await expect(loadAvatarMedia(dir)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('refuses lines.json when it is not JSON or lacks the words of a line', async () => {
      await put('lines.json', new TextEncoder().encode('{"greeting": '));
      await expectFailure(/lines\.json: not JSON/);
      await put('lines.json', new TextEncoder().encode(JSON.stringify({ greeting: 'Hi', heard: ' ', reply: 'R', pricing: 'P' })));
      await expectFailure(/lines\.json: no text for heard, expire/);
    });

    it('refuses a clip of the wrong codec or size', async () => {
      await put('talking.ivf', ivfFile([KEY], { width: 320, height: 240 }));
      await expectFailure(/talking\.ivf: expected VP80 640x360, got VP80 320x240/);
      await put('talking.ivf', ivfFile([KEY], { fourcc: 'VP90' }));
      await expectFailure(/talking\.ivf: expected VP80 640x360, got VP90 640x360/);
    });

    it('refuses a clip that does not start with a keyframe, or is empty', async () => {
      await put('listening.ivf', ivfFile([DELTA, KEY]));
      await expectFailure(/listening\.ivf: does not start with a keyframe/);
      await put('listening.ivf', ivfFile([]));
      await expectFailure(/listening\.ivf: does not start with a keyframe/);
    });

    it('refuses a clip with a hidden (alt-ref) frame', async () => {
      await put('idle.ivf', ivfFile([KEY, DELTA, Uint8Array.of(0x01, 0)]));
      await expectFailure(/idle\.ivf: frame 2 is not shown/);
    });

    it('refuses speech that is not mono 48 kHz Opus, or holds no audio', async () => {
      await put('greeting.ogg', oggOpusFile([opusPacket(10)], opusHead(2)));
      await expectFailure(/greeting\.ogg: expected mono 48 kHz Opus, got 2 channels at 48000 Hz/);
      await put('greeting.ogg', oggOpusFile([opusPacket(10)], opusHead(1, 312, 16_000)));
      await expectFailure(/1 channels at 16000 Hz/);
      await put('greeting.ogg', oggOpusFile([]));
      await expectFailure(/greeting\.ogg: holds no audio/);
    });

    it('refuses a thumbnail that is not a PNG', async () => {
      await put('thumbnail.png', new TextEncoder().encode('GIF89a'));
      await expectFailure(/thumbnail\.png: not a PNG file/);
    });
  });
});
