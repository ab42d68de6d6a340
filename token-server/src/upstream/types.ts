/**
 * Types of the Equos v1 session API, shaped like `@equos/node-sdk` v2 so that an SDK
 * instance (`Equos.client(key)`) can be used wherever our own client is.
 *
 * @see ../../../../shared/reference/equos-api.md (copied facts, not the SDK's code)
 */

/** A reference to a resource created beforehand in the Equos dashboard. */
export interface EquosResourceRef {
  id: string;
}

/** A LiveKit participant's identity and display name. */
export interface EquosParticipantIdentity {
  identity: string;
  name: string;
}

/** Body of `POST /v1/sessions` (the fields this product uses). */
export interface CreateEquosSessionRequest {
  name: string;
  client?: string;
  agent?: EquosResourceRef;
  avatar: EquosResourceRef;
  consumerIdentity?: EquosParticipantIdentity;
  /** Seconds; Equos ends the session by itself after it. */
  maxDuration?: number;
}

/** The avatar as Equos describes it inside a session. */
export interface EquosSessionAvatar {
  id: string;
  /** The avatar's LiveKit participant identity. */
  identity: string;
  name: string;
  thumbnailUrl?: string | null;
}

/** A session as Equos returns it. */
export interface EquosSession {
  id: string;
  organizationId?: string;
  name: string;
  client?: string | null;
  status: string;
  host: { serverUrl: string };
  avatarId?: string;
  avatar: EquosSessionAvatar;
  agentId?: string | null;
  maxDuration?: number | null;
  startedAt: string;
  endedAt?: string | null;
  createdAt?: string;
  updatedAt?: string;
}

/** Response of `POST /v1/sessions`. */
export interface CreateEquosSessionResponse {
  session: EquosSession;
  consumerAccessToken?: string;
  remoteAgentAccessToken?: string;
}

/** Query of `GET /v1/sessions`. */
export interface ListEquosSessionsParams {
  skip?: number;
  take?: number;
  client?: string;
}

/** Response of `GET /v1/sessions`. */
export interface ListEquosSessionsResponse {
  skip: number;
  take: number;
  total: number;
  sessions: EquosSession[];
}

/**
 * Per-call options. Our client honours them; an SDK instance ignores the extra argument,
 * which is why `resilientSessions` enforces deadlines on its own as well.
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

const EQUOS_ID = /^[\w.:-]{1,128}$/;

/** Whether `value` looks like an Equos resource id (safe to put in a URL path). */
export function isEquosId(value: string): boolean {
  return EQUOS_ID.test(value);
}
