/**
 * The widget's files on Workers: `StaticAssets` read through the Worker's static assets
 * binding (`[assets] binding = "ASSETS"`: a folder of the widget's files). The app's own routes then
 * serve them, with the headers they have on Node (CORS for any site, the long cache of hashed
 * names, the build's Brotli and gzip copies); `run_worker_first` keeps Cloudflare from serving
 * the folder's other files by itself.
 */
import type { StaticAssets } from '../http/routes/static-files.js';

/** The part of a Workers `Fetcher` binding that assets need. */
export interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}

/** Any URL will do: the binding only reads its path. */
const ASSETS_BASE = 'https://assets.invalid';

/**
 * `StaticAssets` from the assets binding: a file's bytes, or null when the binding has none.
 *
 * @example
 * const assets = env.ASSETS ? workerAssets(env.ASSETS) : undefined;
 */
export function workerAssets(binding: AssetsBinding): StaticAssets {
  return {
    async read(path) {
      // No Accept-Encoding: the file's own bytes (its .br and .gz copies are files of their own).
      const response = await binding.fetch(new Request(new URL(path, ASSETS_BASE), { headers: { 'accept-encoding': 'identity' } }));
      if (response.status !== 200) {
        await response.body?.cancel();
        return null;
      }
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
