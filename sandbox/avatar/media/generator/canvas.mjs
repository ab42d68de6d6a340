/**
 * A tiny RGB raster that composites signed-distance shapes (see shapes.mjs) with
 * anti-aliased edges. Shapes are described in a fixed 640×360 "world"; a view maps the
 * raster onto that world, so the same face renders the video frames and the square
 * thumbnail without being redrawn by hand.
 */

/**
 * @typedef {{ dx?: number, dy?: number, angle?: number, pivot?: [number, number] }} Transform
 *   Moves a group of shapes: rotate by `angle` radians about `pivot`, then shift by (dx, dy).
 * @typedef {{ opacity?: number, softness?: number, transform?: Transform }} DrawOptions
 *   `softness` widens the edge to that many world pixels (blush); 0 is a crisp 1-pixel edge.
 */

const clamp01 = (value) => Math.min(1, Math.max(0, value));

/**
 * Returns a function mapping a world point to the shape's own coordinates (undoing
 * `transform`), writing into `out` so the per-pixel loop allocates nothing.
 */
function toLocal(transform) {
  const { dx = 0, dy = 0, angle = 0, pivot = [0, 0] } = transform;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return (x, y, out) => {
    const px = x - dx - pivot[0];
    const py = y - dy - pivot[1];
    out[0] = cos * px + sin * py + pivot[0];
    out[1] = -sin * px + cos * py + pivot[1];
  };
}

/** The world box covering local box `bounds` once `transform` is applied. */
function toWorldBounds(transform, [x0, y0, x1, y1]) {
  const { dx = 0, dy = 0, angle = 0, pivot = [0, 0] } = transform;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const corners = [[x0, y0], [x1, y0], [x0, y1], [x1, y1]].map(([x, y]) => {
    const px = x - pivot[0];
    const py = y - pivot[1];
    return [cos * px - sin * py + pivot[0] + dx, sin * px + cos * py + pivot[1] + dy];
  });
  const xs = corners.map((corner) => corner[0]);
  const ys = corners.map((corner) => corner[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/**
 * Creates a raster of `width`×`height` pixels looking at the world through `view`.
 * @param {number} width
 * @param {number} height
 * @param {{ scale?: number, x?: number, y?: number }} [view] world pixels per raster pixel is
 *   1/scale; (x, y) is the world point at the raster's top-left corner.
 */
export function createCanvas(width, height, view = {}) {
  const { scale = 1, x: originX = 0, y: originY = 0 } = view;
  const pixels = new Float32Array(width * height * 3);
  const worldX = (px) => originX + (px + 0.5) / scale;
  const worldY = (py) => originY + (py + 0.5) / scale;

  return {
    /**
     * Paints every pixel with `colorAt(x, y)` (world coordinates), e.g. a gradient.
     * @param {(x: number, y: number) => [number, number, number]} colorAt
     */
    fill(colorAt) {
      for (let py = 0; py < height; py += 1) {
        for (let px = 0; px < width; px += 1) {
          pixels.set(colorAt(worldX(px), worldY(py)), (py * width + px) * 3);
        }
      }
    },

    /**
     * Composites `shape` in `color` over what is already drawn.
     * @param {{ sdf: (x: number, y: number) => number, bounds: number[] }} shape
     * @param {[number, number, number]} color sRGB 0–255
     * @param {DrawOptions} [options]
     */
    draw(shape, color, options = {}) {
      const { opacity = 1, softness = 0, transform = {} } = options;
      const edge = Math.max(1 / scale, softness);
      const [wx0, wy0, wx1, wy1] = toWorldBounds(transform, shape.bounds);
      const px0 = Math.max(0, Math.floor((wx0 - edge - originX) * scale));
      const py0 = Math.max(0, Math.floor((wy0 - edge - originY) * scale));
      const px1 = Math.min(width - 1, Math.ceil((wx1 + edge - originX) * scale));
      const py1 = Math.min(height - 1, Math.ceil((wy1 + edge - originY) * scale));
      const local = toLocal(transform);
      const point = [0, 0];
      for (let py = py0; py <= py1; py += 1) {
        for (let px = px0; px <= px1; px += 1) {
          local(worldX(px), worldY(py), point);
          let coverage = clamp01(0.5 - shape.sdf(point[0], point[1]) / edge);
          if (softness > 0) coverage = coverage * coverage * (3 - 2 * coverage);
          const alpha = coverage * opacity;
          if (alpha <= 0) continue;
          const at = (py * width + px) * 3;
          for (let channel = 0; channel < 3; channel += 1) {
            pixels[at + channel] += (color[channel] - pixels[at + channel]) * alpha;
          }
        }
      }
    },

    /** The raster as packed 8-bit RGB, what ffmpeg's `-pix_fmt rgb24` reads. */
    toRgb24() {
      const bytes = Buffer.alloc(width * height * 3);
      for (let i = 0; i < pixels.length; i += 1) bytes[i] = Math.round(Math.min(255, Math.max(0, pixels[i])));
      return bytes;
    },
  };
}
