/**
 * A real `redis-server` (Debian's package) on a free loopback port, for the Redis store's
 * tests. `.ci/run` installs it; without it these tests fail with a message saying so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './server-process.js';

/** A running Redis. */
export interface RunningRedis {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts `redis-server` without persistence on 127.0.0.1.
 *
 * @param port [a free one]; the same port again brings a stopped Redis back where its clients look
 */
export async function startRedis(port?: number): Promise<RunningRedis> {
  port ??= await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run redis-server (apt-get install redis-server; .ci/run does it): ${error.message}`));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
