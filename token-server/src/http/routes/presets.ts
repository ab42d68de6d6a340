/** `GET /api/presets`: what the launcher shows before anyone spends anything. */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { methodNotAllowed } from '../method-not-allowed.js';
import { toPublicPreset, type Preset } from '../../config/presets.js';

/**
 * Mounts at `/api/presets`.
 *
 * @param resized whether this server resizes the pictures (then they are listed at its own URLs)
 */
export function presetRoutes(presets: readonly Preset[], resized: boolean): Hono<AppEnv> {
  const body = presets.map((preset) => toPublicPreset(preset, { resized }));
  return new Hono<AppEnv>()
    .get('/', (c) => c.json(body, 200, { 'Cache-Control': 'public, max-age=60' }))
    .all('/', methodNotAllowed('GET, HEAD'));
}
