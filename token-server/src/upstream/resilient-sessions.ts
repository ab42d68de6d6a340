/**
 * The token server's view of Equos: deadlines on every call, one error type, and a stop
 * that is retried and idempotent. It wraps our own client or an injected SDK instance alike,
 * so the guarantees do not depend on which one is in use.
 */
import { EquosApiError, toEquosApiError } from './errors.js';
import { retry, type RetryOptions } from './retry.js';
import type { CreateEquosSessionRequest, CreateEquosSessionResponse, EquosSession, ListEquosSessionsParams, ListEquosSessionsResponse } from '../../../contract/equos/v1.js';
import type { EquosSessionsApi } from './types.js';

/** Deadlines per call, in ms. */
export interface EquosDeadlines {
  /** [15000] Equos prepares the avatar while creating, so this is the slowest call. */
  create: number;
  /** [8000] */
  stop: number;
  /** [5000] */
  get: number;
  /** [10000] */
  list: number;
}

/** Options of `resilientSessions`. */
export interface ResilientSessionsOptions {
  deadlines?: Partial<EquosDeadlines>;
  /** Backoff for stop [4 attempts, 250 ms doubling, 2 s cap]. */
  stopRetry?: RetryOptions;
  /** Strings removed from every error message, e.g. the API key. */
  secrets?: readonly string[];
}

/** What the routes call. Every method throws only `EquosApiError`. */
export interface EquosSessionsGateway {
  /** Starts a session. Never retried: a second create could start a second billed session. */
  create(request: CreateEquosSessionRequest): Promise<CreateEquosSessionResponse>;
  /**
   * Stops a session, retrying 5xx, 429, timeouts and network failures. Stopping a session
   * that has already ended is a success.
   */
  stop(id: string): Promise<EquosSession>;
  get(id: string): Promise<EquosSession>;
  /** Lists sessions (for the orphan sweep); absent when the client cannot list. */
  list?(params: ListEquosSessionsParams): Promise<ListEquosSessionsResponse>;
}

const DEFAULT_DEADLINES: EquosDeadlines = { create: 15_000, stop: 8_000, get: 5_000, list: 10_000 };

/**
 * Wraps `sessions` (ours or the SDK's `client.sessions`).
 *
 * @example
 * const equos = resilientSessions(Equos.client(key).sessions, { secrets: [key] });
 */
export function resilientSessions(sessions: EquosSessionsApi, options: ResilientSessionsOptions = {}): EquosSessionsGateway {
  const deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines };
  const secrets = options.secrets ?? [];

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

  async function stopOnce(id: string): Promise<EquosSession> {
    try {
      return await withDeadline('stop', (signal) => sessions.stop(id, { signal }));
    } catch (error) {
      const failure = toEquosApiError(error, secrets);
      // Some APIs refuse to stop a session that already ended (400/409). Ended is what we
      // want, so ask before calling it a failure.
      const status = failure.status ?? 0;
      if (failure.kind === 'http' && status >= 400 && status < 500 && status !== 404 && !failure.retryable) {
        const session = await withDeadline('get', (signal) => sessions.get(id, { signal }));
        if (session.endedAt) return session;
      }
      throw failure;
    }
  }

  return {
    create: (request) => withDeadline('create', (signal) => sessions.create(request, { signal })),
    stop: (id) => retry(() => stopOnce(id), (error) => toEquosApiError(error).retryable, options.stopRetry),
    get: (id) => withDeadline('get', (signal) => sessions.get(id, { signal })),
    ...(sessions.list ? { list: (params: ListEquosSessionsParams) => withDeadline('list', (signal) => sessions.list!(params, { signal })) } : {}),
  };
}
