/**
 * A small typed client for the Equos v3 conversations API over `fetch`, shaped like
 * `@equos/node-sdk` 3.x's `client.conversations` (not installable here). Stop is a `POST`
 * (v1's was a `PATCH`) and answers `null` for a conversation already stopped or not found.
 * Deadlines and retries are the gateway's, as for the v1 client.
 */
import type {
  EquosConversation,
  ListConversationsParams,
  ListConversationsResponse,
  StartConversationRequest,
  StartConversationResponse,
} from '../../../contract/equos/v3.js';
import { equosCaller, type EquosClientOptions } from './http.js';
import type { EquosCallOptions, EquosConversationsApi } from './sdk.js';

/**
 * Creates the client.
 *
 * @example
 * const equos = createEquosV3Client({ apiKey, endpoint: 'https://api.equos.ai' });
 * const { conversation, consumerAccessToken } = await equos.conversations.startConversation({ name, characterId });
 */
export function createEquosV3Client(options: EquosClientOptions): { conversations: EquosConversationsApi } {
  const call = equosCaller(options, 'v3');
  const path = (id: string) => `/conversations/${encodeURIComponent(id)}`;
  return {
    conversations: {
      startConversation: (request: StartConversationRequest, callOptions?: EquosCallOptions) =>
        call<StartConversationResponse>('POST', '/conversations', request, callOptions),
      stopConversation: (id: string, callOptions?: EquosCallOptions) =>
        call<EquosConversation | null>('POST', `${path(id)}/stop`, {}, callOptions),
      getConversation: (id: string, callOptions?: EquosCallOptions) =>
        call<EquosConversation>('GET', path(id), undefined, callOptions),
      listConversations: (params: ListConversationsParams = {}, callOptions?: EquosCallOptions) => {
        const query = new URLSearchParams({ take: String(params.take ?? 20), skip: String(params.skip ?? 0) });
        if (params.client !== undefined) query.set('client', params.client);
        return call<ListConversationsResponse>('GET', `/conversations?${query}`, undefined, callOptions);
      },
    },
  };
}
