/**
 * Starting a paid Equos session for a visitor, in the order that keeps the money safe: the
 * visitor is admitted (rates, caps, budget) and recorded as pending in the ledger before
 * Equos is called; the session is recorded as running before the browser gets its token; and
 * a session that cannot be handed out is stopped at once, or, when that cannot be confirmed,
 * left as a trace the orphan sweep follows.
 */
import type { CreatedSession } from '../../../contract/token-server-api.js';
import { faceOf, type Preset } from '../config/presets.js';
import type { SessionLimits } from '../config/settings.js';
import { EquosApiError, mayHaveStarted } from '../equos/errors.js';
import type { EquosGateway } from '../equos/gateway.js';
import type { StartedSession, StartRequest } from '../equos/upstream.js';
import type { LedgerConsent, LedgerStore } from '../ledger/store.js';
import { isLoopbackHost } from '../internal/loopback.js';
import type { Logger } from '../logger.js';
import { NO_METRICS, type MetricsRecorder } from '../observability/metrics.js';
import { ProblemError } from '../problems.js';
import { newVisitorIdentity, sanitiseDisplayName } from '../visitors/visitor.js';
import { admit, type AdmissionTicket } from './admission.js';
import { consentFor } from './consent.js';
import { ledgerStep } from './ledger-step.js';
import { templateVarsFor } from './page-vars.js';
import type { SessionLedger } from './session-ledger.js';
import type { StopSession } from './stop-session.js';
import type { StopTokens } from './stop-tokens.js';

/** A visitor's request, already parsed. */
export interface CreateSessionInput {
  /** [the default preset] */
  presetName?: string | undefined;
  participantName?: string | undefined;
  /** Template variables the page filled (checked against the preset's `page_vars`). */
  pageVars?: Readonly<Record<string, string>> | undefined;
  /** The visitor's consent to the site's AI disclosure, as parsed (its time and version are checked here). */
  consent?: LedgerConsent | undefined;
  /** Who is asking (a keyed hash of their network), for the limits. */
  visitorKey: string;
  origin: string | null;
  /** Aborted when the browser that asked has gone: its session is then stopped, never handed out. */
  callerGone?: AbortSignal;
  /** For log lines. */
  requestId?: string;
}

/** The browser left before its session could be handed over (the session was stopped). */
export class CallerGoneError extends Error {
  constructor() {
    super('The browser went away before its session was handed over.');
    this.name = 'CallerGoneError';
  }
}

/** Creates sessions. */
export type CreateSession = (input: CreateSessionInput) => Promise<CreatedSession>;

/** What creating a session needs. */
export interface CreateSessionDeps {
  presets: readonly Preset[];
  defaultPreset: string;
  equos: EquosGateway;
  /** The ledger's counters (rates, budget). */
  store: LedgerStore;
  ledger: SessionLedger;
  stopSession: StopSession;
  stopTokens: StopTokens;
  limits: SessionLimits;
  /** The disclosure version a visitor must have accepted (CONSENT_VERSION) [null: consent optional, recorded when given]. */
  consentVersion?: string | null;
  /** The `client` tag of this deployment's sessions (read from the ledger; 503 when it cannot be). */
  clientTag: () => Promise<string>;
  /** How often the browser should send heartbeats, in ms. */
  heartbeatIntervalMs: number;
  /**
   * Told when a failed create may have left a session at Equos that the ledger does not
   * know (the orphan sweeper then sweeps early).
   */
  onPossibleOrphan: () => void;
  /**
   * The URL of a preset's own picture for the panel, e.g. this server's resized copy
   * [its `thumbnailUrl`, the source].
   */
  presetPicture?: (preset: Preset) => string | undefined;
  logger: Logger;
  /** [nowhere] */
  metrics?: MetricsRecorder;
  now: () => number;
}

const DEFAULT_VISITOR_NAME = 'Visitor';

/**
 * Creates the use case.
 *
 * @throws (from the returned function) ProblemError for refusals and a ledger that is down,
 *   EquosApiError when Equos fails, CallerGoneError when the browser left
 */
export function createCreateSession(deps: CreateSessionDeps): CreateSession {
  const { equos, store, ledger, logger, metrics = NO_METRICS, now } = deps;
  const presets = new Map(deps.presets.map((preset) => [preset.name, preset]));

  /**
   * After a create that may have started a session the ledger does not know: its admission
   * stays in the ledger as `unresolved` (no longer counted against the caps), the durable
   * trace that the reaper of any instance follows once the create is surely over, even if
   * this instance dies now. This instance also sweeps early.
   */
  async function possibleOrphan(ticket: AdmissionTicket): Promise<void> {
    await ledger.markUnresolved(ticket.pending.id).catch(() => {});
    deps.onPossibleOrphan();
  }

  return async function createSession(input) {
    const presetName = input.presetName ?? deps.defaultPreset;
    const preset = presets.get(presetName);
    if (!preset) throw new ProblemError('unknown-preset', { detail: `No preset is named "${presetName.slice(0, 64)}".` });
    // Refused before anything is counted or paid for.
    const templateVars = templateVarsFor(preset, input.pageVars);
    const consent = consentFor(input.consent, deps.consentVersion ?? null, now());
    const ticket = await ledgerStep(() =>
      admit(store, ledger, deps.limits, { visitorKey: input.visitorKey, preset: preset.name, origin: input.origin, maxDurationS: preset.maxDurationS, consent, now: now() }),
    );
    const clientTag = await deps.clientTag();
    const visitor = {
      identity: newVisitorIdentity(),
      name: (input.participantName && sanitiseDisplayName(input.participantName)) || DEFAULT_VISITOR_NAME,
    };
    let created: StartedSession;
    try {
      // Deliberately not tied to the caller: aborting a create half-way could leave a session
      // running at Equos that we never heard of. Let it finish, then stop it if the caller has gone.
      created = await equos.create(toEquosRequest(preset, visitor, clientTag, templateVars));
    } catch (error) {
      if (mayHaveStarted(error)) await possibleOrphan(ticket);
      else await ledger.forget(ticket.pending).catch(() => {});
      throw error;
    }
    return handOut(created, preset, ticket, input);
  };

  /** Records the new session, then hands the browser what it needs, or stops it if it cannot. */
  async function handOut(created: StartedSession, preset: Preset, ticket: AdmissionTicket, input: CreateSessionInput): Promise<CreatedSession> {
    const sessionId = created.session.id || undefined;
    const log = { request_id: input.requestId, session_id: sessionId, preset: preset.name };
    const fail = async (reason: string, problem: Error): Promise<never> => {
      logger.error('session.create.failed', { ...log, reason });
      // Without an id, or with a stop Equos did not confirm, only the orphan sweep can end it.
      const outcome = sessionId ? await deps.stopSession(sessionId, 'failed-create') : undefined;
      if (outcome?.kind === 'stopped' || outcome?.kind === 'unknown') await ledger.forget(ticket.pending).catch(() => {});
      else await possibleOrphan(ticket);
      throw problem;
    };
    if (!sessionId) return fail('no-session-id', new EquosApiError('invalid-response', 'Equos answered create without a session id'));
    const picture = preset.thumbnailUrl && (deps.presetPicture?.(preset) ?? preset.thumbnailUrl);
    const body = toCreatedSession(created, preset, picture, await deps.stopTokens.sign(sessionId), deps.heartbeatIntervalMs);
    if (!body) return fail('incomplete-answer', new EquosApiError('invalid-response', 'Equos answered create without the fields a browser needs'));

    const answeredAt = now();
    const startedAt = billingStart(body.started_at, ticket.pending.createdAt, answeredAt);
    try {
      await ledger.activate(ticket.pending, { id: sessionId, createdAt: startedAt, deadline: startedAt + body.max_duration_s * 1000, lastHeartbeat: answeredAt });
    } catch {
      // A session the ledger does not know could run (and bill) forever: never hand it out.
      return fail('ledger-unavailable', new ProblemError('ledger-unavailable'));
    }
    if (input.callerGone?.aborted) {
      // Nobody will read this answer, so nobody could ever stop the session: stop it now.
      logger.warn('session.create.abandoned', log);
      await deps.stopSession(sessionId, 'browser-gone');
      throw new CallerGoneError();
    }
    const granted = created.session.maxDurationS;
    if (granted !== null && granted > preset.maxDurationS) {
      // Equos will not end it by itself in time; the ledger's deadline (the preset's) still holds.
      logger.warn('session.duration.longer', { ...log, preset_max_duration_s: preset.maxDurationS, equos_max_duration_s: granted });
    }
    // Of the consent only its version is logged: the ledger keeps the rest.
    logger.info('session.created', { ...log, origin: input.origin, max_duration_s: body.max_duration_s, ...(ticket.pending.consent ? { consent_version: ticket.pending.consent.version } : {}) });
    metrics.sessionCreated(preset.name);
    return body;
  }
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
function toEquosRequest(preset: Preset, visitor: { identity: string; name: string }, clientTag: string, templateVars: Record<string, string> | undefined): StartRequest {
  return { name: `${preset.displayName} (web widget)`, client: clientTag, face: faceOf(preset), visitor, maxDurationS: preset.maxDurationS, ...(templateVars ? { templateVars } : {}) };
}

/** The duration a session gets: the preset's, or Equos' figure when that is shorter. */
function grantedDuration(answered: unknown, presetS: number): number {
  return typeof answered === 'number' && answered > 0 ? Math.min(answered, presetS) : presetS;
}

/**
 * A thumbnail URL from Equos, if a page can show it safely: `https:`, or `http:` on loopback
 * (the local sandbox). Anything else (`javascript:`, `data:`, plain http on the Internet) is
 * dropped rather than handed to every visitor's browser.
 */
function safeThumbnailUrl(url: unknown): string | undefined {
  if (typeof url !== 'string' || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') return parsed.href;
  return parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname) ? parsed.href : undefined;
}

/** The browser's view of a created session, or `null` when Equos left out what it needs. */
function toCreatedSession(created: StartedSession, preset: Preset, presetPicture: string | undefined, stopToken: string, heartbeatIntervalMs: number): CreatedSession | null {
  const { session, join } = created;
  if (!join) return null;
  const thumbnail = presetPicture || safeThumbnailUrl(join.thumbnailUrl);
  return {
    server_url: join.serverUrl,
    participant_token: join.consumerToken,
    session_id: session.id,
    stop_token: stopToken,
    avatar_identity: join.avatarIdentity,
    // The launcher already said "Talk to <display name>"; the panel must say the same name,
    // not whatever the avatar is called internally in the Equos dashboard.
    avatar_name: preset.displayName,
    ...(thumbnail ? { avatar_thumbnail_url: thumbnail } : {}),
    // Equos may clamp the duration to the organisation's limit (shorter wins), but a longer
    // answer must not stretch the deadline past what the preset (and the budget) allow.
    max_duration_s: grantedDuration(session.maxDurationS, preset.maxDurationS),
    started_at: session.startedAt || new Date().toISOString(),
    heartbeat_interval_s: heartbeatIntervalMs / 1000,
  };
}
