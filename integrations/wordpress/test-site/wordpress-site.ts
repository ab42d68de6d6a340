/**
 * A real WordPress on loopback for the plugin's end-to-end test, from Debian's packages: a
 * private MariaDB (its own data directory and socket, no network), a copy of Debian's
 * WordPress (/usr/share/wordpress, whose own wp-config.php reads /etc/wordpress; the copy gets
 * one of its own) served by `php -S`, installed, with the plugin and a minimal theme linked in
 * and the plugin activated. Every process it starts is stopped by `close()`, or at once if
 * starting fails half-way.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const HERE = new URL('.', import.meta.url).pathname;
const PLUGIN_DIR = new URL('../equos-avatar', import.meta.url).pathname;
const DEBIAN_WORDPRESS = '/usr/share/wordpress';

/** The administrator the site is installed with. */
export const WORDPRESS_ADMIN = { user: 'admin', password: `test-${randomBytes(6).toString('hex')}` };

/** A running site. */
export interface WordPressSite {
  /** e.g. `http://127.0.0.1:41234` (WP_HOME and WP_SITEURL). */
  url: string;
  /**
   * Runs PHP inside the site as its administrator (test-site/eval.php) and returns what the
   * code returns, through JSON, e.g. `site.php("return get_option('blogname');")`.
   */
  php<T = unknown>(code: string): Promise<T>;
  /** What PHP wrote to wp-content/debug.log (WP_DEBUG is on). */
  debugLog(): string;
  close(): Promise<void>;
}

/** The Debian programs the site needs, each found or reported as missing. */
function findPrograms() {
  // Full paths: /usr/sbin (mariadbd) is not on every user's PATH.
  const find = (...names: string[]) => names.flatMap((name) => ['/usr/sbin', '/usr/bin'].map((dir) => join(dir, name))).find((path) => existsSync(path));
  const programs = { php: find('php'), mariadbd: find('mariadbd', 'mysqld'), installDb: find('mariadb-install-db', 'mysql_install_db'), client: find('mariadb', 'mysql') };
  const missing = [
    !programs.php && 'php (Debian package php-cli)',
    programs.php && !hasMysqli(programs.php) && "PHP's mysqli (Debian package php-mysql)",
    !(programs.mariadbd && programs.installDb && programs.client) && 'MariaDB (Debian package mariadb-server)',
    !existsSync(`${DEBIAN_WORDPRESS}/wp-settings.php`) && 'WordPress (Debian package wordpress)',
  ].filter(Boolean);
  if (missing.length) throw new Error(`The WordPress test needs ${missing.join(', ')}; .ci/run installs them.`);
  return programs as Record<keyof typeof programs, string>;
}

function hasMysqli(php: string): boolean {
  try {
    execFileSync(php, ['-r', 'exit(extension_loaded("mysqli") ? 0 : 1);']);
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, diagnostics: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not start in ${timeoutMs} ms:\n${diagnostics()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A child process in a process group of its own, and its last output for error messages. */
function startProcess(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => output };
}

/** Signals a child we started and its process group (`php -S` forks workers). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Stops a child we started, and waits for it to exit. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function wpConfig(url: string, socket: string, debugLog: string): string {
  const salts = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'];
  const define = (name: string, value: string | boolean) => `define( '${name}', ${typeof value === 'string' ? `'${value}'` : value} );`;
  return [
    '<?php',
    '// Written by integrations/wordpress/test-site/wordpress-site.ts for one test run.',
    define('DB_NAME', 'wordpress'),
    define('DB_USER', 'root'),
    define('DB_PASSWORD', ''),
    define('DB_HOST', `localhost:${socket}`),
    define('DB_CHARSET', 'utf8mb4'),
    define('DB_COLLATE', ''),
    ...salts.map((name) => define(name, randomBytes(32).toString('hex'))),
    "$table_prefix = 'wp_';",
    define('WP_HOME', url),
    define('WP_SITEURL', url),
    define('WP_DEBUG', true),
    define('WP_DEBUG_DISPLAY', false),
    define('WP_DEBUG_LOG', debugLog),
    // Offline: no cron requests to itself, no update checks, no calls to wordpress.org.
    define('DISABLE_WP_CRON', true),
    define('AUTOMATIC_UPDATER_DISABLED', true),
    define('WP_HTTP_BLOCK_EXTERNAL', true),
    "if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }",
    "require_once ABSPATH . 'wp-settings.php';",
    '',
  ].join('\n');
}

/** Starts MariaDB and WordPress, installs the site, and activates the plugin. */
export async function startWordPressSite(): Promise<WordPressSite> {
  const programs = findPrograms();
  const dir = mkdtempSync(join(tmpdir(), 'wordpress-site-'));
  const children: ChildProcess[] = [];
  // Should the test process end without close() (killed by a timeout), its servers go with it.
  const killOnExit = () => children.forEach((child) => signalGroup(child, 'SIGKILL'));
  process.once('exit', killOnExit);
  const close = async () => {
    process.off('exit', killOnExit);
    for (const child of children.reverse()) await stop(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // The database: a data directory of its own, reachable only through its socket.
    const datadir = join(dir, 'mysql');
    const socket = join(dir, 'mysql.sock');
    const user = `--user=${userInfo().username}`;
    await run(programs.installDb, ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', user]);
    // Thrown away after the test, so nothing is flushed to disk for durability's sake.
    const database = startProcess(programs.mariadbd, [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--socket=${socket}`,
      '--skip-networking',
      `--pid-file=${join(dir, 'mysql.pid')}`,
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-doublewrite=0',
      user,
    ]);
    children.push(database.child);
    const sql = (statement: string) => run(programs.client, ['--no-defaults', `--socket=${socket}`, '--user=root', '--execute', statement]);
    await until('MariaDB', async () => existsSync(socket) && (await sql('SELECT 1'), true), 20_000, database.output);
    await sql('CREATE DATABASE wordpress CHARACTER SET utf8mb4');

    // WordPress: Debian's files, copied (its wp-config.php would read /etc/wordpress), with our
    // config, the plugin (linked, so the test runs the source) and the test theme.
    const root = join(dir, 'wordpress');
    cpSync(DEBIAN_WORDPRESS, root, { recursive: true, dereference: true });
    unlinkSync(join(root, 'wp-config.php'));
    const url = `http://127.0.0.1:${await freePort()}`;
    const debugLog = join(dir, 'debug.log');
    writeFileSync(join(root, 'wp-config.php'), wpConfig(url, socket, debugLog));
    symlinkSync(PLUGIN_DIR, join(root, 'wp-content/plugins/equos-avatar'));
    symlinkSync(join(HERE, 'theme'), join(root, 'wp-content/themes/equos-test'));
    await run(programs.php, [join(HERE, 'install.php'), root, WORDPRESS_ADMIN.password]);

    const php = async <T>(code: string): Promise<T> => {
      const child = execFile(programs.php, [join(HERE, 'eval.php'), root]);
      child.stdin!.end(code);
      let stdout = '';
      child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      if (status !== 0) throw new Error(`PHP failed (${status}): ${stderr || stdout}`);
      return JSON.parse(stdout) as T;
    };
    await php(`
      $activated = activate_plugin( 'equos-avatar/equos-avatar.php' );
      if ( is_wp_error( $activated ) ) { throw new Exception( $activated->get_error_message() ); }
      switch_theme( 'equos-test' );
      return true;
    `);

    // The web server: a few workers, so a page's scripts and styles load in parallel.
    const server = startProcess(programs.php, ['-S', url.replace('http://', ''), '-t', root], { cwd: root, env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' } });
    children.push(server.child);
    await until('php -S', async () => (await fetch(`${url}/wp-login.php`)).ok, 15_000, server.output);

    return {
      url,
      php,
      debugLog: () => (existsSync(debugLog) ? readFileSync(debugLog, 'utf8') : ''),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
