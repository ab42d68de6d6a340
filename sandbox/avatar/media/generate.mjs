#!/usr/bin/env node
/**
 * Regenerates the demo avatar's committed media (see README.md beside this file):
 *
 *   node sandbox/avatar/media/generate.mjs                  # everything (about a minute)
 *   node sandbox/avatar/media/generate.mjs --speech-only    # only the spoken lines (*.ogg)
 *
 * Needs Debian's `ffmpeg` and `espeak-ng` (`apt-get install -y ffmpeg espeak-ng`), only here:
 * the sandbox reads the committed files, so `npm start` needs no system tools. Plain Node,
 * no npm packages. Deterministic: the same tool versions give byte-identical files
 * (ffmpeg's `bitexact` flags keep version strings and random Ogg serials out).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas } from './generator/canvas.mjs';
import { clips } from './generator/clips.mjs';
import { drawFace, restPose } from './generator/face.mjs';

const outDir = fileURLToPath(new URL('.', import.meta.url));
const WIDTH = 640;
const HEIGHT = 360;
const FPS = 30;
/** A keyframe every second, so a receiver that lost one recovers within 30 frames. */
const KEYFRAME_INTERVAL = 30;

/**
 * What the avatar says, one Ogg file per line. The sandbox reads the same file for the
 * transcript it sends with each line, so the words spoken and the words shown cannot drift.
 */
const lines = JSON.parse(readFileSync(new URL('lines.json', import.meta.url), 'utf8'));
/**
 * `--speech-only` leaves the video and the thumbnail alone: adding a line then rewrites no
 * committed binary but the speech (and those come out byte-identical with the same tools).
 */
const speechOnly = process.argv.includes('--speech-only');
/** espeak-ng's US English with its third female variant, a little slower than default. */
const voice = ['-v', 'en-us+f3', '-s', '150', '-p', '55'];

const bitexact = ['-fflags', '+bitexact', '-flags', '+bitexact', '-map_metadata', '-1'];

/**
 * VP8 for flat cartoon art: constant quality (crf) under a bitrate cap. No alt-ref frames and
 * no lag, so every IVF frame is one shown frame the sandbox can send as is; a keyframe on
 * frame 0 (so a clip can start at once) and every 30 frames; one thread so that
 * regenerating is deterministic.
 */
const vp8 = [
  '-c:v', 'libvpx', '-pix_fmt', 'yuv420p', '-deadline', 'good', '-cpu-used', '0', '-threads', '1',
  '-auto-alt-ref', '0', '-lag-in-frames', '0', '-g', String(KEYFRAME_INTERVAL), '-keyint_min', String(KEYFRAME_INTERVAL),
  '-force_key_frames', `expr:eq(mod(n,${KEYFRAME_INTERVAL}),0)`,
  '-crf', '10', '-b:v', '600k', '-qmin', '4', '-qmax', '40',
];

/** Opus as WebRTC sends it: 48 kHz mono, 20 ms frames, VBR speech. */
const opus = ['-ar', '48000', '-ac', '1', '-c:a', 'libopus', '-application', 'voip', '-frame_duration', '20', '-b:a', '28k', '-vbr', 'on'];

/** Runs a tool to completion, failing loudly with its stderr. */
function run(command, args, input) {
  const result = spawnSync(command, args, { input, maxBuffer: 64 << 20 });
  if (result.error) throw new Error(`${command} is missing (apt-get install -y ffmpeg espeak-ng): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
}

/** Streams the frames of `clip` into ffmpeg, one raw RGB frame at a time. */
async function encodeClip(name, clip) {
  const frames = Math.round(clip.seconds * FPS);
  const output = join(outDir, `${name}.ivf`);
  const ffmpeg = spawn('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${WIDTH}x${HEIGHT}`, '-r', String(FPS), '-i', '-',
    ...vp8, ...bitexact, '-f', 'ivf', output,
  ], { stdio: ['pipe', 'inherit', 'inherit'] });
  const exited = new Promise((resolve, reject) => {
    ffmpeg.on('error', reject);
    ffmpeg.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg failed encoding ${name} (exit ${code})`))));
  });
  const canvas = createCanvas(WIDTH, HEIGHT);
  // t runs over [0, seconds): the loop's next frame would be t = seconds, which is frame 0.
  for (let n = 0; n < frames; n += 1) {
    drawFace(canvas, clip.pose(n / FPS));
    if (!ffmpeg.stdin.write(canvas.toRgb24())) await new Promise((resolve) => ffmpeg.stdin.once('drain', resolve));
  }
  ffmpeg.stdin.end();
  await exited;
  return output;
}

/** Speaks `text` with espeak-ng and encodes it to Ogg Opus. */
function encodeSpeech(name, text, scratch) {
  const wav = join(scratch, `${name}.wav`);
  const output = join(outDir, `${name}.ogg`);
  run('espeak-ng', [...voice, '-w', wav, text]);
  // 80 Hz high-pass and 5 ms fades: espeak's output starts and ends abruptly, which clicks.
  const filter = 'highpass=f=80,afade=t=in:d=0.005,areverse,afade=t=in:d=0.005,areverse';
  run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', wav, '-af', filter, ...opus, ...bitexact, '-f', 'ogg', output]);
  return output;
}

/**
 * The launcher bubble's picture: the face at rest, square, rendered at twice the size and
 * scaled down for smoother edges.
 */
function renderThumbnail() {
  const size = 512;
  // A square around the head with a little room above the hair, which starts at world y 26.
  const worldSize = 320;
  const canvas = createCanvas(size, size, { scale: size / worldSize, x: 320 - worldSize / 2, y: 10 });
  drawFace(canvas, restPose);
  const output = join(outDir, 'thumbnail.png');
  run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${size}x${size}`, '-i', '-',
    '-vf', 'scale=256:256:flags=lanczos', '-frames:v', '1', ...bitexact, output,
  ], canvas.toRgb24());
  return output;
}

const scratch = mkdtempSync(join(tmpdir(), 'avatar-media-'));
try {
  const written = [];
  if (!speechOnly) for (const [name, clip] of Object.entries(clips)) written.push(await encodeClip(name, clip));
  for (const [name, text] of Object.entries(lines)) written.push(encodeSpeech(name, text, scratch));
  if (!speechOnly) written.push(renderThumbnail());
  for (const file of written) console.log(`${(statSync(file).size / 1024).toFixed(1).padStart(7)} KB  ${file}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
