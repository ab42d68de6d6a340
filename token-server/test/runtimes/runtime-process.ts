/**
 * The token server's entry for Bun or Deno, in a child process of the test, as an operator runs
 * it (the binaries are the npm packages `bun` and `deno`, in node_modules/.bin): the source
 * straight from the checkout.
 */
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { watchServerProcess, type ServerProcess } from '../server-process.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The runtimes with an entry of their own besides Node's. */
export type Runtime = 'bun' | 'deno';

/** What runs: the entry's source from this checkout, or its production build (scripts/build-server.mjs). */
export type Variant = 'source' | 'build';

/** How to start an entry: the command, and the directory it runs in. */
export interface EntryCommand {
  command: string[];
  cwd: string;
}

/** The permissions the Deno entry needs (README, "On Deno"). */
export const DENO_PERMISSIONS = ['--allow-env', '--allow-net', '--allow-read', '--allow-sys=hostname'] as const;

/**
 * The command that runs `runtime`'s entry as the README gives it ("Deploying": "On Bun", "On
 * Deno"): from the checkout's root, or, for a build, from the directory that holds `dist/`.
 */
export function entryCommand(runtime: Runtime, variant: Variant = 'source', cwd = ROOT): EntryCommand {
  const binary = `${ROOT}node_modules/.bin/${runtime}`;
  const file = variant === 'source' ? `token-server/src/${runtime}/server.ts` : `dist/server/${runtime}.mjs`;
  if (runtime === 'bun') return { command: [binary, file], cwd };
  return { command: [binary, 'run', ...(variant === 'source' ? ['--sloppy-imports'] : []), ...DENO_PERMISSIONS, file], cwd };
}

/** A production build somewhere of its own. */
export interface Build {
  /** Holds dist/server/ (the build), the widget's files in dist/, package.json and node_modules. */
  dir: string;
  remove(): void;
}

/**
 * Builds the server entries (`node scripts/build-server.mjs`) into a temporary directory laid out
 * like a deployment: dist/server/ beside the widget's dist/ files, package.json, and the
 * checkout's node_modules (linked: a production install is what token-server/test/production-build.test.ts
 * proves, for Node, and takes a minute).
 */
export async function buildEntries(): Promise<Build> {
  const dir = mkdtempSync(join(tmpdir(), 'runtime-build-'));
  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/build-server.mjs')], { cwd: ROOT, env: { ...process.env, BUILD_OUT_DIR: join(dir, 'dist') } });
  mkdirSync(join(dir, 'dist'), { recursive: true });
  symlinkSync(join(ROOT, 'dist/equos-avatar.js'), join(dir, 'dist/equos-avatar.js'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A running entry. */
export type RuntimeProcess = ServerProcess;

/** Starts an entry with only `env` (plus PATH, HOME and loopback defaults) as its environment. */
export function spawnEntry({ command, cwd }: EntryCommand, env: Record<string, string>): RuntimeProcess {
  const [binary, ...args] = command;
  const child = spawn(binary!, args, {
    cwd,
    // HOME: where Deno keeps its cache (it compiles the TypeScript once). DENO_NO_UPDATE_CHECK:
    // nothing goes to the internet.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watchServerProcess(child, command.join(' '));
}

/** A response, read. */
export interface Answer {
  status: number;
  body: string;
}

/**
 * POSTs `body` to `url` from the loopback address `from` (127.0.0.0/8 is all this machine's):
 * a second visitor, told apart from the first only by the connection's source address.
 */
export function postFrom(from: string, url: string, body: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', localAddress: from, headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
