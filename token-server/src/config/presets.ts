/**
 * Presets: the only thing a browser may choose. A preset names, on the server, which Equos
 * agent and avatar a session uses and how long it may last, so a visitor's page can never
 * spend the site's credits on anything the site owner did not configure.
 */
import type { PublicPreset } from '../../../contract/token-server-api.js';
import { isEquosId } from '../equos/ids.js';
import type { EquosFace, EquosGeneration } from '../equos/upstream.js';
import { isJsonObject } from '../internal/json.js';
import { DEFAULT_THUMBNAIL_WIDTH, presetThumbnails, thumbnailPath } from '../thumbnails/sizes.js';

/** A template variable a preset lets the page fill, and the longest value passed on. */
export interface PageVariable {
  name: string;
  maxLength: number;
}

/** Longest page variable value when the preset does not say, in graphemes. */
export const DEFAULT_PAGE_VAR_LENGTH = 200;
const PAGE_VAR_NAME = /^[a-z][a-z0-9_]{0,31}$/;
const MAX_PAGE_VARS = 16;

interface PresetBase {
  /** Public name the browser sends, e.g. `default` or `sales`. */
  name: string;
  /**
   * The template variables the page may fill (`promptTemplateVars` on v3, `templateVars` on
   * v1): only these names, only text, each cut to its length. The page never writes prompt
   * text of its own.
   */
  pageVars?: readonly PageVariable[];
  /** Shown on the launcher, e.g. "Jeremy". */
  displayName: string;
  thumbnailUrl?: string;
  /** The session ends by itself after this many seconds. */
  maxDurationS: number;
}

/**
 * One configured conversation partner: a v1 avatar (and its agent, unless the avatar carries
 * one) or a v3 character (face, voice and brain in one). Its kind says which Equos API
 * generation the deployment speaks.
 */
export type Preset = PresetBase &
  ({ avatarId: string; agentId?: string; characterId?: undefined } | { characterId: string; avatarId?: undefined; agentId?: undefined });

/** Who a preset starts, for the Equos gateway. */
export function faceOf(preset: Preset): EquosFace {
  if (preset.characterId !== undefined) return { generation: 'v3', characterId: preset.characterId };
  return { generation: 'v1', avatarId: preset.avatarId, ...(preset.agentId ? { agentId: preset.agentId } : {}) };
}

/**
 * The API generation of a deployment's presets: all of one (a customer's Equos organisation
 * is set up with avatars and agents, or with characters), or a message saying why not.
 */
export function generationOf(presets: readonly Preset[]): EquosGeneration | { mixed: string } {
  const generations = new Set(presets.map((preset) => faceOf(preset).generation));
  if (generations.size === 1) return [...generations][0]!;
  return { mixed: 'presets name both characters (v3) and avatars (v1); one deployment speaks one Equos API generation.' };
}

/** Bounds on a session's maximum duration, in seconds. */
export const SESSION_SECONDS_RANGE = { min: 5, max: 4 * 60 * 60 } as const;
/** Longest display name shown or passed on. */
const MAX_DISPLAY_NAME = 64;

const PRESET_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Whether `name` is a syntactically valid preset name. */
export function isPresetName(name: string): boolean {
  return PRESET_NAME.test(name);
}

/** Whether `text` is an http(s) URL. */
export function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && ['http:', 'https:'].includes(new URL(text).protocol);
}

/**
 * The public face of a preset.
 *
 * @param options.resized [false] whether this server resizes pictures: its picture is then
 *   listed at this server's URLs (`thumbnails`, and `thumbnail_url` at the default size), not
 *   at its source
 */
export function toPublicPreset(preset: Preset, options: { resized?: boolean } = {}): PublicPreset {
  const pictures = !preset.thumbnailUrl
    ? {}
    : options.resized
      ? { thumbnail_url: thumbnailPath(preset.name, DEFAULT_THUMBNAIL_WIDTH), thumbnails: presetThumbnails(preset.name) }
      : { thumbnail_url: preset.thumbnailUrl };
  return { name: preset.name, display_name: preset.displayName, ...pictures };
}

/**
 * Reads the presets of a presets file (already parsed from JSON).
 *
 * @param fail reports the first problem, naming where it is (`presets[1].avatar_id`)
 * @example
 * readPresetsJson({ presets: [{ name: 'sales', avatar_id: 'av_1' }] }, 600, fail)
 */
export function readPresetsJson(
  parsed: unknown,
  maxSessionSeconds: number,
  fail: (where: string, message: string) => never,
): { presets: Preset[]; defaultPreset: string } {
  if (!isJsonObject(parsed) || !Array.isArray(parsed.presets) || parsed.presets.length === 0) {
    return fail('presets', 'must be a non-empty array of presets.');
  }
  const presets = parsed.presets.map((entry: unknown, index): Preset => {
    const at = `presets[${index}]`;
    if (!isJsonObject(entry)) return fail(at, 'must be an object.');
    const { name, display_name, agent_id, avatar_id, character_id, thumbnail_url, max_duration_s, page_vars } = entry;
    if (typeof name !== 'string' || !isPresetName(name)) {
      return fail(`${at}.name`, 'must be 1–64 lowercase letters, digits, _ or -, starting with a letter or digit.');
    }
    if (character_id !== undefined) {
      if (typeof character_id !== 'string' || !isEquosId(character_id)) return fail(`${at}.character_id`, 'must be an Equos character id.');
      if (avatar_id !== undefined || agent_id !== undefined) return fail(`${at}.character_id`, 'names a v3 character: leave out avatar_id and agent_id (v1).');
    } else {
      if (typeof avatar_id !== 'string' || !isEquosId(avatar_id)) return fail(`${at}.avatar_id`, 'must be an Equos avatar id (or name a v3 character_id instead).');
      if (agent_id !== undefined && (typeof agent_id !== 'string' || !isEquosId(agent_id))) {
        return fail(`${at}.agent_id`, 'must be an Equos agent id.');
      }
    }
    if (display_name !== undefined && (typeof display_name !== 'string' || display_name.trim() === '')) {
      return fail(`${at}.display_name`, 'must be a non-empty string.');
    }
    if (thumbnail_url !== undefined && (typeof thumbnail_url !== 'string' || !isHttpUrl(thumbnail_url))) {
      return fail(`${at}.thumbnail_url`, 'must be an http(s) URL.');
    }
    const maxDurationS = max_duration_s ?? maxSessionSeconds;
    if (typeof maxDurationS !== 'number' || !Number.isInteger(maxDurationS) || maxDurationS < SESSION_SECONDS_RANGE.min || maxDurationS > maxSessionSeconds) {
      return fail(`${at}.max_duration_s`, `must be a whole number of seconds from ${SESSION_SECONDS_RANGE.min} to MAX_SESSION_SECONDS (${maxSessionSeconds}).`);
    }
    const pageVars = readPageVars(page_vars, `${at}.page_vars`, fail);
    const face = typeof character_id === 'string' ? { characterId: character_id } : { avatarId: avatar_id as string, ...(typeof agent_id === 'string' ? { agentId: agent_id } : {}) };
    return {
      name,
      displayName: (typeof display_name === 'string' ? display_name.trim() : name).slice(0, MAX_DISPLAY_NAME),
      ...face,
      ...(typeof thumbnail_url === 'string' ? { thumbnailUrl: thumbnail_url } : {}),
      ...(pageVars ? { pageVars } : {}),
      maxDurationS,
    };
  });
  const names = new Set<string>();
  for (const preset of presets) {
    if (names.has(preset.name)) fail('presets', `name "${preset.name}" appears twice.`);
    names.add(preset.name);
  }
  const generation = generationOf(presets);
  if (typeof generation === 'object') return fail('presets', generation.mixed);
  const defaultPreset = parsed.default ?? presets[0]?.name;
  if (typeof defaultPreset !== 'string' || !names.has(defaultPreset)) {
    return fail('default', 'must be the name of one of the presets.');
  }
  return { presets, defaultPreset };
}

/** A preset's `page_vars`: names (`"page_title"`) or `{ "name", "max_length" }`. */
function readPageVars(value: unknown, at: string, fail: (where: string, message: string) => never): PageVariable[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > MAX_PAGE_VARS) return fail(at, `must be an array of at most ${MAX_PAGE_VARS} variable names.`);
  const seen = new Set<string>();
  return value.map((item: unknown, index) => {
    const where = `${at}[${index}]`;
    const spec = typeof item === 'string' ? { name: item, max_length: DEFAULT_PAGE_VAR_LENGTH } : isJsonObject(item) ? item : undefined;
    if (!spec || typeof spec.name !== 'string' || !PAGE_VAR_NAME.test(spec.name)) return fail(where, 'must be a variable name (a-z, 0-9, _; up to 32) or { "name", "max_length" }.');
    const maxLength = spec.max_length ?? DEFAULT_PAGE_VAR_LENGTH;
    if (typeof maxLength !== 'number' || !Number.isInteger(maxLength) || maxLength < 1 || maxLength > 2000) return fail(`${where}.max_length`, 'must be a whole number from 1 to 2000.');
    if (seen.has(spec.name)) return fail(where, `"${spec.name}" appears twice.`);
    seen.add(spec.name);
    return { name: spec.name, maxLength };
  });
}

/** The `default` preset from single values (the `EQUOS_AVATAR_*`, `EQUOS_CHARACTER_ID` variables). */
export function singlePreset(values: { avatarId?: string | undefined; agentId?: string | undefined; characterId?: string | undefined; displayName: string; thumbnailUrl?: string | undefined; maxDurationS: number }): Preset {
  const face = values.characterId ? { characterId: values.characterId } : { avatarId: values.avatarId ?? '', ...(values.agentId ? { agentId: values.agentId } : {}) };
  return {
    name: 'default',
    displayName: values.displayName.slice(0, MAX_DISPLAY_NAME),
    ...face,
    ...(values.thumbnailUrl ? { thumbnailUrl: values.thumbnailUrl } : {}),
    maxDurationS: values.maxDurationS,
  };
}
