/**
 * The Equos v1 session API on the wire, as Equos documents it and `@equos/node-sdk` 2.x
 * shapes it: what the token server sends and reads, and what the sandbox's stand-in answers.
 * Only the fields this product relies on are required; Equos sends more.
 *
 * Paths are under `{endpoint}/v1`, authenticated with `x-api-key`:
 * `POST /sessions`, `PATCH /sessions/{id}/stop`, `GET /sessions/{id}`, `GET /sessions?skip&take&client`.
 *
 * @see ../../../shared/reference/equos-api.md (the facts, read from the public SDK and docs)
 */

/** A reference to a resource made beforehand in the Equos dashboard. */
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
  /** The integrator's tag for its sessions; the token server puts its deployment's here. */
  client?: string;
  agent?: EquosResourceRef;
  avatar: EquosResourceRef;
  consumerIdentity?: EquosParticipantIdentity;
  /** Seconds; Equos ends the session by itself after it. */
  maxDuration?: number;
  /** Values for the agent's prompt template. */
  templateVars?: Record<string, string>;
}

/** The avatar as Equos describes it inside a session. */
export interface EquosSessionAvatar {
  id: string;
  /** The avatar's LiveKit participant identity. */
  identity: string;
  name: string;
  thumbnailUrl?: string | null;
}

/** A session as Equos returns it. Billing runs from `startedAt` until `endedAt`. */
export interface EquosSession {
  id: string;
  organizationId?: string;
  name: string;
  client?: string | null;
  /** `starting` right after create, `ended` once stopped. */
  status: string;
  /** The LiveKit server the browser joins. */
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
  /** The visitor's LiveKit token. */
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

/** The body of an Equos error answer (any non-2xx): `message` usually, `code` sometimes. */
export interface EquosErrorBody {
  message?: string;
  code?: string;
  statusCode?: number;
}
