/**
 * `/api/sessions`: start a paid Equos session for a visitor, and stop it.
 *
 * The create answer follows LiveKit's standard token-endpoint format (`201`, snake_case,
 * `server_url` + `participant_token`) so any LiveKit client can use it, plus what our widget
 * needs: the session id and its stop token, the avatar's identity and the limits.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { methodNotAllowed, ProblemError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Preset } from '../presets.js';
import type { StopTokens } from '../session/stop-token.js';
import { newVisitorIdentity, sanitiseDisplayName } from '../session/visitor.js';
import { EquosApiError } from '../upstream/errors.js';
import type { EquosSessionsGateway } from '../upstream/resilient-sessions.js';
import {
  isEquosId,
  type CreateEquosSessionRequest,
  type CreateEquosSessionResponse,
  type EquosParticipantIdentity,
} from '../upstream/types.js';
import { parseCreateSessionRequest } from './create-session-request.js';
import { readStopToken } from './stop-request.js';
import { readBody } from './request-body.js';

/** What the sessions routes depend on. */
export interface SessionRoutesDeps {
  presets: ReadonlyMap<string, Preset>;
  defaultPreset: string;
  equos: EquosSessionsGateway;
  stopTokens: StopTokens;
  logger: Logger;
  /** The `client` tag of this deployment's sessions. */
  clientTag: string;
}

/** The `201` body of a created session. */
export interface CreatedSessionBody {
  server_url: string;
  participant_token: string;
  session_id: string;
  stop_token: string;
  avatar_identity: string;
  avatar_name: string;
  avatar_thumbnail_url?: string;
  max_duration_s: number;
  started_at: string;
}

const DEFAULT_VISITOR_NAME = 'Visitor';
const NO_STORE = { 'Cache-Control': 'no-store' } as const;

/** Mounts at `/api/sessions`. */
export function sessionRoutes(deps: SessionRoutesDeps): Hono<AppEnv> {
  const { presets, equos, stopTokens, logger } = deps;
  const app = new Hono<AppEnv>();

  app.post('/', async (c) => {
    const request = parseCreateSessionRequest(await readBody(c, ['json']));
    const presetName = request.presetName ?? deps.defaultPreset;
    const preset = presets.get(presetName);
    if (!preset) {
      throw new ProblemError('unknown-preset', { detail: `No preset is named "${presetName.slice(0, 64)}".` });
    }
    const visitor = {
      identity: newVisitorIdentity(),
      name: (request.participantName && sanitiseDisplayName(request.participantName)) || DEFAULT_VISITOR_NAME,
    };

    // Deliberately not tied to the request's signal: aborting a create half-way could leave
    // a session running at Equos that we never heard of. Let it finish, then stop it below
    // if the browser has gone.
    const created = await equos.create(toEquosRequest(preset, visitor, deps.clientTag));
    const sessionId = typeof created?.session?.id === 'string' ? created.session.id : undefined;
    const log = { request_id: c.get('requestId'), session_id: sessionId, preset: preset.name };
    if (!sessionId) {
      logger.error('session.create.invalid-response', log);
      throw new EquosApiError('invalid-response', 'Equos answered create without a session id');
    }
    const body = toCreatedBody(created, preset, await stopTokens.sign(sessionId));
    if (!body) {
      logger.error('session.create.invalid-response', log);
      await stopQuietly(sessionId, 'invalid-response');
      throw new EquosApiError('invalid-response', 'Equos answered create without the fields a browser needs');
    }
    if (c.req.raw.signal.aborted) {
      // Nobody will read this answer, so nobody could ever stop the session: stop it now.
      logger.warn('session.create.abandoned', log);
      await stopQuietly(sessionId, 'browser-gone');
      return c.body(null, 499 as never);
    }
    logger.info('session.created', { ...log, origin: c.get('origin'), max_duration_s: preset.maxDurationS });
    return c.json(body, 201, NO_STORE);
  });

  app.post('/:id/stop', async (c) => {
    const id = c.req.param('id');
    if (!isEquosId(id)) throw new ProblemError('session-not-found', { detail: 'This is not a session id.' });
    const token = readStopToken(await readBody(c, ['json', 'text']));
    if (token === undefined || !(await stopTokens.verify(id, token))) {
      throw new ProblemError('invalid-stop-token');
    }
    try {
      const session = await equos.stop(id);
      logger.info('session.stopped', { request_id: c.get('requestId'), session_id: id, ended_at: session.endedAt ?? null });
      return c.json({ session_id: id, status: 'stopped', ended_at: session.endedAt ?? null }, 200, NO_STORE);
    } catch (error) {
      if (error instanceof EquosApiError && error.kind === 'http' && error.status === 404) {
        throw new ProblemError('session-not-found', { detail: 'Equos does not know this session.' });
      }
      throw error;
    }
  });

  app.all('/', methodNotAllowed('POST'));
  app.all('/:id/stop', methodNotAllowed('POST'));

  /** Best effort: used only where the session must not outlive a failed create. */
  async function stopQuietly(sessionId: string, reason: string): Promise<void> {
    try {
      await equos.stop(sessionId);
      logger.info('session.stopped', { session_id: sessionId, reason });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.error('session.stop.failed', { session_id: sessionId, reason, error: message });
    }
  }

  return app;
}

/** What Equos is asked for: everything from the preset, only the name from the visitor. */
function toEquosRequest(preset: Preset, visitor: EquosParticipantIdentity, clientTag: string): CreateEquosSessionRequest {
  return {
    name: `${preset.displayName} (web widget)`,
    client: clientTag,
    ...(preset.agentId ? { agent: { id: preset.agentId } } : {}),
    avatar: { id: preset.avatarId },
    consumerIdentity: visitor,
    maxDuration: preset.maxDurationS,
  };
}

/** The browser's view of a created session, or `null` when Equos left out what it needs. */
function toCreatedBody(created: CreateEquosSessionResponse, preset: Preset, stopToken: string): CreatedSessionBody | null {
  const session = created?.session;
  const serverUrl = session?.host?.serverUrl;
  const token = created?.consumerAccessToken;
  const avatarIdentity = session?.avatar?.identity;
  if (typeof serverUrl !== 'string' || typeof token !== 'string' || typeof avatarIdentity !== 'string' || !token) {
    return null;
  }
  const thumbnail = preset.thumbnailUrl ?? session.avatar.thumbnailUrl ?? undefined;
  return {
    server_url: serverUrl,
    participant_token: token,
    session_id: session.id,
    stop_token: stopToken,
    avatar_identity: avatarIdentity,
    // The launcher already said "Talk to <display name>"; the panel must say the same name,
    // not whatever the avatar is called internally in the Equos dashboard.
    avatar_name: preset.displayName,
    ...(thumbnail ? { avatar_thumbnail_url: thumbnail } : {}),
    // Equos may clamp the duration to the organisation's limit; its figure wins.
    max_duration_s: typeof session.maxDuration === 'number' && session.maxDuration > 0 ? session.maxDuration : preset.maxDurationS,
    started_at: typeof session.startedAt === 'string' ? session.startedAt : new Date().toISOString(),
  };
}
