/**
 * The shape of `@equos/node-sdk` v2's client (`client.sessions.create/stop/get/list`), so
 * that an SDK instance (`Equos.client(key)`) can be used wherever our own client is. The
 * wire types are the contract's.
 */
import type {
  CreateEquosSessionRequest,
  CreateEquosSessionResponse,
  EquosSession,
  ListEquosSessionsParams,
  ListEquosSessionsResponse,
} from '../../../contract/equos/v1.js';

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

/** Anything with the SDK client's shape: our `createEquosClient()` or `Equos.client(key)`. */
export interface EquosClientLike {
  sessions: EquosSessionsApi;
}
