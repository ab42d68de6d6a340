/**
 * `StaticAssets` from this repository's folders: the built widget from `dist/`, the demo and
 * examples from `examples/`. Public paths map to one folder each, and nothing outside it.
 */
import { readFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StaticAssets } from './routes/static-files.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Reads `/equos-avatar*` from `distDir` and `/examples/*` from `examplesDir`. */
export function nodeAssets(options: { distDir?: string; examplesDir?: string } = {}): StaticAssets {
  const folders: Array<[prefix: string, dir: string]> = [
    ['/examples/', options.examplesDir ?? join(ROOT, 'examples')],
    ['/', options.distDir ?? join(ROOT, 'dist')],
  ];
  return {
    async read(path) {
      const match = folders.find(([prefix]) => path.startsWith(prefix));
      if (!match) return null;
      const [prefix, dir] = match;
      const file = normalize(join(dir, path.slice(prefix.length)));
      if (!file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return null;
      try {
        return new Uint8Array(await readFile(file));
      } catch {
        return null;
      }
    },
  };
}
