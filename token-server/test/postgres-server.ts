/**
 * A real PostgreSQL server (Debian's `postgresql` package) on a free loopback port, in a
 * temporary data directory, for the Postgres store's tests: one per test file, a fresh schema
 * or database per test. `.ci/run` installs it; without it these tests fail saying so.
 *
 * PostgreSQL refuses to run as root, and the tests run as root on CI: there the server runs as
 * the `postgres` system user the package creates (through `setpriv`, which execs it, so the
 * child is the server itself), in a directory that user owns. Durability is off (fsync,
 * synchronous commit, full-page writes): a test server never outlives a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './server-process.js';

/** A running PostgreSQL. */
export interface RunningPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trusted on loopback: no password). */
  url: string;
  port: number;
  /** Creates an empty database; resolves with its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (a fast shutdown: open connections are cut), keeping its data. */
  stop(): Promise<void>;
  /** Starts it again, on the same port with the same data (nothing if it runs). */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

const MISSING = 'PostgreSQL is not installed (apt-get install postgresql; .ci/run does it)';

/** The folder of `initdb` and `postgres`: Debian's newest /usr/lib/postgresql/<version>/bin, else one on PATH. */
function binaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((version) => existsSync(join(root, version, 'bin', 'postgres'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions[0]) return join(root, versions[0], 'bin');
  const onPath = (process.env.PATH ?? '').split(':').find((dir) => dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
  if (onPath) return onPath;
  throw new Error(MISSING);
}

/** The `postgres` system user's uid and gid (root only runs the server as it). */
function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (!line) throw new Error(`the tests run as root and there is no postgres user to run PostgreSQL as: ${MISSING}`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** `command args`, as the postgres user when this process is root. */
function run(command: string, args: string[]): ChildProcess {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--clear-groups', command, ...args]] : [command, args];
  return spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' } });
}

/** Resolves once `child` exits with 0; rejects with its output otherwise. */
function completed(child: ChildProcess, what: string): Promise<void> {
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`cannot run ${what} (${MISSING}): ${error.message}`)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${what} failed (${code}): ${output}`))));
  });
}

/**
 * Initialises a cluster in a fresh temporary directory and starts it on 127.0.0.1.
 *
 * @example
 * const postgres = await startPostgres();
 * const store = await createPostgresStore({ url: postgres.url, schema: 'test_1' });
 * await postgres.close();
 */
export async function startPostgres(): Promise<RunningPostgres> {
  const bin = binaries();
  const dir = mkdtempSync(join(tmpdir(), 'postgres-'));
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  await completed(run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']), 'initdb');
  const port = await freePort();
  let server: ChildProcess | undefined;

  async function start(): Promise<void> {
    if (server && server.exitCode === null && server.signalCode === null) return;
    const child = run(join(bin, 'postgres'), [
      '-D', data,
      '-p', String(port),
      '-k', dir,
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
      '-c', 'shared_buffers=32MB',
      // Statistics within a second of a bulk fill (a benchmark's week of history), as a
      // production table has them: the planner then picks the indexes.
      '-c', 'autovacuum_naptime=1',
    ]);
    server = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`postgres did not start in 20 s: ${output}`)), 20_000);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`cannot run postgres (${MISSING}): ${error.message}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`postgres exited (${code}) before it was ready: ${output}`));
      });
      // Read for as long as it runs (a full pipe would stall the server); keep only the start-up.
      child.stdout!.resume();
      child.stderr!.on('data', (chunk: Buffer) => {
        if (output.length < 20_000) output += chunk;
        if (output.includes('database system is ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  async function stop(): Promise<void> {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // SIGINT: the fast shutdown (connections cut, a clean checkpoint), so it starts again at once.
    child.kill('SIGINT');
    await exited;
  }

  try {
    await start();
  } catch (error) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  // A test process that ends without close() (a crash, a timeout) takes its server along.
  const leftBehind = () => {
    server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', leftBehind);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    url,
    port,
    async createDatabase() {
      const name = `test_${(databases += 1)}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop,
    start,
    async close() {
      process.off('exit', leftBehind);
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
