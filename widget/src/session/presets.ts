/** `GET /api/presets`: the avatar's name and picture for the launcher, before anything is paid for. */
import { serverUrl } from '../internal/server-url.js';

/** A preset's public face. */
export interface PresetInfo {
  name: string;
  displayName: string;
  thumbnailUrl?: string;
}

/** The presets the token server offers (thumbnails resolved against the server). */
export async function fetchPresets(server: URL, signal?: AbortSignal): Promise<PresetInfo[]> {
  const response = await fetch(serverUrl(server, 'api/presets'), { credentials: 'omit', signal: signal ?? null });
  if (!response.ok) throw new Error(`presets: ${response.status}`);
  const body = (await response.json()) as Array<Record<string, unknown>>;
  return body.map((preset) => ({
    name: String(preset.name),
    displayName: String(preset.display_name ?? preset.name),
    ...(typeof preset.thumbnail_url === 'string' ? { thumbnailUrl: serverUrl(server, preset.thumbnail_url) } : {}),
  }));
}
