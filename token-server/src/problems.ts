/**
 * Every failure the token server can answer with: the contract's problem codes (and their
 * statuses) with a title and advice each, and `ProblemError`, which the use cases and the
 * routes throw and the app's error handler answers as an RFC 9457 problem.
 *
 * The `type` URI is relative (`/problems/<code>`), which RFC 9457 §3.1.1 allows; the server
 * documents each code at that path.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */
import { PROBLEM_STATUS, type ProblemBody, type ProblemCode } from '../../contract/problems.js';

/** The catalogue of problems: each code's title and what the caller should do (its status is the contract's). */
export const PROBLEMS: Record<ProblemCode, { title: string; help: string }> = {
  'invalid-json': {
    title: 'The request body is not valid JSON',
    help: 'Send a JSON object, for example {"preset":"default"}.',
  },
  'invalid-field': {
    title: 'A field has the wrong type or format',
    help: 'Check the field named in `detail` against the API documentation.',
  },
  'unauthorized': {
    title: "This endpoint needs the operator's token",
    help: 'Send `Authorization: Bearer <token>` with the token set on the token server: METRICS_TOKEN for /metrics, USAGE_TOKEN for /api/usage.',
  },
  'origin-not-allowed': {
    title: 'This origin may not use this token server',
    help: "Add the page's origin (scheme://host[:port]) to ALLOWED_ORIGINS on the token server.",
  },
  'origin-required': {
    title: 'The request has no Origin header',
    help: 'Browsers send Origin on every POST; server-side callers must send the origin they act for.',
  },
  'invalid-stop-token': {
    title: 'The stop token does not match this session',
    help: 'Send the `stop_token` returned when this session was created.',
  },
  'consent-required': {
    title: "This site asks for the visitor's consent before a call",
    help: "Send `consent` with the version of the site's disclosure the visitor accepted (the token server's CONSENT_VERSION) and when.",
  },
  'not-found': {
    title: 'No such resource',
    help: 'See the README for the routes this server offers.',
  },
  'session-not-found': {
    title: 'No such session',
    help: 'The session id is unknown to Equos.',
  },
  'method-not-allowed': {
    title: 'This method is not allowed on this resource',
    help: 'See the `Allow` response header.',
  },
  'payload-too-large': {
    title: 'The request body is too large',
    help: 'Request bodies are limited to a few kilobytes.',
  },
  'unsupported-media-type': {
    title: 'The request body has an unsupported content type',
    help: 'Send application/json (or text/plain for a beacon stop).',
  },
  'unknown-preset': {
    title: 'No preset has this name',
    help: 'GET /api/presets lists the presets this server offers.',
  },
  'field-not-allowed': {
    title: 'A field the browser may not set was sent',
    help: 'The browser picks a preset by name; agents, avatars and limits are set on the server.',
  },
  'conflicting-preset': {
    title: 'Two different presets were named',
    help: 'Name the preset once, as `preset` or as room_config.agents[0].agent_name.',
  },
  'session-ended': {
    title: 'This session has ended',
    help: 'Start a new session.',
  },
  'rate-limited': {
    title: 'Too many requests from this address (or for this session)',
    help: 'Wait for the time in the Retry-After header, then try again.',
  },
  'too-many-sessions': {
    title: 'This visitor already has the most open sessions allowed',
    help: 'End a running conversation first.',
  },
  'capacity-reached': {
    title: 'The most concurrent sessions allowed are running',
    help: 'Wait for the time in the Retry-After header, then try again.',
  },
  'budget-exhausted': {
    title: "Today's budget of session minutes is used up",
    help: 'New sessions can start after midnight UTC (see Retry-After).',
  },
  'ledger-unavailable': {
    title: 'Sessions cannot be recorded right now',
    help: 'The token server only starts sessions it can track; try again shortly.',
  },
  'not-ready': {
    title: 'This instance cannot serve sessions right now',
    help: 'The session ledger did not answer (or is not set up yet); the load balancer should send visitors to another instance until it does.',
  },
  'upstream-error': {
    title: 'Equos could not handle the request',
    help: 'Try again shortly; the failure was logged on the token server with the request id.',
  },
  'upstream-timeout': {
    title: 'Equos did not answer in time',
    help: 'Try again shortly; the failure was logged on the token server with the request id.',
  },
  'thumbnail-unavailable': {
    title: "The preset's picture could not be fetched or read",
    help: "Check the preset's thumbnail_url (it must answer an image, under 5 MB, within 5 s); the failure was logged on the token server with the request id.",
  },
  'internal-error': {
    title: 'The token server failed unexpectedly',
    help: 'This is a bug; the failure was logged on the token server with the request id.',
  },
};

/** The relative `type` URI of a problem code. */
export function problemType(code: ProblemCode): string {
  return `/problems/${code}`;
}

/**
 * A failure the caller can understand and act on. Throw it anywhere in a request; the
 * app's error handler turns it into a problem response.
 *
 * @example
 * throw new ProblemError('unknown-preset', { detail: 'No preset is named "sales".' });
 */
export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly detail: string | undefined;
  /** Extra response headers, e.g. `Allow` on a 405. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ProblemCode,
    options: { detail?: string; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(options.detail ?? PROBLEMS[code].title, { cause: options.cause });
    this.name = 'ProblemError';
    this.code = code;
    this.status = PROBLEM_STATUS[code];
    this.detail = options.detail;
    this.headers = options.headers ?? {};
  }

  /** The response body for this problem. */
  toBody(requestId?: string): ProblemBody {
    return {
      type: problemType(this.code),
      title: PROBLEMS[this.code].title,
      status: this.status,
      code: this.code,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(requestId === undefined ? {} : { request_id: requestId }),
    };
  }
}
