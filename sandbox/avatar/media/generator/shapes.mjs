/**
 * Signed-distance shapes for the avatar renderer: each is `{ sdf(x, y), bounds }`, where
 * `sdf` is negative inside, positive outside, in world pixels, and `bounds` is the box
 * `[x0, y0, x1, y1]` outside which the shape cannot cover anything. A distance field (rather
 * than a scanline fill) gives every edge the same one-pixel anti-aliasing, which keeps flat
 * cartoon edges clean after VP8 encoding.
 * See https://iquilezles.org/articles/distfunctions2d/ for the formulas.
 */

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

/**
 * A circle.
 * @param {number} cx @param {number} cy @param {number} r
 */
export function circle(cx, cy, r) {
  return { sdf: (x, y) => Math.hypot(x - cx, y - cy) - r, bounds: [cx - r, cy - r, cx + r, cy + r] };
}

/**
 * An axis-aligned ellipse. The distance is the usual first-order approximation, exact on the
 * edge, which is all anti-aliasing needs.
 * @param {number} cx @param {number} cy @param {number} rx @param {number} ry
 */
export function ellipse(cx, cy, rx, ry) {
  return {
    sdf(x, y) {
      const px = x - cx;
      const py = y - cy;
      const k0 = Math.hypot(px / rx, py / ry);
      const k1 = Math.hypot(px / (rx * rx), py / (ry * ry));
      return k1 === 0 ? -Math.min(rx, ry) : (k0 * (k0 - 1)) / k1;
    },
    bounds: [cx - rx, cy - ry, cx + rx, cy + ry],
  };
}

/**
 * A rectangle with rounded corners.
 * @param {number} cx @param {number} cy @param {number} halfWidth @param {number} halfHeight
 * @param {number} radius corner radius
 */
export function roundedRect(cx, cy, halfWidth, halfHeight, radius) {
  return {
    sdf(x, y) {
      const qx = Math.abs(x - cx) - halfWidth + radius;
      const qy = Math.abs(y - cy) - halfHeight + radius;
      return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
    },
    bounds: [cx - halfWidth, cy - halfHeight, cx + halfWidth, cy + halfHeight],
  };
}

/** Squared distance from (x, y) to the segment a–b. */
function segmentDistanceSquared(x, y, ax, ay, bx, by) {
  const ex = bx - ax;
  const ey = by - ay;
  const wx = x - ax;
  const wy = y - ay;
  const lengthSquared = ex * ex + ey * ey;
  const t = lengthSquared === 0 ? 0 : clamp((wx * ex + wy * ey) / lengthSquared, 0, 1);
  const dx = wx - ex * t;
  const dy = wy - ey * t;
  return dx * dx + dy * dy;
}

/** The bounding box of a list of `[x, y]` points, grown by `margin`. */
function pointBounds(points, margin) {
  const xs = points.map((point) => point[0]);
  const ys = points.map((point) => point[1]);
  return [Math.min(...xs) - margin, Math.min(...ys) - margin, Math.max(...xs) + margin, Math.max(...ys) + margin];
}

/**
 * A closed polygon (any winding; may be degenerate, e.g. a closed mouth of zero area).
 * @param {Array<[number, number]>} points
 */
export function polygon(points) {
  return {
    sdf(x, y) {
      let best = Infinity;
      let sign = 1;
      for (let i = 0, j = points.length - 1; i < points.length; j = i, i += 1) {
        const [ax, ay] = points[i];
        const [bx, by] = points[j];
        best = Math.min(best, segmentDistanceSquared(x, y, ax, ay, bx, by));
        // Even-odd crossing test, folded into the same loop as the distance.
        const below = y >= ay;
        const above = y < by;
        const left = (bx - ax) * (y - ay) > (by - ay) * (x - ax);
        if ((below && above && left) || (!below && !above && !left)) sign = -sign;
      }
      return sign * Math.sqrt(best);
    },
    bounds: pointBounds(points, 1),
  };
}

/**
 * An open polyline drawn with round caps and `width` thickness (eyebrows, closed lids).
 * @param {Array<[number, number]>} points @param {number} width
 */
export function stroke(points, width) {
  const half = width / 2;
  return {
    sdf(x, y) {
      let best = Infinity;
      for (let i = 1; i < points.length; i += 1) {
        const [ax, ay] = points[i - 1];
        const [bx, by] = points[i];
        best = Math.min(best, segmentDistanceSquared(x, y, ax, ay, bx, by));
      }
      return Math.sqrt(best) - half;
    },
    bounds: pointBounds(points, half + 1),
  };
}

/**
 * The outline of `shape`, `width` thick and centred on its edge.
 * @param {{ sdf: Function, bounds: number[] }} shape @param {number} width
 */
export function outline(shape, width) {
  const half = width / 2;
  const [x0, y0, x1, y1] = shape.bounds;
  return { sdf: (x, y) => Math.abs(shape.sdf(x, y)) - half, bounds: [x0 - half, y0 - half, x1 + half, y1 + half] };
}

/**
 * Shapes merged by `pick` on their distances; the box is merged the same way on its low
 * corner and by `other` on its high corner.
 */
function combine(shapes, pick, other) {
  const [first, ...rest] = shapes;
  const edge = (index, merge) => merge(...shapes.map((shape) => shape.bounds[index]));
  return {
    sdf(x, y) {
      let distance = first.sdf(x, y);
      for (const shape of rest) distance = pick(distance, shape.sdf(x, y));
      return distance;
    },
    bounds: [edge(0, pick), edge(1, pick), edge(2, other), edge(3, other)],
  };
}

/**
 * Where all `shapes` overlap (e.g. teeth clipped to the open mouth).
 * @param {...{ sdf: Function, bounds: number[] }} shapes
 */
export const intersect = (...shapes) => combine(shapes, Math.max, Math.min);

/**
 * Everything any of `shapes` covers.
 * @param {...{ sdf: Function, bounds: number[] }} shapes
 */
export const union = (...shapes) => combine(shapes, Math.min, Math.max);

/**
 * Points along a quadratic Bézier curve, for hair edges and brows.
 * @param {[number, number]} p0 @param {[number, number]} p1 control point @param {[number, number]} p2
 * @param {number} [steps=16]
 * @returns {Array<[number, number]>}
 */
export function bezier(p0, p1, p2, steps = 16) {
  const points = [];
  for (let i = 0; i <= steps; i += 1) {
    const t = i / steps;
    const a = (1 - t) * (1 - t);
    const b = 2 * (1 - t) * t;
    const c = t * t;
    points.push([a * p0[0] + b * p1[0] + c * p2[0], a * p0[1] + b * p1[1] + c * p2[1]]);
  }
  return points;
}
