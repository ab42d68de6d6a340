/**
 * The body of `POST /api/sessions/:id/stop`: `{"stop_token": "…"}` as JSON, or the same JSON
 * or the bare token as text/plain, which is what `navigator.sendBeacon(url, string)` sends
 * without a CORS preflight when the page is being closed.
 */
import { ProblemError } from '../../problems.js';
import { isJsonObject } from '../../internal/json.js';
import { parseJson, type RequestBody } from './body.js';

/**
 * Extracts the stop token.
 *
 * @returns the token, or `undefined` when none was sent (the route answers 403)
 * @throws ProblemError `invalid-json` or `invalid-field` (400) for a malformed body
 */
export function readStopToken(body: RequestBody): string | undefined {
  if (body.kind === 'empty') return undefined;
  if (body.kind === 'text') {
    const text = body.value.trim();
    return text.startsWith('{') ? fromObject(parseJson(text)) : text;
  }
  return fromObject(body.value);
}

function fromObject(value: unknown): string | undefined {
  if (!isJsonObject(value)) throw new ProblemError('invalid-json', { detail: 'The body must be a JSON object.' });
  const token = value.stop_token;
  if (token === undefined || token === null) return undefined;
  if (typeof token !== 'string') throw new ProblemError('invalid-field', { detail: 'stop_token must be a string.' });
  return token;
}
