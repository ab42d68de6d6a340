#!/usr/bin/env node
/**
 * Builds the token server for production into dist/server/: plain JavaScript (ES modules) that
 * a runtime runs from a production install (`npm ci --omit=dev` plus dist/), with no tsx nor
 * any other development dependency:
 * - dist/server/node.mjs: the Node entry (token-server/src/node/server.ts), which
 *   `node dist/server/node.mjs` (`npm run start:production`) runs;
 * - dist/server/node-<module>-<hash>.mjs: what the entry imports lazily, each ledger store
 *   above all, so a deployment on Redis never loads better-sqlite3 nor one on SQLite ioredis;
 * - a source map beside each file (`node --enable-source-maps` reports stack traces in the sources);
 * - dist/server/workers.mjs: the Cloudflare Worker (token-server/src/workers/worker.ts), one
 *   module with its npm packages bundled in, which `wrangler deploy` uploads as it is.
 *
 * npm packages stay external (but in the Worker): they come from the production install's node_modules, so the
 * build fails on one that package.json `dependencies` does not list (a production install
 * would not have it), and on any module of the sandbox, the tests or node_modules bundled in.
 * The local sandbox (which needs development dependencies such as werift and ws) is left out:
 * `__EQUOS_SANDBOX__` is false, and without EQUOS_API_KEY the built server exits and says so.
 * The widget's files are found beside dist/server/ (`__EQUOS_WIDGET_DIR__`), the demo pages in
 * the repository's examples/ when a deployment has it (`__EQUOS_EXAMPLES_DIR__`).
 *
 * scripts/build.mjs runs it after the widget (so `npm run build` and `npm test` build both);
 * `npm run build:server` runs it alone. BUILD_OUT_DIR builds into <BUILD_OUT_DIR>/server/.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The runtimes' entries, one row each, node first; each is built on its own into
 * dist/server/<name>.mjs, its lazy chunks beside it as <name>-<module>-<hash>.mjs (no dot in
 * the name: `npm pack`'s checks take `.sqlite` for a ledger file):
 * - `name`: the output's name;
 * - `entry`: its source, from the repository's root;
 * - `platform`, `target`: esbuild's;
 * - `esbuild`: further esbuild options for this entry alone (conditions, defines, externals…).
 */
export const ENTRIES = [
  { name: 'node', entry: 'token-server/src/node/server.ts', platform: 'node', target: 'node20' },
  // Bun and Deno run Node's module format (node:* built-ins, packages from node_modules): `bun
  // dist/server/bun.mjs`, `deno run --allow-… dist/server/deno.mjs` (README, "Deploying").
  { name: 'bun', entry: 'token-server/src/bun/server.ts', platform: 'node', target: 'esnext' },
  { name: 'deno', entry: 'token-server/src/deno/server.ts', platform: 'node', target: 'esnext' },
  // Cloudflare Workers: one ES module for workerd, its packages bundled in (a Worker has no
  // node_modules), `cloudflare:*` and nodejs_compat's `node:*` left to the runtime; what
  // `wrangler deploy` uploads (token-server/src/workers/wrangler.example.toml).
  {
    name: 'workers',
    entry: 'token-server/src/workers/worker.ts',
    platform: 'browser',
    target: 'es2022',
    esbuild: { conditions: ['workerd', 'worker', 'browser'], external: ['cloudflare:*', 'node:*'], packages: 'bundle', splitting: false },
  },
];

/**
 * Builds every entry into `out`, emptied first (chunk names carry hashes: old ones would pile up).
 *
 * @param {{ out?: string, log?: (line: string) => void }} [options] `out` [dist/server/, or
 *   <BUILD_OUT_DIR>/server/]; `log` gets one line per entry [stdout]
 * @returns {Promise<Array<{ name: string, file: string, bytes: number }>>} each entry's output
 * @example
 * await buildServer({ out: '/tmp/build/dist/server' });
 */
export async function buildServer(options = {}) {
  const out = options.out ?? join(process.env.BUILD_OUT_DIR ?? join(root, 'dist'), 'server');
  const log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
  const { dependencies = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  rmSync(out, { recursive: true, force: true });
  const built = [];
  for (const { name, entry, platform, target, esbuild = {} } of ENTRIES) {
    const result = await build({
      entryPoints: { [name]: join(root, entry) },
      outdir: out,
      bundle: true,
      platform,
      target,
      format: 'esm',
      // Lazy imports stay lazy: each becomes a file of its own, loaded when the entry asks for it.
      splitting: true,
      // Flat, beside the entry: the folders the defines below name are relative to every file.
      chunkNames: `${name}-[name]-[hash]`,
      outExtension: { '.js': '.mjs' },
      sourcemap: true,
      packages: 'external',
      legalComments: 'none',
      logLevel: 'warning',
      metafile: true,
      ...esbuild,
      define: {
        // token-server/src/node/server.ts: no local sandbox in a production build.
        __EQUOS_SANDBOX__: 'false',
        // token-server/src/node/assets.ts: from dist/server/, the widget's files are in dist/
        // and the demo pages in the repository's examples/.
        __EQUOS_WIDGET_DIR__: JSON.stringify('../'),
        __EQUOS_EXAMPLES_DIR__: JSON.stringify('../../examples/'),
        ...esbuild.define,
      },
    });
    check(name, result.metafile, dependencies, (esbuild.packages ?? 'external') === 'external');
    const file = join(out, `${name}.mjs`);
    const bytes = statSync(file).size;
    built.push({ name, file, bytes });
    const chunks = Object.keys(result.metafile.outputs).filter((path) => path.endsWith('.mjs')).length - 1;
    const shown = relative(root, file).startsWith('..') ? file : relative(root, file);
    log(`server ${name.padEnd(8)} ${shown} ${(bytes / 1024).toFixed(1)} KB, ${chunks} lazy chunk${chunks === 1 ? '' : 's'}`);
  }
  return built;
}

/**
 * Fails the build on what a production install could not run: a bundled module of the
 * sandbox or the tests (or of node_modules, for an entry that leaves packages external), or
 * an import of a package `dependencies` does not list.
 */
function check(name, metafile, dependencies, packagesExternal) {
  const ofPackage = (input) => /(?:^|\/)node_modules\//.test(input);
  const bundled = Object.keys(metafile.inputs).filter((input) => (ofPackage(input) ? packagesExternal : /(?:^|\/)(?:sandbox|testing|test)\/|\.test\.ts$/.test(input)));
  if (bundled.length) throw new Error(`server entry ${name}: bundles ${bundled.join(', ')}: keep development code out of the production build`);
  const packageOf = (path) => (path.startsWith('@') ? path.split('/').slice(0, 2).join('/') : path.split('/')[0]);
  const missing = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const { path, external } of output.imports) {
      // `cloudflare:*` modules are workerd's own, as `node:*` ones are Node's.
      if (external && !isBuiltin(path) && !path.startsWith('cloudflare:') && !(packageOf(path) in dependencies)) missing.add(packageOf(path));
    }
  }
  if (missing.size) throw new Error(`server entry ${name}: imports ${[...missing].join(', ')}, not in package.json "dependencies": a production install (npm ci --omit=dev) would not have it`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildServer();
