/**
 * The token server's Worker in workerd (Miniflare) on a loopback port, for load from outside
 * (token-server/bench/runtimes.bench.ts' Workers row): its production build, its ledger object
 * in memory, its log lines drained. The load reaches it through Miniflare's entry Worker, one
 * hop inside the same workerd process.
 *
 * Test support, not product code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Miniflare } from 'miniflare';
import { buildWorker, COMPATIBILITY_DATE } from './bundle.js';

/** A Worker serving on a port. */
export interface ServedWorker {
  url: string;
  /** The workerd process (the Worker and its ledger object both run there), for CPU time and memory. */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** The variables that name another ledger: the Worker's is its Durable Object, and it refuses them. */
const OTHER_LEDGERS = ['LEDGER_PATH', 'REDIS_URL', 'DATABASE_URL'];

/** The workerd processes this process started (Linux /proc). */
function workerdChildren(): number[] {
  const tasks = readdirSync(`/proc/${process.pid}/task`);
  const children = tasks.flatMap((task) => readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
  return children.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'workerd';
    } catch {
      return false;
    }
  });
}

/**
 * Starts the Worker with `env` as its vars and secrets.
 *
 * @param scriptPath a built dist/server/workers.mjs [built now, from the sources]
 * @example
 * const worker = await serveWorker({ EQUOS_API_KEY: key, EQUOS_ENDPOINT: equos.url, … });
 */
export async function serveWorker(env: Record<string, string>, scriptPath?: string): Promise<ServedWorker> {
  const built = scriptPath ? undefined : await buildWorker();
  const script = scriptPath ?? built!.scriptPath;
  const before = new Set(workerdChildren());
  const mf = new Miniflare({
    modules: true,
    scriptPath: script,
    modulesRoot: dirname(script),
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: ['nodejs_compat'],
    durableObjects: { LEDGER: { className: 'LedgerDurableObject', useSQLite: true } },
    bindings: Object.fromEntries(Object.entries(env).filter(([name]) => !OTHER_LEDGERS.includes(name))),
    handleRuntimeStdio(stdout, stderr) {
      stdout.resume();
      stderr.resume();
    },
  });
  const url = (await mf.ready).href.replace(/\/$/, '');
  return {
    url,
    pid: workerdChildren().find((pid) => !before.has(pid)),
    async stop() {
      await mf.dispose();
      built?.remove();
    },
  };
}
