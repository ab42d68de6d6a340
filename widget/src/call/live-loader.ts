/**
 * Loads the widget's second file (the conversation: controller, microphone, livekit-client)
 * from wherever the widget's script came from, or else from the token server, which serves
 * both.
 */
import { embedScriptUrl } from '../internal/embed-script.js';
import { serverUrl } from '../internal/server-url.js';
import type { LiveModule } from './live-port.js';

/** The second file's name, content-hashed; set by the build (scripts/build.mjs). */
declare const __EQUOS_LIVE_CHUNK__: string | undefined;

/** Where one of the widget's files is: next to its script, else on the token server. */
export function widgetFileUrl(file: string, server: URL | null): string | undefined {
  const script = embedScriptUrl();
  if (script) return new URL(file, script).href;
  return server ? serverUrl(server, file) : undefined;
}

/** Imports the second file. */
export async function loadLiveModule(server: URL | null): Promise<LiveModule> {
  const file = typeof __EQUOS_LIVE_CHUNK__ === 'string' ? __EQUOS_LIVE_CHUNK__ : undefined;
  const url = file ? widgetFileUrl(file, server) : undefined;
  if (!url) throw new Error('The widget’s conversation file is not built.');
  return (await import(/* webpackIgnore: true */ url)) as LiveModule;
}
