/**
 * The token server's one way to Equos: a deadline on every call, one error type, and one
 * retry policy for the idempotent calls (stop, get, list). It wraps our own client or an
 * injected SDK instance alike, so the guarantees do not depend on which one is in use, and
 * it is the only place with timers on Equos calls: what the settings say is what happens.
 */
import type { Tracer } from '@opentelemetry/api';
import type { EquosDeadlines } from '../config/settings.js';
import { equosOutcome, NO_METRICS, type EquosCallName, type MetricsRecorder } from '../observability/metrics.js';
import { equosSpan, tokenServerTracer } from '../observability/tracing.js';
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
  /** Where each request's latency and each retry are counted [nowhere]. */
  metrics?: MetricsRecorder;
  /** Makes each call's client span [the token server's: a no-op without a tracer provider]. */
  tracer?: Tracer;
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
  const { deadlines, secrets, metrics = NO_METRICS } = options;
  const tracer = options.tracer ?? tokenServerTracer();
  const retryable = (error: unknown) => toEquosApiError(error).retryable;

  /**
   * Runs one call under a deadline. The signal stops our client's fetch; an SDK that
   * ignores it is still raced, so a hung SDK call cannot hold a request forever.
   */
  async function withDeadline<T>(name: EquosCallName, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const started = performance.now();
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new EquosApiError('timeout', `Equos ${name} exceeded its ${deadlines[name]} ms deadline`));
      }, deadlines[name]);
    });
    try {
      const answer = await Promise.race([run(controller.signal), expired]);
      metrics.equosCall(name, 'ok', (performance.now() - started) / 1000);
      return answer;
    } catch (error) {
      const failure = toEquosApiError(error, secrets);
      metrics.equosCall(name, equosOutcome(failure), (performance.now() - started) / 1000);
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  /** One call as the use cases see it (retried if `retried`), in one client span. */
  const call = <T>(name: EquosCallName, retried: boolean, run: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    equosSpan(tracer, name, (progress) => {
      const attempt = (number: number) => {
        progress.attempt(number);
        if (number > 1) metrics.equosRetried(name);
        return withDeadline(name, run);
      };
      return retried ? retry(attempt, retryable, options.retry) : attempt(1);
    });

  const { attempts, baseDelayMs, maxDelayMs } = options.retry;
  let waits = 0;
  for (let attempt = 1; attempt < attempts; attempt += 1) waits += Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));

  return {
    generation: upstream.generation,
    maxPage: upstream.maxPage,
    create: (request) => call('create', false, (signal) => upstream.start(request, { signal })),
    stop: (id) => call('stop', true, (signal) => upstream.stop(id, { signal })),
    get: (id) => call('get', true, (signal) => upstream.get(id, { signal })),
    ...(upstream.list ? { list: (params: { client: string; skip: number; take: number }) => call('list', true, (signal) => upstream.list!(params, { signal })) } : {}),
    // The stop and the get that checks it, each with every attempt timing out and the waits
    // between them running to their caps.
    worstStopMs: attempts * deadlines.stop + waits + attempts * deadlines.get + waits,
  };
}
