/**
 * `POST /api/sessions`: start a paid Equos session for a visitor.
 *
 * Order matters for the money: the visitor is admitted (rates, caps, budget) and recorded as
 * pending in the ledger before Equos is called, the session is recorded as running before the
 * browser gets its token, and any failure after Equos answered stops the session at once.
 *
 * The answer follows LiveKit's standard token-endpoint format (`201`, snake_case,
 * `server_url` + `participant_token`) so any LiveKit client can use it, plus what our widget
 * needs: the session id and its stop token, the avatar's identity, the limits, and how often
 * to send heartbeats.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { methodNotAllowed, ProblemError } from '../errors.js';
import { forgetPending, settleStopped, type LedgerStore } from '../ledger/store.js';
import type { Logger } from '../logger.js';
import type { Preset } from '../presets.js';
import { admit, type AdmissionTicket, type SessionLimits } from '../session/admission.js';
import { clientAddress, type TrustedProxy } from '../session/client-address.js';
import type { StopTokens } from '../session/stop-token.js';
import { newVisitorIdentity, sanitiseDisplayName } from '../session/visitor.js';
import { EquosApiError, mayHaveStarted } from '../upstream/errors.js';
import type { EquosSessionsGateway } from '../upstream/resilient-sessions.js';
import type { CreateEquosSessionRequest, CreateEquosSessionResponse, EquosParticipantIdentity } from '../../../contract/equos/v1.js';
import type { CreatedSession } from '../../../contract/token-server-api.js';
import { parseCreateSessionRequest } from './create-session-request.js';
import { ledgerStep } from './ledger-step.js';
import { readBody } from './request-body.js';
import { NO_STORE, sessionActionRoutes } from './session-actions.js';

/** What the sessions routes depend on. */
export interface SessionRoutesDeps {
  presets: ReadonlyMap<string, Preset>;
  defaultPreset: string;
  equos: EquosSessionsGateway;
  store: LedgerStore;
  stopTokens: StopTokens;
  visitorKey: (address: string) => Promise<string>;
  limits: SessionLimits;
  trustedProxy: TrustedProxy | undefined;
  /** How often the browser should send heartbeats, in seconds. */
  heartbeatIntervalS: number;
  logger: Logger;
  /** The `client` tag of this deployment's sessions. */
  clientTag: string;
  /** Clock in ms [Date.now]. */
  now: () => number;
  /** Told when a failed create may have left a session at Equos that the ledger does not know. */
  onPossibleOrphan: () => void;
}

const DEFAULT_VISITOR_NAME = 'Visitor';

/** Mounts at `/api/sessions`. */
export function sessionRoutes(deps: SessionRoutesDeps): Hono<AppEnv> {
  const { presets, equos, store, logger, now } = deps;
  const app = new Hono<AppEnv>();

  app.post('/', async (c) => {
    const request = parseCreateSessionRequest(await readBody(c, ['json']));
    const presetName = request.presetName ?? deps.defaultPreset;
    const preset = presets.get(presetName);
    if (!preset) {
      throw new ProblemError('unknown-preset', { detail: `No preset is named "${presetName.slice(0, 64)}".` });
    }
    const visitorKey = await deps.visitorKey(clientAddress(c, deps.trustedProxy));
    const ticket = await ledgerStep(() =>
      admit(store, deps.limits, { visitorKey, preset: preset.name, origin: c.get('origin'), maxDurationS: preset.maxDurationS, now: now() }),
    );

    const visitor = {
      identity: newVisitorIdentity(),
      name: (request.participantName && sanitiseDisplayName(request.participantName)) || DEFAULT_VISITOR_NAME,
    };
    let created: CreateEquosSessionResponse;
    try {
      // Deliberately not tied to the request's signal: aborting a create half-way could leave
      // a session running at Equos that we never heard of. Let it finish, then stop it below
      // if the browser has gone.
      created = await equos.create(toEquosRequest(preset, visitor, deps.clientTag));
    } catch (error) {
      if (mayHaveStarted(error)) await possibleOrphan(ticket);
      else await forgetPending(store, ticket.pending).catch(() => {});
      throw error;
    }
    return finishCreate(c, created, preset, ticket);
  });

  /**
   * After a create that may have started a session the ledger does not know: its admission
   * stays in the ledger as `unresolved` (no longer counted against the caps), the durable
   * trace that the reaper of any instance follows once the create is surely over (it sweeps
   * for the orphan, then forgets the admission and refunds its reservation), even if this
   * instance dies now. This instance also sweeps early.
   */
  async function possibleOrphan(ticket: AdmissionTicket): Promise<void> {
    await store.markUnresolved(ticket.pending.id).catch(() => {});
    deps.onPossibleOrphan();
  }

  /** Records the new session, then hands the browser what it needs, or stops it if it cannot. */
  async function finishCreate(c: Context<AppEnv>, created: CreateEquosSessionResponse, preset: Preset, ticket: AdmissionTicket) {
    const sessionId = typeof created?.session?.id === 'string' ? created.session.id : undefined;
    const log = { request_id: c.get('requestId'), session_id: sessionId, preset: preset.name };
    const fail = async (reason: string, problem: Error) => {
      logger.error('session.create.failed', { ...log, reason });
      // Without an id, or with a stop that did not get through, only the orphan sweep can end it.
      if (sessionId && (await stopQuietly(sessionId, reason))) await forgetPending(store, ticket.pending).catch(() => {});
      else await possibleOrphan(ticket);
      throw problem;
    };
    if (!sessionId) return fail('no-session-id', new EquosApiError('invalid-response', 'Equos answered create without a session id'));
    const body = toCreatedBody(created, preset, await deps.stopTokens.sign(sessionId), deps.heartbeatIntervalS);
    if (!body) return fail('incomplete-answer', new EquosApiError('invalid-response', 'Equos answered create without the fields a browser needs'));

    const answeredAt = now();
    const startedAt = billingStart(body.started_at, ticket.pending.createdAt, answeredAt);
    try {
      await store.activate(ticket.pending.id, {
        ...ticket.pending,
        id: sessionId,
        createdAt: startedAt,
        deadline: startedAt + body.max_duration_s * 1000,
        lastHeartbeat: answeredAt,
        state: 'running',
      });
    } catch {
      // A session the ledger does not know could run (and bill) forever: never hand it out.
      return fail('ledger-unavailable', new ProblemError('ledger-unavailable'));
    }
    if (c.req.raw.signal.aborted) {
      // Nobody will read this answer, so nobody could ever stop the session: stop it now.
      logger.warn('session.create.abandoned', log);
      await stopQuietly(sessionId, 'browser-gone');
      return c.body(null, 499 as never);
    }
    logger.info('session.created', { ...log, origin: c.get('origin'), max_duration_s: body.max_duration_s });
    return c.json(body, 201, NO_STORE);
  }

  /**
   * Best effort, for sessions that must not outlive a failed create; the reaper retries.
   * Resolves with whether Equos confirmed the stop.
   */
  async function stopQuietly(sessionId: string, reason: string): Promise<boolean> {
    try {
      await equos.stop(sessionId);
      await settleStopped(store, sessionId, now()).catch(() => null);
      logger.info('session.stopped', { session_id: sessionId, reason });
      return true;
    } catch (error) {
      await store.recordStopFailure(sessionId, now()).catch(() => {});
      logger.error('session.stop.failed', { session_id: sessionId, reason, error: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }

  app.all('/', methodNotAllowed('POST'));
  app.route('/', sessionActionRoutes(deps));
  return app;
}

/**
 * When Equos started billing: its own `startedAt`, trusted only between our admission and its
 * answer (a skewed clock must not push the deadline later, nor a bogus date earlier).
 */
function billingStart(startedAt: string, admittedAt: number, answeredAt: number): number {
  const reported = Date.parse(startedAt);
  return Number.isFinite(reported) ? Math.min(answeredAt, Math.max(admittedAt, reported)) : admittedAt;
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
function toCreatedBody(created: CreateEquosSessionResponse, preset: Preset, stopToken: string, heartbeatIntervalS: number): CreatedSession | null {
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
    heartbeat_interval_s: heartbeatIntervalS,
  };
}
