/** The answer for a path's other methods. */
import { ProblemError } from '../problems.js';

/**
 * A catch-all route handler for a path's other methods: `405` with the `Allow` header.
 *
 * @example
 * app.post('/', create).all('/', methodNotAllowed('POST'));
 */
export function methodNotAllowed(allow: string): () => never {
  return () => {
    throw new ProblemError('method-not-allowed', { headers: { Allow: allow } });
  };
}
