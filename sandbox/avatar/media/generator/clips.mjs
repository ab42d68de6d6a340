/**
 * The avatar's clips as poses over time. Every motion is periodic in the clip's length, so
 * the frame after the last one is exactly the first: the clips loop without a seam. No
 * randomness: the talking rhythm is a hand-written syllable list, so regenerating gives the
 * same frames.
 */
import { restPose } from './face.mjs';

const TAU = 2 * Math.PI;

/** 0 → 1 with zero slope at both ends. */
const smoothstep = (x) => {
  const t = Math.min(1, Math.max(0, x));
  return t * t * (3 - 2 * t);
};

/** A sine of `cycles` whole cycles over the clip, so it meets itself at the loop point. */
const wave = (t, seconds, cycles, phase = 0) => Math.sin((TAU * cycles * t) / seconds + phase);

/**
 * How closed the eyes are (0–1) for blinks centred at `times`: quick to close, a little
 * slower to open, like a real blink (~150 ms).
 */
function blink(t, times) {
  let closed = 0;
  for (const centre of times) {
    const dt = t - centre;
    const width = dt < 0 ? 0.07 : 0.1;
    closed = Math.max(closed, smoothstep(1.25 - Math.abs(dt) / width));
  }
  return closed;
}

/**
 * Syllables of the talking clip: [seconds, mouth open at the peak, open at the end, roundness].
 * Uneven lengths, heights and a short pause read as speech; a pure sine reads as a puppet.
 */
const syllables = [
  [0.16, 0.55, 0.1, 0], [0.2, 0.85, 0.05, 0.1], [0.14, 0.4, 0.15, 0.7], [0.24, 0.95, 0, 0],
  [0.18, 0.5, 0.2, 0.8], [0.12, 0.35, 0, 0], [0.26, 0.8, 0, 0.2], [0.34, 0, 0, 0],
  [0.15, 0.6, 0.1, 0], [0.22, 1, 0.2, 0.3], [0.16, 0.45, 0, 0.9], [0.2, 0.7, 0.1, 0],
  [0.13, 0.35, 0.05, 0.2], [0.28, 0.85, 0.15, 0.5], [0.18, 0.5, 0, 0], [0.14, 0.3, 0.1, 0.4],
  [0.2, 0.75, 0, 0], [0.3, 0, 0, 0],
];

/**
 * Mouth keyframes `{ t, open, round }` for a loop of `seconds`: the syllables stretched to
 * fill it, valleys at syllable edges, peaks a little before each middle (mouths open fast).
 */
function mouthKeys(seconds) {
  const total = syllables.reduce((sum, [length]) => sum + length, 0);
  const keys = [{ t: 0, open: 0, round: 0 }];
  let start = 0;
  for (const [length, peak, end, round] of syllables) {
    const scaled = (length / total) * seconds;
    keys.push({ t: start + scaled * 0.4, open: peak, round });
    start += scaled;
    keys.push({ t: start, open: end, round });
  }
  // The list ends closed, like it starts, so the loop point is continuous.
  keys[keys.length - 1] = { t: seconds, open: 0, round: 0 };
  return keys;
}

/** The mouth at time `t`, eased between keyframes. */
function mouthAt(keys, t) {
  const next = keys.findIndex((key) => key.t > t);
  if (next <= 0) return keys[0];
  const a = keys[next - 1];
  const b = keys[next];
  const k = (1 - Math.cos((Math.PI * (t - a.t)) / (b.t - a.t))) / 2;
  return { open: a.open + (b.open - a.open) * k, round: a.round + (b.round - a.round) * k };
}

/**
 * @typedef {{ seconds: number, pose: (t: number) => import('./face.mjs').Pose }} Clip
 */

/** At rest: breathing, a slow sway, two blinks, a closed smile. @type {Clip} */
const idle = {
  seconds: 4,
  pose: (t) => ({
    ...restPose,
    bob: 2.2 * wave(t, 4, 1),
    breathe: 1.4 * wave(t, 4, 1, -0.5),
    tilt: 0.012 * wave(t, 4, 1, 1),
    gazeX: 0.8 * wave(t, 4, 1, 2),
    eyeOpen: 1 - blink(t, [1.1, 3.05]),
  }),
};

const talkingKeys = mouthKeys(4);

/** Speaking: an uneven syllable rhythm, lively brows, small nods. @type {Clip} */
const talking = {
  seconds: 4,
  pose: (t) => {
    const mouth = mouthAt(talkingKeys, t);
    return {
      ...restPose,
      bob: 1.6 * wave(t, 4, 3) + 1.2 * wave(t, 4, 1),
      breathe: 1.2 * wave(t, 4, 1, -0.5),
      tilt: 0.02 * wave(t, 4, 1, 0.6),
      browLift: 1.5 + 1.6 * wave(t, 4, 2, 1) + 0.8 * wave(t, 4, 5),
      eyeOpen: 1 - blink(t, [2.02]),
      mouthOpen: mouth.open,
      mouthRound: mouth.round,
      smile: 0.85 + 0.15 * wave(t, 4, 1),
    };
  },
};

/** Listening: head tilted, eyes a little wider, brows up, mouth closed. @type {Clip} */
const listening = {
  seconds: 3,
  pose: (t) => ({
    ...restPose,
    bob: 1.4 * wave(t, 3, 1) + 0.8 * wave(t, 3, 2, 1),
    breathe: 1.2 * wave(t, 3, 1, -0.5),
    tilt: 0.065 + 0.012 * wave(t, 3, 1, 0.4),
    gazeY: -0.6,
    eyeWide: 1.1,
    browLift: 3.5 + 0.8 * wave(t, 3, 1, 2),
    eyeOpen: 1 - blink(t, [1.9]),
    smile: 0.8,
  }),
};

/** Every clip the generator renders, by output name. */
export const clips = { idle, talking, listening };
