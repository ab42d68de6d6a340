/** A failure of a call the visitor can be told about: its `ErrorCause` picks the words. */
import type { ErrorCause } from '../call/machine.js';

/** A failure with a cause the UI can explain (a refused microphone, a token server's refusal…). */
export class CallError extends Error {
  readonly errorCause: ErrorCause;
  constructor(errorCause: ErrorCause, message: string) {
    super(message);
    this.name = 'CallError';
    this.errorCause = errorCause;
  }
}

/** The cause of whatever a call's start threw [equos-failed for anything unexplained]. */
export function causeOf(error: unknown): ErrorCause {
  return error instanceof CallError ? error.errorCause : 'equos-failed';
}
