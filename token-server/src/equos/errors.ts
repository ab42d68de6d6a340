/**
 * One error type for every way a call to Equos can fail, whichever client made it.
 *
 * Its message is sanitised (no API key, no control characters, bounded length) because it
 * ends up in logs; it is never sent to a browser.
 */

/** How a call to Equos failed. */
export type EquosFailureKind =
  /** Equos answered with a non-2xx status. */
  | 'http'
  /** No answer within the deadline. */
  | 'timeout'
  /** The connection failed or dropped. */
  | 'network'
  /** A 2xx answer we cannot use (not JSON, fields missing). */
  | 'invalid-response';

/** A failed call to Equos. */
export class EquosApiError extends Error {
  readonly kind: EquosFailureKind;
  /** The upstream HTTP status, for `kind: 'http'`. */
  readonly status: number | undefined;
  /** The upstream error code, when Equos gave one. */
  readonly code: string | undefined;

  constructor(kind: EquosFailureKind, message: string, options: { status?: number; code?: string } = {}) {
    super(message);
    this.name = 'EquosApiError';
    this.kind = kind;
    this.status = options.status;
    this.code = options.code;
  }

  /** Whether trying the same idempotent call again may succeed. */
  get retryable(): boolean {
    if (this.kind === 'timeout' || this.kind === 'network') return true;
    return this.kind === 'http' && this.status !== undefined && (this.status >= 500 || this.status === 429);
  }
}

/** Whether Equos answered that it does not know the session (nothing runs, nothing is billed). */
export function isUnknownSession(error: unknown): boolean {
  return error instanceof EquosApiError && error.kind === 'http' && error.status === 404;
}

/**
 * Whether a failed create may still have started a (billed) session at Equos: anything but a
 * definite refusal. A timeout or a dropped connection says nothing of what Equos did, and a
 * 5xx may come from a gateway in front of a create that went through.
 */
export function mayHaveStarted(error: unknown): boolean {
  return !(error instanceof EquosApiError && error.kind === 'http' && error.status !== undefined && error.status < 500);
}

const MAX_MESSAGE_LENGTH = 200;

/**
 * Makes upstream text safe to log: removes every secret, control characters and excess length.
 *
 * @param text what Equos (or a network library) said
 * @param secrets strings that must never appear, e.g. the API key
 */
export function sanitiseUpstreamMessage(text: string, secrets: readonly string[] = []): string {
  let clean = text;
  for (const secret of secrets) {
    if (secret) clean = clean.split(secret).join('[redacted]');
  }
  clean = clean.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return clean.length > MAX_MESSAGE_LENGTH ? `${clean.slice(0, MAX_MESSAGE_LENGTH)}…` : clean;
}

/**
 * Turns whatever a client threw into an `EquosApiError`. Our own client already throws
 * one; an SDK throws its own `EquosError(message, code)`, sometimes with a status.
 */
export function toEquosApiError(error: unknown, secrets: readonly string[] = []): EquosApiError {
  if (error instanceof EquosApiError) return error;
  const record = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const rawMessage = typeof record.message === 'string' ? record.message : String(error);
  const message = sanitiseUpstreamMessage(rawMessage, secrets);
  const status = [record.status, record.statusCode].find((value): value is number => typeof value === 'number');
  const code = typeof record.code === 'string' ? sanitiseUpstreamMessage(record.code, secrets).slice(0, 64) : undefined;
  if (record.name === 'TimeoutError') return new EquosApiError('timeout', message);
  if (status !== undefined) return new EquosApiError('http', message, { status, ...(code ? { code } : {}) });
  if (record.name === 'TypeError' || (code !== undefined && /^E[A-Z]+$/.test(code))) {
    return new EquosApiError('network', message);
  }
  return new EquosApiError('http', message, { status: 502, ...(code ? { code } : {}) });
}
