/**
 * Every failure the token server can answer with, as RFC 9457 problem details.
 *
 * Each problem has a stable `code` that clients (our widget, a CMS plugin) switch on, a
 * fixed HTTP status and a short title. The `type` URI is relative (`/problems/<code>`),
 * which RFC 9457 §3.1.1 allows; the server documents each code at that path.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */

/** The catalogue of problems: code → status, title and what the caller should do. */
export const PROBLEMS = {
  'invalid-json': {
    status: 400,
    title: 'The request body is not valid JSON',
    help: 'Send a JSON object, for example {"preset":"default"}.',
  },
  'invalid-field': {
    status: 400,
    title: 'A field has the wrong type or format',
    help: 'Check the field named in `detail` against the API documentation.',
  },
  'origin-not-allowed': {
    status: 403,
    title: 'This origin may not use this token server',
    help: "Add the page's origin (scheme://host[:port]) to ALLOWED_ORIGINS on the token server.",
  },
  'origin-required': {
    status: 403,
    title: 'The request has no Origin header',
    help: 'Browsers send Origin on every POST; server-side callers must send the origin they act for.',
  },
  'invalid-stop-token': {
    status: 403,
    title: 'The stop token does not match this session',
    help: 'Send the `stop_token` returned when this session was created.',
  },
  'not-found': {
    status: 404,
    title: 'No such resource',
    help: 'See the README for the routes this server offers.',
  },
  'session-not-found': {
    status: 404,
    title: 'No such session',
    help: 'The session id is unknown to Equos.',
  },
  'method-not-allowed': {
    status: 405,
    title: 'This method is not allowed on this resource',
    help: 'See the `Allow` response header.',
  },
  'payload-too-large': {
    status: 413,
    title: 'The request body is too large',
    help: 'Request bodies are limited to a few kilobytes.',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'The request body has an unsupported content type',
    help: 'Send application/json (or text/plain for a beacon stop).',
  },
  'unknown-preset': {
    status: 422,
    title: 'No preset has this name',
    help: 'GET /api/presets lists the presets this server offers.',
  },
  'field-not-allowed': {
    status: 422,
    title: 'A field the browser may not set was sent',
    help: 'The browser picks a preset by name; agents, avatars and limits are set on the server.',
  },
  'conflicting-preset': {
    status: 422,
    title: 'Two different presets were named',
    help: 'Name the preset once, as `preset` or as room_config.agents[0].agent_name.',
  },
  'session-ended': {
    status: 410,
    title: 'This session has ended',
    help: 'Start a new session.',
  },
  'rate-limited': {
    status: 429,
    title: 'Too many sessions started from this address',
    help: 'Wait for the time in the Retry-After header, then try again.',
  },
  'too-many-sessions': {
    status: 429,
    title: 'This visitor already has the most open sessions allowed',
    help: 'End a running conversation first.',
  },
  'capacity-reached': {
    status: 503,
    title: 'The most concurrent sessions allowed are running',
    help: 'Wait for the time in the Retry-After header, then try again.',
  },
  'budget-exhausted': {
    status: 503,
    title: "Today's budget of session minutes is used up",
    help: 'New sessions can start after midnight UTC (see Retry-After).',
  },
  'ledger-unavailable': {
    status: 503,
    title: 'Sessions cannot be recorded right now',
    help: 'The token server only starts sessions it can track; try again shortly.',
  },
  'upstream-error': {
    status: 502,
    title: 'Equos could not handle the request',
    help: 'Try again shortly; the failure was logged on the token server with the request id.',
  },
  'upstream-timeout': {
    status: 504,
    title: 'Equos did not answer in time',
    help: 'Try again shortly; the failure was logged on the token server with the request id.',
  },
  'internal-error': {
    status: 500,
    title: 'The token server failed unexpectedly',
    help: 'This is a bug; the failure was logged on the token server with the request id.',
  },
} as const satisfies Record<string, { status: number; title: string; help: string }>;

/** A stable, machine-readable problem code. */
export type ProblemCode = keyof typeof PROBLEMS;

/** The JSON body of every error response (RFC 9457 plus `code` and `request_id`). */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  request_id?: string;
}

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
    this.status = PROBLEMS[code].status;
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

/** The media type of problem bodies. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
