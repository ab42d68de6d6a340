/**
 * The widget's later files, from wherever its script came from, or else from the token
 * server, which serves them all: the panel's (at the first sign of intent) and the call's
 * (fetched on intent, evaluated once the panel is open). The build names them with their
 * content's hash (scripts/build.mjs); from source (tests, development) they are plain modules.
 */
import type { LiveModule } from '../call/live-port.js';
import type { PanelModule } from '../panel/panel-port.js';
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

/** Imports the panel's file. */
export async function loadPanelModule(server: URL | null): Promise<PanelModule> {
  if (typeof __EQUOS_PANEL_FILE__ !== 'string') return import('../panel/panel-file.js');
  const url = widgetFileUrl(__EQUOS_PANEL_FILE__, server);
  if (!url) throw new Error('there is no server attribute to load it from');
  return (await import(/* webpackIgnore: true */ url)) as PanelModule;
}

function liveUrl(server: URL | null): string | undefined {
  return typeof __EQUOS_LIVE_CHUNK__ === 'string' ? widgetFileUrl(__EQUOS_LIVE_CHUNK__, server) : undefined;
}

/**
 * Fetches and compiles the call's file without running it (`modulepreload`): the hover that
 * asks for it costs no long task, and the later import finds it ready.
 */
export function preloadLiveModule(server: URL | null): void {
  const url = liveUrl(server);
  if (!url || document.querySelector(`link[href="${url}"]`)) return;
  const link = document.createElement('link');
  link.rel = 'modulepreload';
  link.href = url;
  document.head.append(link);
}

/** Imports (runs) the call's file. */
export async function loadLiveModule(server: URL | null): Promise<LiveModule> {
  const url = liveUrl(server);
  if (!url) throw new Error('The widget’s conversation file is not built.');
  return (await import(/* webpackIgnore: true */ url)) as LiveModule;
}
