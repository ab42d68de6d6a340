/**
 * The Equos v3 conversations API on the wire, as Equos' 3.x SDKs shape it: what the token
 * server sends and reads, and what the sandbox's stand-in answers. Only the fields this
 * product relies on are required; Equos sends more.
 *
 * Paths are under `{endpoint}/v3`, authenticated with `x-api-key`:
 * `POST /conversations`, `POST /conversations/{id}/stop`, `GET /conversations/{id}`,
 * `GET /conversations?take&skip&client` (take ≤ 50).
 *
 * @see ../../../shared/reference/equos-api.md
 */

/** A LiveKit participant's identity and display name. */
export interface EquosV3Participant {
  identity: string;
  name: string;
}

/** Body of `POST /v3/conversations` (the fields this product uses). */
export interface StartConversationRequest {
  name: string;
  /** The character (face, voice and brain) made beforehand in the Equos console. */
  characterId: string;
  /** The integrator's tag; the token server puts its deployment's here. */
  client?: string;
  consumer?: EquosV3Participant;
  /** Seconds; Equos ends the conversation by itself after it. */
  maxSeconds?: number;
  promptTemplateVars?: Record<string, string>;
}

/** The character as a conversation describes it. */
export interface EquosV3Character {
  id: string;
  name: string;
  /** The avatar's LiveKit participant identity. */
  livekitIdentity: string;
  thumbnailUrl?: string | null;
}

/** `running | blocked | ended | error`. */
export type ConversationStatus = 'running' | 'blocked' | 'ended' | 'error' | (string & {});

/** A conversation as Equos returns it. Billing runs from `startedAt` until `endedAt`. */
export interface EquosConversation {
  id: string;
  name: string;
  characterId: string;
  organizationId?: string;
  client?: string | null;
  status: ConversationStatus;
  maxSeconds?: number | null;
  /** The LiveKit room (the conversation's id in practice). */
  room?: string;
  /** The LiveKit server the browser joins. */
  serverUrl: string;
  character: EquosV3Character;
  consumerIdentity?: string | null;
  consumerName?: string | null;
  promptTemplateVars?: Record<string, string> | null;
  startedAt: string;
  endedAt?: string | null;
  createdAt?: string;
  updatedAt?: string;
}

/** Response of `POST /v3/conversations`. */
export interface StartConversationResponse {
  conversation: EquosConversation;
  consumerAccessToken?: string;
  remoteAgentAccessToken?: string;
}

/** Query of `GET /v3/conversations`. */
export interface ListConversationsParams {
  take?: number;
  skip?: number;
  client?: string;
}

/** Response of `GET /v3/conversations`. */
export interface ListConversationsResponse {
  skip: number;
  take: number;
  total: number;
  conversations: EquosConversation[];
}

/** The largest `take` the list accepts. */
export const MAX_CONVERSATIONS_PAGE = 50;
