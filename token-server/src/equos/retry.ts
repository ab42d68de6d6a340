/**
 * Retries an idempotent operation with exponential backoff and full jitter.
 *
 * Only for idempotent calls: stopping a session may be repeated safely; creating one may
 * not (a retried create could start, and bill, a second session).
 *
 * @see https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/
 */
import type { EquosRetryPolicy } from '../config/settings.js';

/** How often and how patiently to retry (the policy is the settings' `equosRetry`). */
export interface RetryOptions extends EquosRetryPolicy {
  /** Waits between attempts [setTimeout]; tests pass a fake. */
  sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1) [Math.random]. */
  random?: () => number;
}

const sleepWithTimer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `operation` until it succeeds, `shouldRetry` says no, or attempts run out; then throws
 * the last error.
 *
 * @param operation receives the attempt number, starting at 1
 * @param shouldRetry decides from the error whether another attempt may help
 * @example
 * await retry(() => sessions.stop(id), (error) => toEquosApiError(error).retryable, settings.equosRetry);
 */
export async function retry<T>(
  operation: (attempt: number) => Promise<T>,
  shouldRetry: (error: unknown) => boolean,
  options: RetryOptions,
): Promise<T> {
  const { attempts, baseDelayMs, maxDelayMs, sleep = sleepWithTimer, random = Math.random } = options;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= attempts || !shouldRetry(error)) throw error;
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      await sleep(Math.floor(random() * ceiling));
    }
  }
}
