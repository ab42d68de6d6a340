/**
 * The shapes of `@equos/node-sdk`'s clients: 2.x `client.sessions.create/stop/get/list` (v1)
 * and 3.x `client.conversations.startConversation/stopConversation/getConversation/
 * listConversations` (v3), so that an SDK instance can be used wherever our own clients are.
 * The wire types are the contract's.
 */
import type {
  CreateEquosSessionRequest,
  CreateEquosSessionResponse,
  EquosSession,
  ListEquosSessionsParams,
  ListEquosSessionsResponse,
} from '../../../contract/equos/v1.js';
import type {
  EquosConversation,
  ListConversationsParams,
  ListConversationsResponse,
  StartConversationRequest,
  StartConversationResponse,
} from '../../../contract/equos/v3.js';

/**
 * Per-call options. Our client honours them; an SDK instance ignores the extra argument,
 * which is why the gateway enforces its deadlines on its own as well.
 */
export interface EquosCallOptions {
  signal?: AbortSignal;
}

/** `client.sessions` of the SDK: the calls the token server makes. */
export interface EquosSessionsApi {
  create(request: CreateEquosSessionRequest, options?: EquosCallOptions): Promise<CreateEquosSessionResponse>;
  stop(id: string, options?: EquosCallOptions): Promise<EquosSession>;
  get(id: string, options?: EquosCallOptions): Promise<EquosSession>;
  list?(params?: ListEquosSessionsParams, options?: EquosCallOptions): Promise<ListEquosSessionsResponse>;
}

/** `client.conversations` of the 3.x SDK: the calls the token server makes. */
export interface EquosConversationsApi {
  startConversation(request: StartConversationRequest, options?: EquosCallOptions): Promise<StartConversationResponse>;
  /** `null` when the conversation was already stopped or is not found. */
  stopConversation(id: string, options?: EquosCallOptions): Promise<EquosConversation | null>;
  getConversation(id: string, options?: EquosCallOptions): Promise<EquosConversation>;
  listConversations?(params?: ListConversationsParams, options?: EquosCallOptions): Promise<ListConversationsResponse>;
}

/**
 * Anything with an SDK client's shape: `sessions` (v1: our `createEquosClient()`, or 2.x's
 * `Equos.client(key)`) or `conversations` (v3: our `createEquosV3Client()`, or 3.x's).
 */
export type EquosClientLike = { sessions: EquosSessionsApi; conversations?: undefined } | { conversations: EquosConversationsApi; sessions?: undefined };
