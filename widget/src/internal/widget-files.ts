/**
 * The widget's later files, from wherever its script came from, or else from the token
 * server, which serves them all: the panel's (at the first sign of intent) and the call's
 * (fetched on intent, evaluated once the panel is open). The build names them with their
 * content's hash (scripts/build.mjs), and imports them with their integrity checked
 * (./checked-import.ts); from source (tests, development) they are plain modules.
 */
import type { LiveModule } from '../call/live-port.js';
import type { PanelModule } from '../panel/panel-port.js';
import { importChecked, preloadChecked, type Locate } from './checked-import.js';
import { embedScriptUrl } from './embed-script.js';
import { serverUrl } from './server-url.js';

/** The later files' names, set by the build. */
declare const __EQUOS_PANEL_FILE__: string | undefined;
declare const __EQUOS_LIVE_CHUNK__: string | undefined;

/** Where one of the widget's files is: next to its script, else on the token server. */
export function widgetFileUrl(file: string, server: URL | null): string | undefined {
  const script = embedScriptUrl();
  if (script) return new URL(file, script).href;
  return server ? serverUrl(server, file) : undefined;
}

/**
 * Imports the panel's file.
 *
 * @param locate where the element's files are (`widgetFileUrl` with its server)
 */
export async function loadPanelModule(locate: Locate): Promise<PanelModule> {
  if (typeof __EQUOS_PANEL_FILE__ !== 'string') return import('../panel/panel-file.js');
  return (await importChecked(__EQUOS_PANEL_FILE__, locate)) as PanelModule;
}

/**
 * Fetches and compiles the call's file without running it (`modulepreload`): the hover that
 * asks for it costs no long task, and the later import finds it ready.
 */
export function preloadLiveModule(locate: Locate): void {
  if (typeof __EQUOS_LIVE_CHUNK__ === 'string') preloadChecked(__EQUOS_LIVE_CHUNK__, locate).catch(() => {});
}

/** Imports (runs) the call's file. */
export async function loadLiveModule(locate: Locate): Promise<LiveModule> {
  if (typeof __EQUOS_LIVE_CHUNK__ !== 'string') throw new Error('The widget’s conversation file is not built.');
  return (await importChecked(__EQUOS_LIVE_CHUNK__, locate)) as LiveModule;
}
