/**
 * Ava, the sandbox's demo avatar: a flat cartoon face drawn from a handful of distance-field
 * shapes. Everything that moves is a number in a `Pose`, so the clips (clips.mjs) are just
 * functions of time and a frame can be re-rendered exactly.
 */
import { bezier, circle, ellipse, intersect, outline, polygon, roundedRect, stroke, union } from './shapes.mjs';

/**
 * @typedef {object} Pose
 * @property {number} bob head shift down, in px (breathing, nods)
 * @property {number} breathe shoulder shift down, in px
 * @property {number} tilt head roll in radians, positive = clockwise
 * @property {number} gazeX pupil shift right, in px
 * @property {number} gazeY pupil shift down, in px
 * @property {number} eyeOpen 0 = closed lids, 1 = open
 * @property {number} eyeWide eye height factor, 1 = at rest
 * @property {number} browLift eyebrow raise, in px
 * @property {number} mouthOpen 0 = closed smile, 1 = wide open
 * @property {number} mouthRound 0 = wide vowel, 1 = rounded "oo"
 * @property {number} smile 0 = straight lips, 1 = full smile
 */

/** The face at rest, facing the camera with a gentle closed-mouth smile. */
export const restPose = Object.freeze({
  bob: 0, breathe: 0, tilt: 0, gazeX: 0, gazeY: 0, eyeOpen: 1, eyeWide: 1, browLift: 0, mouthOpen: 0, mouthRound: 0, smile: 1,
});

const palette = {
  skyTop: [188, 221, 240],
  skyBottom: [242, 220, 238],
  glow: [255, 250, 240],
  sweater: [58, 158, 150],
  sweaterShade: [46, 132, 126],
  skin: [252, 216, 190],
  skinShade: [236, 186, 160],
  hair: [98, 62, 52],
  hairShine: [128, 86, 70],
  brow: [88, 54, 46],
  eye: [46, 36, 44],
  eyeShine: [255, 255, 255],
  cheek: [246, 140, 150],
  lips: [168, 68, 82],
  mouth: [104, 34, 50],
  tongue: [236, 116, 128],
  teeth: [255, 252, 248],
};

/** Where the head turns: the top of the neck, so a tilt looks like a person's. */
const neckPivot = [320, 286];
const head = { cx: 320, cy: 170, rx: 106, ry: 116 };

/** Soft vertical gradient with a light glow behind the head. */
function background(x, y) {
  const t = y / 360;
  // Gaussian falloff: a clamped linear one leaves a faint ring where its slope stops.
  const glow = 0.45 * Math.exp(-((x - 320) ** 2 + ((y - 170) * 1.2) ** 2) / 160 ** 2);
  return palette.skyTop.map((top, i) => {
    const base = top + (palette.skyBottom[i] - top) * t;
    return base + (palette.glow[i] - base) * glow;
  });
}

/** Shoulders and neck; they follow the breath, not the head. */
function drawBody(canvas, pose) {
  const transform = { dy: pose.breathe };
  canvas.draw(roundedRect(320, 292, 28, 40, 14), palette.skinShade, { transform });
  const body = ellipse(320, 430, 178, 128);
  canvas.draw(body, palette.sweater, { transform });
  canvas.draw(intersect(body, ellipse(320, 306, 40, 20)), palette.skinShade, { transform });
  canvas.draw(intersect(body, outline(ellipse(320, 306, 40, 20), 8)), palette.sweaterShade, { transform });
}

/** The bob haircut, drawn behind the face. */
function hairBack() {
  return union(ellipse(320, 160, 132, 134), roundedRect(320, 224, 124, 54, 50));
}
/**
 * The side-swept fringe over the forehead: the area above two curves meeting at the parting,
 * clipped to just outside the head so its outer edge follows the skull.
 */
function fringe() {
  const parting = [346, 74];
  const edge = [...bezier([210, 196], [236, 104], parting), ...bezier(parting, [414, 96], [430, 184]).slice(1)];
  const cap = polygon([...edge, [450, 184], [450, 20], [190, 20], [190, 196]]);
  return intersect(cap, ellipse(head.cx, head.cy - 2, head.rx + 8, head.ry + 6));
}

/**
 * One eye: a dark oval whose upper lid comes down as `eyeOpen` falls, ending as a curved lid
 * line. The line is its own stroke because a nearly flat ellipse has a poor distance field
 * (its tips would be cut off square).
 */
function eye(cx, cy, pose) {
  const rx = 12.5;
  const ry = 16.5 * pose.eyeWide;
  const open = Math.max(0, Math.min(1, pose.eyeOpen));
  const oval = ellipse(cx, cy + (1 - open) * ry * 0.6, rx, Math.max(0.5, ry * open));
  const lidPoints = [];
  for (let i = 0; i <= 12; i += 1) {
    const u = -1 + i / 6;
    lidPoints.push([cx + u * (rx + 1), cy + 5 + 4 * (1 - u * u)]);
  }
  const lid = stroke(lidPoints, 4.6);
  if (open >= 0.35) return oval;
  return open < 0.05 ? lid : union(oval, lid);
}

/** Both eyes, with two highlights each that shrink away as the lids close. */
function drawEyes(canvas, pose, transform) {
  for (const cx of [277, 363]) {
    const cy = 178;
    canvas.draw(eye(cx, cy, pose), palette.eye, { transform });
    if (pose.eyeOpen < 0.45) continue;
    const shine = (pose.eyeOpen - 0.45) / 0.55;
    const sx = cx + pose.gazeX;
    const sy = cy + pose.gazeY;
    canvas.draw(circle(sx + 4.5, sy - 6 * pose.eyeWide, 4.6 * shine), palette.eyeShine, { transform });
    canvas.draw(circle(sx - 4, sy + 5 * pose.eyeWide, 2.2 * shine), palette.eyeShine, { transform, opacity: 0.85 });
  }
}

/** Arched brows that rise with `browLift`, the outer ends a little less. */
function drawBrows(canvas, pose, transform) {
  for (const side of [-1, 1]) {
    const cx = 320 + side * 44;
    const y = 146 - pose.browLift;
    const inner = [cx - side * 17, y + 3];
    const outer = [cx + side * 18, y + 4 - pose.browLift * 0.3];
    canvas.draw(stroke(bezier(inner, [cx, y - 7], outer, 10), 6), palette.brow, { transform });
  }
}

/**
 * The mouth outline: two curves between the lip corners. Closed, they coincide and only the
 * lip stroke shows (the smile); opening pushes the lower lip down into a "D" shape.
 */
function mouthShape(pose) {
  const cx = 320;
  const cy = 234;
  const halfWidth = 25 * (1 - 0.32 * pose.mouthRound * pose.mouthOpen) + 3 * pose.smile;
  const lift = 7 * pose.smile;
  const down = 24 * pose.mouthOpen;
  const up = 3 * pose.mouthOpen;
  const upper = [];
  const lower = [];
  for (let i = 0; i <= 20; i += 1) {
    const u = -1 + i / 10;
    const x = cx + u * halfWidth;
    const base = cy - lift * u * u;
    const bulge = 1 - u * u;
    upper.push([x, base - up * bulge]);
    lower.push([x, base + down * Math.sqrt(bulge)]);
  }
  return polygon([...upper, ...lower.reverse()]);
}

/** The mouth: dark inside, tongue and upper teeth clipped to it, then the lip line. */
function drawMouth(canvas, pose, transform) {
  const mouth = mouthShape(pose);
  if (pose.mouthOpen > 0.01) {
    canvas.draw(mouth, palette.mouth, { transform });
    const lowerLip = 234 + 24 * pose.mouthOpen;
    canvas.draw(intersect(mouth, ellipse(320, lowerLip + 2, 16, 11)), palette.tongue, { transform });
    canvas.draw(intersect(mouth, roundedRect(320, 228, 20, 3 + 1.5 * pose.mouthOpen, 2)), palette.teeth, { transform });
  }
  canvas.draw(outline(mouth, 4.4), palette.lips, { transform });
}

/**
 * Draws the whole avatar in `pose` onto `canvas` (world 640×360).
 * @param {ReturnType<typeof import('./canvas.mjs').createCanvas>} canvas
 * @param {Pose} pose
 */
export function drawFace(canvas, pose) {
  canvas.fill(background);
  drawBody(canvas, pose);
  const transform = { dy: pose.bob, angle: pose.tilt, pivot: neckPivot };
  canvas.draw(hairBack(), palette.hair, { transform });
  canvas.draw(ellipse(head.cx, head.cy, head.rx, head.ry), palette.skin, { transform });
  const bangs = fringe();
  canvas.draw(bangs, palette.hair, { transform });
  canvas.draw(intersect(bangs, stroke(bezier([262, 98], [300, 80], [334, 80], 8), 5)), palette.hairShine, { transform, opacity: 0.8 });
  for (const cx of [256, 384]) {
    canvas.draw(ellipse(cx, 214, 19, 11), palette.cheek, { transform, opacity: 0.45, softness: 7 });
  }
  canvas.draw(ellipse(320, 206, 7, 5), palette.skinShade, { transform });
  drawEyes(canvas, pose, transform);
  drawBrows(canvas, pose, transform);
  drawMouth(canvas, pose, transform);
}
