/**
 * The token server as users run it (`tsx token-server/src/node/server.ts`, or its production
 * build with `node dist/server/node.mjs`), in a child process: for the tests and benchmarks
 * that SIGTERM it, SIGKILL it, restart it, run two of it, or measure its memory from outside.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('../src/node/server.ts', import.meta.url));
const READY = /ready at (http:\/\/\S+)/;

/**
 * Limits lifted out of the way, for runs that measure or probe something else from one
 * address (a load generator, a fuzzer): there, a 429 or 503 would hide what is looked at.
 */
export const LIFTED_LIMITS = {
  RATE_LIMIT_PER_MINUTE: '100000',
  RATE_LIMIT_SITE_PER_MINUTE: '1000000',
  MAX_SESSIONS_PER_VISITOR: '1000',
  MAX_CONCURRENT_SESSIONS: '100000',
  RATE_LIMIT_ACTIONS_PER_MINUTE: '1000000',
} as const;

/** A token server process. */
export interface ServerProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with its exit code. */
  exited: Promise<number | null>;
  /** Resolves with its URL once it listens; rejects if it exits first or takes over 20 s. */
  ready(): Promise<string>;
  /** Its resident memory now, in bytes (Linux). */
  rssBytes(): number;
  /** Sends `signal` [SIGKILL] and waits for the exit (no-op if it already exited). */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Options of `spawnTokenServer`. */
export interface SpawnOptions {
  /** Extra flags for node, e.g. `['--cpu-prof']` to profile the server [none]. */
  nodeArgs?: readonly string[];
  /** A built entry that plain `node` runs, e.g. a production install's `dist/server/node.mjs` [the sources, through tsx]. */
  script?: string;
  /** Its working directory [this process's]. */
  cwd?: string;
}

/** Starts the server with only `env` (plus PATH and loopback defaults) as its environment. */
export function spawnTokenServer(env: Record<string, string>, options: SpawnOptions = {}): ServerProcess {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...(options.script ? [options.script] : ['--import', 'tsx', ENTRY])], {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watchServerProcess(child, 'token server');
}

/**
 * Follows a server process started by hand (another runtime's entry, say): collects its output
 * and waits for its `ready at <url>` line.
 *
 * @param label names it in errors
 */
export function watchServerProcess(child: ChildProcess, label: string): ServerProcess {
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start in 20 s:\n${output}`)), 20_000);
    const check = () => {
      const url = READY.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(url);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${code}) before it was ready:\n${output}`));
    });
  });
  // Callers that never ask for readiness must not see an unhandled rejection.
  ready.catch(() => {});
  return {
    child,
    output: () => output,
    exited,
    ready: () => ready,
    rssBytes() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

/** A loopback port free right now (for a server that must come back on the same port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
