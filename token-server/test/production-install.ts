/**
 * A production install of the token server, made as README's "Deploying" section says: the
 * built dist/ (the widget's files and dist/server/) beside package.json and package-lock.json
 * in a directory of its own, then `npm ci --omit=dev` there, offline, better-sqlite3's native
 * module compiled as on a server.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A directory holding a production install. */
export interface ProductionInstall {
  dir: string;
  /** Its built Node entry, `<dir>/dist/server/node.mjs`. */
  entry: string;
  /** How long `npm ci --omit=dev` took, in ms. */
  installMs: number;
  /** Deletes the directory. */
  remove(): void;
}

/** Options of `installProduction`. */
export interface ProductionInstallOptions {
  /** Copy the repository's demo pages (examples/*.html, .css…) beside dist/, for DEMO_PAGES=on [false]. */
  examples?: boolean;
}

interface Run {
  code: number | null;
  output: string;
}

/** Runs a command to its end, its stdout and stderr together. */
function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * The lockfile with each registry package's tarball URL (`resolved`), which this repository's
 * lockfile leaves out. Without it `npm ci` asks the registry for each package's metadata first,
 * and offline it finds only some of those in the cache, in the form `npm install` stored; with
 * it, npm goes straight to the tarballs, which the cache holds under those URLs. What is
 * installed is the same: the lockfile's versions, checked against its `integrity`.
 */
function withTarballUrls(lockText: string): string {
  const lock = JSON.parse(lockText) as { packages: Record<string, { version?: string; resolved?: string; link?: boolean }> };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path || entry.link || entry.resolved || !entry.version) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    entry.resolved = `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry.version}.tgz`;
  }
  return JSON.stringify(lock, null, 2);
}

/**
 * Builds (unless `npm test` already has: `EQUOS_WIDGET_BUILT=1`, then dist/ is copied, since no
 * one rebuilds it while Vitest runs) and installs for production in a scratch directory.
 *
 * @example
 * const install = await installProduction();
 * spawnTokenServer(env, { script: install.entry, cwd: install.dir });
 */
export async function installProduction(options: ProductionInstallOptions = {}): Promise<ProductionInstall> {
  const dir = mkdtempSync(join(tmpdir(), 'equos-production-'));
  try {
    const dist = join(dir, 'dist');
    if (process.env.EQUOS_WIDGET_BUILT === '1') {
      cpSync(join(ROOT, 'dist'), dist, { recursive: true });
    } else {
      // Built here rather than in dist/, which other files may be reading.
      const built = await run(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, env: { ...process.env, BUILD_OUT_DIR: dist } });
      // A file over its size budget fails the build step of `npm test` on its own; the build is complete.
      if (built.code !== 0 && !(built.code === 1 && built.output.includes('OVER BUDGET'))) throw new Error(`scripts/build.mjs exited ${built.code}:\n${built.output}`);
    }
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    writeFileSync(join(dir, 'package-lock.json'), withTarballUrls(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')));
    if (options.examples) {
      mkdirSync(join(dir, 'examples'));
      for (const file of readdirSync(join(ROOT, 'examples')).filter((name) => /\.(?:html|css|js|png|svg)$/.test(name))) cpSync(join(ROOT, 'examples', file), join(dir, 'examples', file));
    }
    // npm's own variables (set when this runs under `npm test`) would configure the install: left out.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
    const started = performance.now();
    const installed = await run('npm', ['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund'], { cwd: dir, env });
    const installMs = performance.now() - started;
    if (installed.code !== 0) throw new Error(`npm ci --omit=dev exited ${installed.code}:\n${installed.output}`);
    return { dir, entry: join(dist, 'server', 'node.mjs'), installMs, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
