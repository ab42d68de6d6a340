/**
 * The token server's one way to Equos: a deadline on every call, one error type, and one
 * retry policy for the idempotent calls (stop, get, list). It wraps our own client or an
 * injected SDK instance alike, so the guarantees do not depend on which one is in use, and
 * it is the only place with timers on Equos calls: what the settings say is what happens.
 */
import type { EquosDeadlines } from '../config/settings.js';
import { EquosApiError, toEquosApiError } from './errors.js';
import { retry, type RetryOptions } from './retry.js';
import type { EquosGeneration, EquosUpstream, StartedSession, StartRequest, UpstreamSession } from './upstream.js';

/** Options of `createEquosGateway`. */
export interface EquosGatewayOptions {
  deadlines: EquosDeadlines;
  /** Retries of stop, get and list (settings.equosRetry; tests may pass a fake `sleep`). */
  retry: RetryOptions;
  /** Strings removed from every error message, e.g. the API key. */
  secrets: readonly string[];
}

/** What the use cases call, on either API generation. Every method throws only `EquosApiError`. */
export interface EquosGateway {
  readonly generation: EquosGeneration;
  /** Starts a session. Never retried: a second create could start a second billed session. */
  create(request: StartRequest): Promise<StartedSession>;
  /**
   * Asks Equos to stop a session, retrying 5xx, 429, timeouts and network failures. What it
   * answers is not proof of the end (../sessions/stop-session.ts checks it).
   */
  stop(id: string): Promise<UpstreamSession | null>;
  get(id: string): Promise<UpstreamSession>;
  /** Lists sessions of a tag (for the sweep), in pages of at most `maxPage`; absent when the client cannot list. */
  list?(params: { client: string; skip: number; take: number }): Promise<{ total: number; sessions: UpstreamSession[] }>;
  readonly maxPage: number;
  /**
   * The longest one stop can take (`stop()` and the `get()` that checks it) with every
   * attempt timing out: a claim on a session being stopped must outlive it, so that two live
   * instances never stop one at once.
   */
  readonly worstStopMs: number;
}

/**
 * Wraps Equos' API (ours or an SDK's, of either generation: see ./upstream.ts).
 *
 * @example
 * const equos = createEquosGateway(upstreamOf(Equos.client(key)), { deadlines, retry, secrets: [key] });
 */
export function createEquosGateway(upstream: EquosUpstream, options: EquosGatewayOptions): EquosGateway {
  const { deadlines, secrets } = options;
  const retryable = (error: unknown) => toEquosApiError(error).retryable;
  const again = <T>(operation: () => Promise<T>) => retry(operation, retryable, options.retry);

  /**
   * Runs one call under a deadline. The signal stops our client's fetch; an SDK that
   * ignores it is still raced, so a hung SDK call cannot hold a request forever.
   */
  async function withDeadline<T>(name: keyof EquosDeadlines, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new EquosApiError('timeout', `Equos ${name} exceeded its ${deadlines[name]} ms deadline`));
      }, deadlines[name]);
    });
    try {
      return await Promise.race([run(controller.signal), expired]);
    } catch (error) {
      throw toEquosApiError(error, secrets);
    } finally {
      clearTimeout(timer);
    }
  }

  const get = (id: string) => withDeadline('get', (signal) => upstream.get(id, { signal }));

  const { attempts, baseDelayMs, maxDelayMs } = options.retry;
  let waits = 0;
  for (let attempt = 1; attempt < attempts; attempt += 1) waits += Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));

  return {
    generation: upstream.generation,
    maxPage: upstream.maxPage,
    create: (request) => withDeadline('create', (signal) => upstream.start(request, { signal })),
    stop: (id) => again(() => withDeadline('stop', (signal) => upstream.stop(id, { signal }))),
    get: (id) => again(() => get(id)),
    ...(upstream.list ? { list: (params: { client: string; skip: number; take: number }) => again(() => withDeadline('list', (signal) => upstream.list!(params, { signal }))) } : {}),
    // The stop and the get that checks it, each with every attempt timing out and the waits
    // between them running to their caps.
    worstStopMs: attempts * deadlines.stop + waits + attempts * deadlines.get + waits,
  };
}
