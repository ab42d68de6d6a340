/**
 * Guards an operator's route (`/metrics`, `/api/usage`) with `Authorization: Bearer <token>`:
 * Hono's bearer-auth (its comparison takes a time that does not depend on where the tokens
 * differ), its answers turned into `401 unauthorized` problems with an RFC 6750 challenge. One
 * home for both tokens, so a scraper and an export client are refused in the same words.
 */
import type { MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { ProblemError } from '../../../problems.js';

/** Options of `operatorToken`. */
export interface OperatorTokenOptions {
  /** The token the operator set. */
  token: string;
  /** The challenge's realm (`metrics`, `usage`). */
  realm: string;
  /** The variable that holds the token, named in the refusal (never its value). */
  variable: string;
}

/**
 * Creates the middleware.
 *
 * @throws TypeError at boot when the token is empty
 * @example
 * app.use('/', operatorToken({ token: settings.usageToken, realm: 'usage', variable: 'USAGE_TOKEN' }));
 */
export function operatorToken(options: OperatorTokenOptions): MiddlewareHandler {
  const { token, realm, variable } = options;
  if (!token) throw new TypeError(`operatorToken: set a token for ${variable} (or leave the route unmounted).`);
  const refuse = (error: string | null, detail: string) => (): never => {
    throw new ProblemError('unauthorized', {
      detail,
      headers: { 'WWW-Authenticate': `Bearer realm="${realm}"${error ? `, error="${error}"` : ''}`, 'Cache-Control': 'no-store' },
    });
  };
  return bearerAuth({
    token,
    realm,
    noAuthenticationHeader: { message: refuse(null, `Send Authorization: Bearer <${variable}>.`) },
    invalidAuthenticationHeader: { message: refuse('invalid_request', 'The Authorization header is not a bearer token.') },
    invalidToken: { message: refuse('invalid_token', `The token is not ${variable}.`) },
  });
}
