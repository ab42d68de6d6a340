/**
 * Equos as the use cases see it, whichever API generation a deployment is on: v1 sessions
 * (`@equos/node-sdk` 2.x `client.sessions`) or v3 conversations (3.x `client.conversations`).
 * Each adapter reads its generation's real shapes defensively (an answer may lack anything)
 * and gives the one shape below, so the ledger, the stop, the reaper and the sweep are the
 * same code on both.
 */
import type { EquosSession } from '../../../contract/equos/v1.js';
import { MAX_CONVERSATIONS_PAGE, type EquosConversation } from '../../../contract/equos/v3.js';
import type { EquosCallOptions, EquosClientLike, EquosConversationsApi, EquosSessionsApi } from './sdk.js';

/** Which API generation. */
export type EquosGeneration = 'v1' | 'v3';

/** A session (v1) or a conversation (v3), as far as the use cases need it. */
export interface UpstreamSession {
  id: string;
  client: string | null;
  status: string;
  startedAt: string;
  endedAt: string | null;
  /** The maximum duration Equos granted, in seconds; null when it did not say. */
  maxDurationS: number | null;
}

/** What a browser needs to join, when Equos' answer has all of it. */
export interface JoinDetails {
  serverUrl: string;
  consumerToken: string;
  avatarIdentity: string;
  thumbnailUrl: string | null;
}

/** The answer to a start: the session (its id '' when Equos gave none) and how to join it. */
export interface StartedSession {
  session: UpstreamSession;
  join: JoinDetails | null;
}

/** Who to start: a v1 avatar (and agent), or a v3 character. */
export type EquosFace = { generation: 'v1'; avatarId: string; agentId?: string } | { generation: 'v3'; characterId: string };

/** A start, in the generation's terms by the adapter. */
export interface StartRequest {
  name: string;
  client: string;
  face: EquosFace;
  visitor: { identity: string; name: string };
  maxDurationS: number;
  /** The page's template variables, already checked against the preset and cleaned. */
  templateVars?: Record<string, string>;
}

/** The calls, on either generation. */
export interface EquosUpstream {
  readonly generation: EquosGeneration;
  start(request: StartRequest, options: EquosCallOptions): Promise<StartedSession>;
  /** Equos' answer to a stop: the session, or null when it said nothing about it (v3 answers null when stopped or unknown). */
  stop(id: string, options: EquosCallOptions): Promise<UpstreamSession | null>;
  get(id: string, options: EquosCallOptions): Promise<UpstreamSession>;
  list?(params: { client: string; skip: number; take: number }, options: EquosCallOptions): Promise<{ total: number; sessions: UpstreamSession[] }>;
  /** The largest page `list` accepts. */
  readonly maxPage: number;
}

/** Equos' API of `client`: `sessions` (v1) or `conversations` (v3). */
export function upstreamOf(client: EquosClientLike): EquosUpstream {
  if ('conversations' in client && client.conversations) return v3Upstream(client.conversations);
  if ('sessions' in client && client.sessions) return v1Upstream(client.sessions);
  throw new TypeError('An Equos client has `sessions` (v1, @equos/node-sdk 2.x) or `conversations` (v3, 3.x).');
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const seconds = (value: unknown): number | null => (typeof value === 'number' && value > 0 ? value : null);
const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});

/** A session or a conversation as Equos answered it; the generations differ only in the duration's name. */
function readSession(raw: unknown, durationField: 'maxDuration' | 'maxSeconds'): UpstreamSession {
  const session = record(raw);
  return { id: text(session.id) ?? '', client: text(session.client), status: text(session.status) ?? '', startedAt: text(session.startedAt) ?? '', endedAt: text(session.endedAt), maxDurationS: seconds(session[durationField]) };
}

/** How a browser joins, if the answer has all of it (the avatar's LiveKit identity: v1's `avatar.identity`, v3's `character.livekitIdentity`). */
function joinOf(serverUrl: unknown, consumerToken: unknown, avatarIdentity: unknown, thumbnailUrl: unknown): JoinDetails | null {
  const [url, token, identity] = [text(serverUrl), text(consumerToken), text(avatarIdentity)];
  return url && token && identity ? { serverUrl: url, consumerToken: token, avatarIdentity: identity, thumbnailUrl: text(thumbnailUrl) } : null;
}

/** The v1 session API (`client.sessions`). */
export function v1Upstream(api: EquosSessionsApi): EquosUpstream {
  const read = (raw: unknown) => readSession(raw, 'maxDuration' satisfies keyof EquosSession);
  return {
    generation: 'v1',
    maxPage: 100,
    async start(request, options) {
      if (request.face.generation !== 'v1') throw new TypeError('a v1 deployment starts avatars, not characters');
      const answer = record(
        await api.create(
          {
            name: request.name,
            client: request.client,
            ...(request.face.agentId ? { agent: { id: request.face.agentId } } : {}),
            avatar: { id: request.face.avatarId },
            consumerIdentity: request.visitor,
            maxDuration: request.maxDurationS,
            ...(request.templateVars ? { templateVars: request.templateVars } : {}),
          },
          options,
        ),
      );
      const session = record(answer.session);
      const avatar = record(session.avatar);
      return { session: read(session), join: joinOf(record(session.host).serverUrl, answer.consumerAccessToken, avatar.identity, avatar.thumbnailUrl) };
    },
    stop: async (id, options) => read(await api.stop(id, options)),
    get: async (id, options) => read(await api.get(id, options)),
    ...(api.list
      ? {
          async list(params: { client: string; skip: number; take: number }, options: EquosCallOptions) {
            const page = record(await api.list!(params, options));
            return { total: Number(page.total) || 0, sessions: (Array.isArray(page.sessions) ? page.sessions : []).map(read) };
          },
        }
      : {}),
  };
}

/** The v3 conversations API (`client.conversations`). */
export function v3Upstream(api: EquosConversationsApi): EquosUpstream {
  const read = (raw: unknown) => readSession(raw, 'maxSeconds' satisfies keyof EquosConversation);
  return {
    generation: 'v3',
    maxPage: MAX_CONVERSATIONS_PAGE,
    async start(request, options) {
      if (request.face.generation !== 'v3') throw new TypeError('a v3 deployment starts characters, not avatars');
      const answer = record(
        await api.startConversation(
          {
            name: request.name,
            characterId: request.face.characterId,
            client: request.client,
            consumer: request.visitor,
            maxSeconds: request.maxDurationS,
            ...(request.templateVars ? { promptTemplateVars: request.templateVars } : {}),
          },
          options,
        ),
      );
      const conversation = record(answer.conversation);
      const character = record(conversation.character);
      return { session: read(conversation), join: joinOf(conversation.serverUrl, answer.consumerAccessToken, character.livekitIdentity, character.thumbnailUrl) };
    },
    async stop(id, options) {
      const answer = await api.stopConversation(id, options);
      return answer === null || answer === undefined ? null : read(answer);
    },
    get: async (id, options) => read(await api.getConversation(id, options)),
    ...(api.listConversations
      ? {
          async list(params: { client: string; skip: number; take: number }, options: EquosCallOptions) {
            const page = record(await api.listConversations!({ ...params, take: Math.min(params.take, MAX_CONVERSATIONS_PAGE) }, options));
            return { total: Number(page.total) || 0, sessions: (Array.isArray(page.conversations) ? page.conversations : []).map(read) };
          },
        }
      : {}),
  };
}
