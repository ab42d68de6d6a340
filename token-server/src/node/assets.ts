/**
 * `StaticAssets` from this repository's folders: the built widget from `dist/`, the demo and
 * examples from `examples/`. Public paths map to one folder each, and nothing outside it.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StaticAssets } from '../http/routes/static-files.js';

// The folders relative to this module: from the sources, the repository's dist/ and examples/;
// a bundle, which lives elsewhere, names its own (scripts/build-server.mjs, build-package.mjs).
declare const __EQUOS_WIDGET_DIR__: string | undefined;
declare const __EQUOS_EXAMPLES_DIR__: string | undefined;
const WIDGET_DIR = fileURLToPath(new URL(typeof __EQUOS_WIDGET_DIR__ === 'string' ? __EQUOS_WIDGET_DIR__ : '../../../dist/', import.meta.url));
const EXAMPLES_DIR = fileURLToPath(new URL(typeof __EQUOS_EXAMPLES_DIR__ === 'string' ? __EQUOS_EXAMPLES_DIR__ : '../../../examples/', import.meta.url));

/** Where `nodeAssets` reads from. */
export interface NodeAssetsOptions {
  /** The built widget's folder [this repository's `dist/`]. */
  widget?: string;
  /** The demo pages' folder [this repository's `examples/`]; `null` serves none. */
  examples?: string | null;
}

/**
 * Reads `/equos-avatar*` from `dist/` and `/examples/*` from `examples/`. A file is read again
 * only when it changes (a rebuild shows at once), so the loader every page view asks for costs
 * a `stat`, not a read.
 *
 * @param options the folders [this repository's]; the npm package's `widgetAssets()` passes its own `dist/`
 */
export function nodeAssets(options: NodeAssetsOptions = {}): StaticAssets {
  const examples = options.examples === undefined ? EXAMPLES_DIR : options.examples;
  const folders: Array<[prefix: string, dir: string]> = [
    ...(examples === null ? [] : [['/examples/', examples] as [string, string]]),
    ['/', options.widget ?? WIDGET_DIR],
  ];
  const cache = new Map<string, { mtimeMs: number; size: number; bytes: Uint8Array }>();
  return {
    async read(path) {
      const match = folders.find(([prefix]) => path.startsWith(prefix));
      if (!match) return null;
      const [prefix, dir] = match;
      const file = normalize(join(dir, path.slice(prefix.length)));
      if (!file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return null;
      try {
        const { mtimeMs, size } = await stat(file);
        const cached = cache.get(file);
        if (cached && cached.mtimeMs === mtimeMs && cached.size === size) return cached.bytes;
        const bytes = new Uint8Array(await readFile(file));
        cache.set(file, { mtimeMs, size, bytes });
        return bytes;
      } catch {
        cache.delete(file);
        return null;
      }
    },
  };
}
