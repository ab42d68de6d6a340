/**
 * Readiness (`GET /readyz`): whether this instance can serve sessions now, for a load balancer
 * or an orchestrator to send visitors elsewhere while it cannot. It can when the deployment's
 * identity has been read from the ledger (`server.ready()`) and the ledger answers a cheap
 * read within a short deadline: a token server that cannot record a session starts none, so a
 * ledger that is down (a Redis that went away) is an instance that is not ready. Liveness
 * stays `GET /healthz`, which asks nothing of the ledger: an instance waiting for its Redis
 * is not to be restarted.
 */
import type { LedgerStore } from '../ledger/store.js';
import type { Logger } from '../logger.js';

/** What a probe found. */
export type Readiness =
  | { ready: true; ledger: LedgerStore['kind'] }
  /** `detail`: what to tell the prober (nothing internal: the route is public). */
  | { ready: false; ledger: LedgerStore['kind']; detail: string };

/** Probes readiness. */
export type ProbeReadiness = () => Promise<Readiness>;

/** Options of `createReadiness`. */
export interface ReadinessOptions {
  store: LedgerStore;
  /** Reads the deployment's identity from the ledger (the token server's `ready()`). */
  deployment: () => Promise<unknown>;
  logger: Logger;
  /** How long the ledger may take to answer, in ms [1000]. */
  deadlineMs?: number;
}

/** The id the probe reads: no entry has it, so the read is one key lookup. */
const PROBE_ID = 'readiness-probe';

/**
 * Creates the probe. It logs when readiness is lost (with the reason) and when it comes back,
 * not on every probe.
 *
 * @example
 * const probe = createReadiness({ store, deployment: server.ready, logger });
 * const { ready } = await probe();
 */
export function createReadiness(options: ReadinessOptions): ProbeReadiness {
  const { store, logger, deadlineMs = 1000 } = options;
  const ledger = store.kind;
  let wasReady: boolean | undefined;

  async function check(): Promise<{ ready: true } | { ready: false; detail: string; reason: string }> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reads = Promise.all([options.deployment(), store.get(PROBE_ID)]);
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), deadlineMs)));
    try {
      if ((await Promise.race([reads, late])) === 'late') {
        return { ready: false, detail: `The session ledger did not answer within ${deadlineMs} ms.`, reason: 'timeout' };
      }
      return { ready: true };
    } catch (error) {
      return { ready: false, detail: 'The session ledger cannot be read.', reason: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
      reads.catch(() => {});
    }
  }

  return async function probeReadiness() {
    const found = await check();
    if (found.ready !== wasReady) {
      if (!found.ready) logger.warn('readiness.lost', { ledger, reason: found.reason.slice(0, 300) });
      else if (wasReady === false) logger.info('readiness.regained', { ledger });
      wasReady = found.ready;
    }
    return found.ready ? { ready: true, ledger } : { ready: false, ledger, detail: found.detail };
  };
}
