/**
 * Presets: the only thing a browser may choose. A preset names, on the server, which Equos
 * agent and avatar a session uses and how long it may last, so a visitor's page can never
 * spend the site's credits on anything the site owner did not configure.
 */
import type { PublicPreset } from '../../contract/token-server-api.js';

/** One configured conversation partner. */
export interface Preset {
  /** Public name the browser sends, e.g. `default` or `sales`. */
  name: string;
  /** Shown on the launcher, e.g. "Jeremy". */
  displayName: string;
  thumbnailUrl?: string;
  /** Omit when the avatar carries its own agent. */
  agentId?: string;
  avatarId: string;
  /** The session ends by itself after this many seconds. */
  maxDurationS: number;
}

const PRESET_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Whether `name` is a syntactically valid preset name. */
export function isPresetName(name: string): boolean {
  return PRESET_NAME.test(name);
}

/** The public face of a preset. */
export function toPublicPreset(preset: Preset): PublicPreset {
  return {
    name: preset.name,
    display_name: preset.displayName,
    ...(preset.thumbnailUrl ? { thumbnail_url: preset.thumbnailUrl } : {}),
  };
}
