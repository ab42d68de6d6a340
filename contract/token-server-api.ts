/**
 * The token server's HTTP API on the wire: what a browser (our widget, or any LiveKit
 * client) sends and receives. The server builds these bodies and the widget reads them, both
 * through this file, so a field cannot be renamed on one side only.
 *
 * Routes, relative to the server's base URL:
 * - `GET  api/presets`                → `PublicPreset[]`
 * - `GET  api/presets/{name}/thumbnail?w={px}` → the preset's picture, square, `w` (64, 128,
 *   192 or 384; others round up) pixels wide, as WebP; `302` to the source when the server
 *   cannot resize
 * - `POST api/sessions`               `CreateSessionRequest` → `201 CreatedSession`
 * - `POST api/sessions/{id}/stop`     `StopRequest` (or the bare token as text/plain) → `200 StopResult` | `202 StopResult`
 * - `POST api/sessions/{id}/heartbeat[?idle_s={seconds}]` same body → `204` while running,
 *   `410 session-ended` once stopped (also when `idle_s`, how long nobody has spoken or typed,
 *   reaches the server's `IDLE_STOP_S`: the server stops the session then)
 * Every error is a problem (./problems.ts).
 *
 * Readers here check shapes only (no DOM, no Node), so both ends can use them.
 */

/** The heartbeat's query parameter: seconds since the visitor last spoke or typed. */
export const HEARTBEAT_IDLE_PARAM = 'idle_s';

/** What `GET api/presets` shows of a preset: nothing that costs money or reveals ids. */
export interface PublicPreset {
  name: string;
  display_name: string;
  /**
   * The preset's picture: absolute, or relative to the token server. When the server resizes
   * pictures it is its own copy of the default size (128 px); older widgets read only this.
   */
  thumbnail_url?: string;
  /**
   * The same picture resized by the token server (square, WebP), smallest first, each URL
   * relative to the token server (e.g. `api/presets/ava/thumbnail?w=128`): pick by
   * `width` for the device pixels you draw (60 CSS px at 2× is 120 px: take 128), or use
   * them as an `<img srcset>` with `w` descriptors.
   */
  thumbnails?: PresetThumbnail[];
}

/** One size of a preset's picture. */
export interface PresetThumbnail {
  url: string;
  /** Its width (and height) in pixels, as asked for; a smaller source is not enlarged. */
  width: number;
}

/**
 * The body of `POST api/sessions`, all optional: ours (`preset`), or LiveKit's standard
 * token-endpoint request (`room_config.agents[0].agent_name` naming the preset). Any other
 * field is refused.
 */
export interface CreateSessionRequest {
  preset?: string;
  participant_name?: string;
  /**
   * Values of the template variables the preset lets the page fill (its `page_vars`), e.g.
   * `{ "page_title": "Pricing", "product": "Pro plan" }`; any other name is refused.
   */
  page_vars?: Record<string, string>;
  room_config?: { agents?: Array<{ agent_name?: string }> };
  /** The visitor's consent to the site's AI disclosure, when the site asks for it (the widget's `consent-version` attribute). */
  consent?: { version: string; accepted_at: string };
}

/**
 * What a consent's `version` (and the token server's `CONSENT_VERSION`) must match: 1–64 of
 * `A-Z a-z 0-9 . _ : -`, starting with a letter or digit, e.g. `2026-11`, `v3`, `privacy-2.1`.
 * Its `accepted_at` is an ISO 8601 UTC time with `Z` (`2026-12-01T10:00:00.000Z`), not before
 * 2020 and not ahead of the server's clock by more than a day (a visitor's fast clock: recorded as the server's time).
 */
export const CONSENT_VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/**
 * The `201` answer of `POST api/sessions`: LiveKit's token-endpoint format (`server_url`,
 * `participant_token`) plus what the widget needs to run and end the session.
 */
export interface CreatedSession {
  server_url: string;
  participant_token: string;
  /** The Equos session's id. */
  session_id: string;
  /** Proof, for stop and heartbeat, that the caller is this session's browser. */
  stop_token: string;
  /** The avatar's LiveKit participant identity. */
  avatar_identity: string;
  avatar_name: string;
  /** Absolute, or relative to the token server. */
  avatar_thumbnail_url?: string;
  max_duration_s: number;
  /** ISO 8601; the token server's clock. */
  started_at: string;
  /** How often to send a heartbeat, in seconds. */
  heartbeat_interval_s: number;
}

/** The body of stop and heartbeat: the session's stop token. */
export interface StopRequest {
  stop_token: string;
}

/** The answer of a stop: `200 stopped`, or `202 stopping` when Equos has not confirmed yet. */
export type StopResult = { session_id: string; status: 'stopped'; ended_at: string | null } | { session_id: string; status: 'stopping' };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isPositive = (value: unknown): value is number => typeof value === 'number' && value > 0 && Number.isFinite(value);

/** The created session in `body`, or `undefined` when it is not one. */
export function readCreatedSession(body: unknown): CreatedSession | undefined {
  if (!isObject(body)) return undefined;
  const fields = ['server_url', 'participant_token', 'session_id', 'stop_token', 'avatar_identity', 'avatar_name', 'started_at'];
  const valid =
    fields.every((field) => isText(body[field])) &&
    (body.avatar_thumbnail_url === undefined || typeof body.avatar_thumbnail_url === 'string') &&
    isPositive(body.max_duration_s) &&
    isPositive(body.heartbeat_interval_s) &&
    Number.isFinite(Date.parse(body.started_at as string));
  return valid ? (body as unknown as CreatedSession) : undefined;
}

const isThumbnail = (value: unknown): value is PresetThumbnail =>
  isObject(value) && isText(value.url) && typeof value.width === 'number' && Number.isInteger(value.width) && value.width > 0;

/**
 * The presets in `body`, leaving out entries that are not presets; `undefined` when it is not
 * a list. Leniently: a bad `thumbnails` entry is dropped (and the list, when none is left),
 * not the preset.
 */
export function readPublicPresets(body: unknown): PublicPreset[] | undefined {
  if (!Array.isArray(body)) return undefined;
  return body
    .filter(
      (entry): entry is PublicPreset =>
        isObject(entry) && isText(entry.name) && isText(entry.display_name) && (entry.thumbnail_url === undefined || typeof entry.thumbnail_url === 'string'),
    )
    .map((entry) => {
      if (entry.thumbnails === undefined) return entry;
      const { thumbnails, ...rest } = entry;
      const valid = Array.isArray(thumbnails) ? thumbnails.filter(isThumbnail).map(({ url, width }) => ({ url, width })) : [];
      return valid.length > 0 ? { ...rest, thumbnails: valid } : rest;
    });
}
