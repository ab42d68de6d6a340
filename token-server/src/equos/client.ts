/**
 * A small typed client for the Equos v1 session API over `fetch`, shaped like
 * `@equos/node-sdk` 2.x's `Equos.client(key)` (which is not installable here).
 *
 * Every failure is an `EquosApiError` with the upstream status and a sanitised message.
 * Deadlines and retries are the gateway's job alone (./gateway.ts), so that they hold for an
 * SDK instance injected in this client's place too, and so that no timeout hides under the
 * configured ones: a call runs until Equos answers or the caller's signal aborts it.
 */
import type { CreateEquosSessionRequest, CreateEquosSessionResponse, EquosSession, ListEquosSessionsParams, ListEquosSessionsResponse } from '../../../contract/equos/v1.js';
import { equosCaller, type EquosClientOptions } from './http.js';
import type { EquosCallOptions, EquosSessionsApi } from './sdk.js';

export type { EquosClientOptions } from './http.js';

/**
 * Creates the client.
 *
 * @example
 * const equos = createEquosClient({ apiKey: process.env.EQUOS_API_KEY!, endpoint: 'https://api.equos.ai' });
 * const { session, consumerAccessToken } = await equos.sessions.create({ name, avatar: { id } });
 */
export function createEquosClient(options: EquosClientOptions): { sessions: EquosSessionsApi } {
  const call = equosCaller(options, 'v1');
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
