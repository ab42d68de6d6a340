/**
 * The token server's one way to Equos: a deadline on every call, one error type, and one
 * retry policy for the idempotent calls (stop, get, list). It wraps our own client or an
 * injected SDK instance alike, so the guarantees do not depend on which one is in use, and
 * it is the only place with timers on Equos calls: what the settings say is what happens.
 */
import type {
  CreateEquosSessionRequest,
  CreateEquosSessionResponse,
  EquosSession,
  ListEquosSessionsParams,
  ListEquosSessionsResponse,
} from '../../../contract/equos/v1.js';
import type { EquosDeadlines } from '../config/settings.js';
import { EquosApiError, toEquosApiError } from './errors.js';
import { retry, type RetryOptions } from './retry.js';
import type { EquosSessionsApi } from './sdk.js';

/** Options of `createEquosGateway`. */
export interface EquosGatewayOptions {
  deadlines: EquosDeadlines;
  /** Retries of stop, get and list (settings.equosRetry; tests may pass a fake `sleep`). */
  retry: RetryOptions;
  /** Strings removed from every error message, e.g. the API key. */
  secrets: readonly string[];
}

/** What the use cases call. Every method throws only `EquosApiError`. */
export interface EquosGateway {
  /** Starts a session. Never retried: a second create could start a second billed session. */
  create(request: CreateEquosSessionRequest): Promise<CreateEquosSessionResponse>;
  /**
   * Asks Equos to stop a session, retrying 5xx, 429, timeouts and network failures. What it
   * answers is not proof of the end (../sessions/stop-session.ts checks it).
   */
  stop(id: string): Promise<EquosSession>;
  get(id: string): Promise<EquosSession>;
  /** Lists sessions (for the orphan sweep); absent when the client cannot list. */
  list?(params: ListEquosSessionsParams): Promise<ListEquosSessionsResponse>;
  /**
   * The longest one stop can take (`stop()` and the `get()` that checks it) with every
   * attempt timing out: a claim on a session being stopped must outlive it, so that two live
   * instances never stop one at once.
   */
  readonly worstStopMs: number;
}

/**
 * Wraps `sessions` (ours or the SDK's `client.sessions`).
 *
 * @example
 * const equos = createEquosGateway(Equos.client(key).sessions, { deadlines, retry, secrets: [key] });
 */
export function createEquosGateway(sessions: EquosSessionsApi, options: EquosGatewayOptions): EquosGateway {
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

  const get = (id: string) => withDeadline('get', (signal) => sessions.get(id, { signal }));

  const { attempts, baseDelayMs, maxDelayMs } = options.retry;
  let waits = 0;
  for (let attempt = 1; attempt < attempts; attempt += 1) waits += Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));

  return {
    create: (request) => withDeadline('create', (signal) => sessions.create(request, { signal })),
    stop: (id) => again(() => withDeadline('stop', (signal) => sessions.stop(id, { signal }))),
    get: (id) => again(() => get(id)),
    ...(sessions.list ? { list: (params: ListEquosSessionsParams) => again(() => withDeadline('list', (signal) => sessions.list!(params, { signal }))) } : {}),
    // The stop and the get that checks it, each with every attempt timing out and the waits
    // between them running to their caps.
    worstStopMs: attempts * deadlines.stop + waits + attempts * deadlines.get + waits,
  };
}
