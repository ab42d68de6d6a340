/**
 * The token server's errors on the wire: every error answer is an RFC 9457 problem with a
 * stable `code`, which clients (the widget, a CMS plugin) switch on. The code fixes the HTTP
 * status; the server documents each one at `GET /problems/<code>`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */

/** Every problem code and the HTTP status it is answered with. */
export const PROBLEM_STATUS = {
  'invalid-json': 400,
  'invalid-field': 400,
  'unauthorized': 401,
  'origin-not-allowed': 403,
  'origin-required': 403,
  'invalid-stop-token': 403,
  'consent-required': 403,
  'not-found': 404,
  'session-not-found': 404,
  'method-not-allowed': 405,
  'session-ended': 410,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'unknown-preset': 422,
  'field-not-allowed': 422,
  'conflicting-preset': 422,
  'rate-limited': 429,
  'too-many-sessions': 429,
  'internal-error': 500,
  'upstream-error': 502,
  'thumbnail-unavailable': 502,
  'capacity-reached': 503,
  'budget-exhausted': 503,
  'ledger-unavailable': 503,
  'not-ready': 503,
  'upstream-timeout': 504,
} as const;

/** A stable, machine-readable problem code. */
export type ProblemCode = keyof typeof PROBLEM_STATUS;

/** The body of every error answer (RFC 9457 members plus `code` and `request_id`). */
export interface ProblemBody {
  /** `/problems/<code>`: a relative URI, which RFC 9457 §3.1.1 allows. */
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  request_id?: string;
}

/** The media type of problem bodies. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
