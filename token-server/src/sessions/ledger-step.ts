/** How the use cases meet a ledger that is down. */
import { ProblemError } from '../problems.js';

/**
 * Runs a ledger operation for a visitor's request: a store that is down answers `503 ledger-unavailable`
 * (fail closed: no session is started or vouched for that the ledger cannot track). Problems
 * the operation raises itself (a limit reached) pass through.
 */
export async function ledgerStep<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    throw new ProblemError('ledger-unavailable', { cause: error });
  }
}
