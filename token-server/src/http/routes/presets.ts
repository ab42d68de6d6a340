/** `GET /api/presets`: what the launcher shows before anyone spends anything. */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { methodNotAllowed } from '../method-not-allowed.js';
import { toPublicPreset, type Preset } from '../../config/presets.js';

/** Mounts at `/api/presets`. */
export function presetRoutes(presets: readonly Preset[]): Hono<AppEnv> {
  const body = presets.map(toPublicPreset);
  return new Hono<AppEnv>()
    .get('/', (c) => c.json(body, 200, { 'Cache-Control': 'public, max-age=60' }))
    .all('/', methodNotAllowed('GET, HEAD'));
}
