/**
 * The Workers the Miniflare suites and the benchmark run: the token server's as its production
 * build makes it (scripts/build-server.mjs, the `workers` entry: dist/server/workers.mjs, what
 * `wrangler deploy` uploads), and test Workers bundled with that entry's esbuild options.
 * Each into a temporary folder of its own.
 *
 * Test support, not product code.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../../..');

/** What scripts/build-server.mjs exports (plain JavaScript: typed here). */
interface BuildServerScript {
  ENTRIES: Array<{ name: string; entry: string; platform: 'node' | 'browser' | 'neutral'; target: string; esbuild?: BuildOptions }>;
  buildServer(options?: { out?: string; log?: (line: string) => void }): Promise<Array<{ name: string; file: string; bytes: number }>>;
}
const buildScript = () => import(pathToFileURL(join(ROOT, 'scripts/build-server.mjs')).href) as Promise<BuildServerScript>;

/** The Worker that exposes the ledger object's verbs to tests. */
export const STORE_WORKER_ENTRY = 'token-server/src/workers/testing/store-worker.ts';
/** The compatibility date the suites run with (wrangler.example.toml's). */
export const COMPATIBILITY_DATE = '2026-04-01';

/** A bundled Worker. */
export interface BundledWorker {
  /** The bundle's path (`scriptPath` for Miniflare). */
  scriptPath: string;
  /** Its folder (`modulesRoot` for Miniflare, which refuses module paths outside that root). */
  modulesRoot: string;
  /** The bundle's text. */
  text: string;
  /** Deletes the temporary folder. */
  remove(): void;
}

function bundled(dir: string, scriptPath: string): BundledWorker {
  return { scriptPath, modulesRoot: dir, text: readFileSync(scriptPath, 'utf8'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The token server's Worker from the production build.
 *
 * @example
 * const worker = await buildWorker();
 * const mf = new Miniflare({ modules: true, scriptPath: worker.scriptPath, modulesRoot: worker.modulesRoot, … });
 */
export async function buildWorker(): Promise<BundledWorker> {
  const dir = mkdtempSync(join(tmpdir(), 'worker-build-'));
  const built = await (await buildScript()).buildServer({ out: dir, log: () => {} });
  const workers = built.find((entry) => entry.name === 'workers');
  if (!workers) throw new Error('scripts/build-server.mjs has no workers entry');
  return bundled(dir, workers.file);
}

/** A test Worker (`entry`, from the repository's root), bundled as the production build bundles the token server's. */
export async function bundleTestWorker(entry: string): Promise<BundledWorker> {
  const options = (await buildScript()).ENTRIES.find((row) => row.name === 'workers');
  if (!options) throw new Error('scripts/build-server.mjs has no workers entry');
  const dir = mkdtempSync(join(tmpdir(), 'worker-bundle-'));
  const scriptPath = join(dir, 'worker.mjs');
  await build({ entryPoints: [join(ROOT, entry)], outfile: scriptPath, bundle: true, format: 'esm', platform: options.platform, target: options.target, logLevel: 'silent', ...options.esbuild });
  return bundled(dir, scriptPath);
}
