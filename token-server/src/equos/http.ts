/**
 * One JSON call to Equos over `fetch`, for both API generations' clients: the API key in
 * `x-api-key`, no redirects, and every failure an `EquosApiError` with the upstream status and
 * a sanitised message. No timeout of its own: the gateway alone sets deadlines (./gateway.ts).
 */
import { EquosApiError, sanitiseUpstreamMessage } from './errors.js';
import type { EquosCallOptions } from './sdk.js';

/** What the clients ask of a request to Equos. */
export interface EquosRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** A redirect is a failure, never followed (the API key must not travel elsewhere). */
  redirect: 'error';
}

/**
 * The part of `fetch` the clients use: `globalThis.fetch` fits, and so does a leaner transport
 * (the Node entry's, ../node/equos-fetch.ts).
 */
export type EquosFetch = (url: string, init: EquosRequestInit) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

/** Options of an Equos client. */
export interface EquosClientOptions {
  /** The secret Equos API key, sent as `x-api-key`. */
  apiKey: string;
  /** Base URL, e.g. `https://api.equos.ai` (the settings' `EQUOS_ENDPOINT`). */
  endpoint: string;
  /** The fetch implementation [globalThis.fetch]. */
  fetch?: EquosFetch;
}

/** Calls `method path` under `/<version>` and reads the JSON answer. */
export type EquosCall = <T>(method: string, path: string, body: unknown, options?: EquosCallOptions) => Promise<T>;

/** The calls of one API generation (`version`: `v1` or `v3`). */
export function equosCaller(options: EquosClientOptions, version: string): EquosCall {
  const { apiKey, endpoint } = options;
  const fetchImpl: EquosFetch = options.fetch ?? globalThis.fetch;
  const baseUrl = `${endpoint.replace(/\/+$/, '')}/${version}`;
  const secrets = [apiKey];

  return async function call<T>(method: string, path: string, body: unknown, callOptions: EquosCallOptions = {}): Promise<T> {
    const { signal } = callOptions;
    try {
      const response = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers: {
          'x-api-key': apiKey,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
        redirect: 'error',
      });
      const text = await response.text();
      if (!response.ok) throw httpError(response.status, text, secrets);
      // An empty 2xx (a v3 stop of a conversation already stopped) reads as null.
      if (text.trim() === '') return null as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new EquosApiError('invalid-response', `Equos answered ${method} ${path} with a body that is not JSON`);
      }
    } catch (error) {
      if (error instanceof EquosApiError) throw error;
      // The caller gave up (the gateway's deadline, or its own reason): not Equos' failure.
      if (signal?.aborted) throw error;
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      const message = error instanceof Error ? error.message : String(error);
      throw new EquosApiError('network', sanitiseUpstreamMessage(`${method} ${path} failed: ${message}${cause}`, secrets));
    }
  };
}

function httpError(status: number, text: string, secrets: readonly string[]): EquosApiError {
  let message = `HTTP ${status}`;
  let code: string | undefined;
  try {
    const body = JSON.parse(text) as { message?: unknown; code?: unknown };
    if (typeof body.message === 'string') message = `HTTP ${status}: ${body.message}`;
    if (typeof body.code === 'string') code = sanitiseUpstreamMessage(body.code, secrets).slice(0, 64);
  } catch {
    if (text) message = `HTTP ${status}: ${text}`;
  }
  return new EquosApiError('http', sanitiseUpstreamMessage(message, secrets), { status, ...(code ? { code } : {}) });
}
