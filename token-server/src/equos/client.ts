/**
 * A small typed client for the Equos v1 session API over `fetch`, shaped like
 * `@equos/node-sdk`'s `Equos.client(key)` (which is not installable here).
 *
 * Every failure is an `EquosApiError` with the upstream status and a sanitised message.
 * Deadlines and retries are the gateway's job alone (./gateway.ts), so that they hold for an
 * SDK instance injected in this client's place too, and so that no timeout hides under the
 * configured ones: a call runs until Equos answers or the caller's signal aborts it.
 */
import { EquosApiError, sanitiseUpstreamMessage } from './errors.js';
import type { CreateEquosSessionRequest, CreateEquosSessionResponse, EquosSession, ListEquosSessionsParams, ListEquosSessionsResponse } from '../../../contract/equos/v1.js';
import type { EquosCallOptions, EquosClientLike } from './sdk.js';

/** Options of `createEquosClient`. */
export interface EquosClientOptions {
  /** The secret Equos API key, sent as `x-api-key`. */
  apiKey: string;
  /** Base URL, e.g. `https://api.equos.ai` (the settings' `EQUOS_ENDPOINT`). */
  endpoint: string;
  /** API version prefix ['v1']. */
  version?: string;
  /** The fetch implementation [globalThis.fetch]. */
  fetch?: typeof fetch;
}

/**
 * Creates the client.
 *
 * @example
 * const equos = createEquosClient({ apiKey: process.env.EQUOS_API_KEY!, endpoint: 'https://api.equos.ai' });
 * const { session, consumerAccessToken } = await equos.sessions.create({ name, avatar: { id } });
 */
export function createEquosClient(options: EquosClientOptions): EquosClientLike {
  const { apiKey, endpoint, version = 'v1' } = options;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const baseUrl = `${endpoint.replace(/\/+$/, '')}/${version}`;
  const secrets = [apiKey];

  async function call<T>(method: string, path: string, body: unknown, callOptions: EquosCallOptions = {}): Promise<T> {
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
  }

  const sessionPath = (id: string) => `/sessions/${encodeURIComponent(id)}`;

  return {
    sessions: {
      create: (request: CreateEquosSessionRequest, callOptions?: EquosCallOptions) =>
        call<CreateEquosSessionResponse>('POST', '/sessions', request, callOptions),
      stop: (id: string, callOptions?: EquosCallOptions) =>
        call<EquosSession>('PATCH', `${sessionPath(id)}/stop`, {}, callOptions),
      get: (id: string, callOptions?: EquosCallOptions) =>
        call<EquosSession>('GET', sessionPath(id), undefined, callOptions),
      list: (params: ListEquosSessionsParams = {}, callOptions?: EquosCallOptions) => {
        const query = new URLSearchParams({ skip: String(params.skip ?? 0), take: String(params.take ?? 10) });
        if (params.client !== undefined) query.set('client', params.client);
        return call<ListEquosSessionsResponse>('GET', `/sessions?${query}`, undefined, callOptions);
      },
    },
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
