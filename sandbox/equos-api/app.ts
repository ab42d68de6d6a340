/**
 * A stand-in for the Equos v1 session API: same paths, shapes and auth as Equos, sessions
 * that start, end on stop or after `maxDuration`, LiveKit tokens for the visitor, and
 * injectable faults. The token server cannot tell it from Equos.
 */
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { CreateEquosSessionRequest, EquosSession } from '../../contract/equos/v1.js';
import type { EquosConversation, StartConversationRequest } from '../../contract/equos/v3.js';
import { FaultPlan, isFault, type Fault, type FaultRoute } from './faults.js';
import { mintLiveKitToken, type LiveKitCredentials } from './livekit-token.js';
import { DoubleState, type DoubleSession } from './state.js';

/** An avatar the double knows. */
export interface DoubleAvatar {
  identity: string;
  name: string;
  thumbnailUrl?: string;
}

/** Options of `createEquosApiDouble`. */
export interface EquosApiDoubleOptions {
  /** The only API key accepted in `x-api-key`. */
  apiKey: string;
  /** The LiveKit server whose tokens the double mints [a placeholder on 127.0.0.1:7880]. */
  livekit?: LiveKitCredentials;
  /** Known avatars (v1) by id; unknown ids get a generated one. */
  avatars?: Record<string, DoubleAvatar>;
  /** Known characters (v3) by id, their `identity` the avatar's LiveKit identity; unknown ids get a generated one. */
  characters?: Record<string, DoubleAvatar>;
  /**
   * End sessions by themselves when `maxDuration` passes, as Equos does [true]. Off, only stops
   * end them: the worst case for a bill, used to prove the token server's own guarantees.
   */
  autoEnd?: boolean;
  /** PNG pictures of known avatars, served at `/avatars/<id>.png` like Equos' thumbnails. */
  thumbnails?: Record<string, Uint8Array>;
  /** Clock [Date.now]. */
  now?: () => number;
}

/** The double: its app plus handles for tests. */
export interface EquosApiDouble {
  app: Hono<{ Bindings: HttpBindings }>;
  state: DoubleState;
  faults: FaultPlan;
}

const DEFAULT_LIVEKIT: LiveKitCredentials = {
  url: 'ws://127.0.0.1:7880',
  apiKey: 'sandbox',
  apiSecret: 'sandbox-livekit-secret-0123456789abcdef',
};

/** The demo avatar of the local sandbox. */
export const SANDBOX_AVATARS: Record<string, DoubleAvatar> = {
  'sandbox-avatar': { identity: 'sandbox-avatar', name: 'Ava' },
};

/** The demo avatar as a v3 character (its face, voice and brain in one). */
export const SANDBOX_CHARACTERS: Record<string, DoubleAvatar> = {
  'sandbox-character': { identity: 'sandbox-avatar', name: 'Ava' },
};

type Ctx = Context<{ Bindings: HttpBindings }>;

/**
 * Creates the double.
 *
 * @example
 * const { app, state, faults } = createEquosApiDouble({ apiKey: 'sk_test_…' });
 * faults.inject('stop', { kind: 'status', status: 503 }, { times: 2 });
 */
export function createEquosApiDouble(options: EquosApiDoubleOptions): EquosApiDouble {
  const state = new DoubleState(options.now, options.autoEnd ?? true);
  const faults = new FaultPlan();
  const livekit = options.livekit ?? DEFAULT_LIVEKIT;
  const avatars = options.avatars ?? SANDBOX_AVATARS;
  const characters = options.characters ?? SANDBOX_CHARACTERS;
  const app = new Hono<{ Bindings: HttpBindings }>();
  let sequence = 0;

  const equosError = (c: Ctx, status: number, message: string, code: string) =>
    c.json({ message, code, statusCode: status }, status as 400);

  /** Records the call, then applies a queued fault; returns a response to send, or the fault that shapes the answer. */
  async function enter(c: Ctx, route: FaultRoute, sessionId?: string): Promise<Response | Exclude<Fault, { kind: 'status' | 'delay' | 'drop' }> | undefined> {
    state.record({ route, method: c.req.method, path: c.req.path, ...(sessionId ? { sessionId } : {}) });
    const fault = faults.take(route);
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === 'drop') {
      c.env.incoming.socket.destroy();
      return new Response(null, { status: 503 });
    }
    if (fault?.kind === 'status') {
      return equosError(c, fault.status, fault.message ?? 'Injected failure', fault.code ?? 'SANDBOX_FAULT');
    }
    if (c.req.header('x-api-key') !== options.apiKey) return equosError(c, 401, 'Invalid API key', 'UNAUTHORIZED');
    return fault?.kind === 'delay' ? undefined : fault;
  }

  /** Starts a session of either generation in the one state (the LiveKit room and the demo avatar follow it). */
  async function startSession(
    c: Ctx,
    start: { generation: 'v1' | 'v3'; name: string; client: string | undefined; face: string; known: DoubleAvatar | undefined; agentId: string | null; visitor: { identity: string; name: string } | undefined; maxDuration: number | undefined; thumbnailOverride: string | undefined },
  ): Promise<{ session: EquosSession; consumerAccessToken: string }> {
    sequence += 1;
    const now = new Date(state.now()).toISOString();
    const id = `${start.generation === 'v3' ? 'conv' : 'ses'}_${sequence.toString(36)}${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const avatar = start.known ?? { identity: `avatar-${start.face}`, name: `Avatar ${start.face}` };
    const thumbnailUrl = options.thumbnails?.[start.face] ? new URL(`/avatars/${start.face}.png`, c.req.url).href : null;
    const session: EquosSession = {
      id,
      organizationId: 'org_sandbox',
      name: start.name,
      client: start.client ?? null,
      status: start.generation === 'v3' ? 'running' : 'starting',
      host: { serverUrl: livekit.url },
      avatarId: start.face,
      avatar: { id: start.face, ...avatar, thumbnailUrl: start.thumbnailOverride ?? avatar.thumbnailUrl ?? thumbnailUrl },
      agentId: start.agentId,
      maxDuration: start.maxDuration ?? null,
      startedAt: now,
      endedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    state.start(session, start.generation);
    const visitor = start.visitor ?? { identity: `consumer-${id}`, name: 'Visitor' };
    return { session, consumerAccessToken: await mintLiveKitToken(livekit, { ...visitor, room: id }, state.now()) };
  }

  app.post('/v1/sessions', async (c) => {
    const early = await enter(c, 'create');
    if (early instanceof Response) return early;
    const request = await c.req.json<unknown>().catch(() => undefined);
    const problem = validateCreate(request);
    if (problem) return equosError(c, 400, problem, 'VALIDATION_ERROR');
    const body = request as CreateEquosSessionRequest;

    const { session, consumerAccessToken } = await startSession(c, {
      generation: 'v1',
      name: body.name,
      client: body.client,
      face: body.avatar.id,
      known: avatars[body.avatar.id],
      agentId: body.agent?.id ?? null,
      visitor: body.consumerIdentity,
      maxDuration: early?.kind === 'duration' ? early.seconds : body.maxDuration,
      thumbnailOverride: early?.kind === 'thumbnail' ? early.url : undefined,
    });
    const id = session.id;
    state.sessions.get(id)!.templateVars = body.templateVars ?? null;
    if (early?.kind === 'incomplete') return c.json({ session: { id } }, 201);
    return c.json({ session, consumerAccessToken }, 201);
  });

  app.patch('/v1/sessions/:id/stop', async (c) => {
    const id = c.req.param('id');
    const early = await enter(c, 'stop', id);
    if (early instanceof Response) return early;
    if (early?.kind === 'unconfirmed') {
      const entry = state.sessionOf(id, 'v1');
      return entry ? c.json(entry.session) : equosError(c, 404, 'Session not found', 'NOT_FOUND');
    }
    const entry = state.sessionOf(id, 'v1') && state.end(id, 'stop');
    return entry ? c.json(entry.session) : equosError(c, 404, 'Session not found', 'NOT_FOUND');
  });

  app.get('/v1/sessions/:id', async (c) => {
    const id = c.req.param('id');
    const early = await enter(c, 'get', id);
    if (early instanceof Response) return early;
    const entry = state.sessionOf(id, 'v1');
    return entry ? c.json(entry.session) : equosError(c, 404, 'Session not found', 'NOT_FOUND');
  });

  app.get('/v1/sessions', async (c) => {
    const early = await enter(c, 'list');
    if (early instanceof Response) return early;
    const skip = Math.max(0, Number(c.req.query('skip') ?? 0) || 0);
    const take = Math.min(100, Math.max(1, Number(c.req.query('take') ?? 10) || 10));
    const client = early?.kind === 'ignore-filter' ? undefined : c.req.query('client');
    const matching = [...state.sessions.values()]
      .filter((entry) => entry.generation === 'v1')
      .map((entry) => entry.session)
      .filter((session) => client === undefined || session.client === client)
      .reverse();
    return c.json({ skip, take, total: matching.length, sessions: matching.slice(skip, skip + take) });
  });

  // The v3 conversations API: the same sessions, started with a character, in v3's shapes.
  app.post('/v3/conversations', async (c) => {
    const early = await enter(c, 'create');
    if (early instanceof Response) return early;
    const request = await c.req.json<unknown>().catch(() => undefined);
    const problem = validateConversation(request);
    if (problem) return equosError(c, 400, problem, 'VALIDATION_ERROR');
    const body = request as StartConversationRequest;
    const { session, consumerAccessToken } = await startSession(c, {
      generation: 'v3',
      name: body.name,
      client: body.client,
      face: body.characterId,
      known: characters[body.characterId],
      agentId: null,
      visitor: body.consumer,
      maxDuration: early?.kind === 'duration' ? early.seconds : body.maxSeconds,
      thumbnailOverride: early?.kind === 'thumbnail' ? early.url : undefined,
    });
    state.sessions.get(session.id)!.templateVars = body.promptTemplateVars ?? null;
    if (early?.kind === 'incomplete') return c.json({ conversation: { id: session.id } }, 201);
    return c.json({ conversation: toConversation(state.sessions.get(session.id)!), consumerAccessToken }, 201);
  });

  app.post('/v3/conversations/:id/stop', async (c) => {
    const id = c.req.param('id');
    const early = await enter(c, 'stop', id);
    if (early instanceof Response) return early;
    const entry = state.sessionOf(id, 'v3');
    if (early?.kind === 'unconfirmed') return entry ? c.json(toConversation(entry)) : c.json(null);
    // As Equos documents it: null when already stopped or not found.
    if (!entry || entry.session.endedAt) {
      if (entry) state.end(id, 'stop');
      return c.json(null);
    }
    return c.json(toConversation(state.end(id, 'stop')!));
  });

  app.get('/v3/conversations/:id', async (c) => {
    const id = c.req.param('id');
    const early = await enter(c, 'get', id);
    if (early instanceof Response) return early;
    const entry = state.sessionOf(id, 'v3');
    return entry ? c.json(toConversation(entry)) : equosError(c, 404, 'Conversation not found', 'NOT_FOUND');
  });

  app.get('/v3/conversations', async (c) => {
    const early = await enter(c, 'list');
    if (early instanceof Response) return early;
    const skip = Math.max(0, Number(c.req.query('skip') ?? 0) || 0);
    const take = Number(c.req.query('take') ?? 20) || 20;
    if (take < 1 || take > 50) return equosError(c, 400, 'take must be between 1 and 50', 'VALIDATION_ERROR');
    const client = early?.kind === 'ignore-filter' ? undefined : c.req.query('client');
    const matching = [...state.sessions.values()]
      .filter((entry) => entry.generation === 'v3' && (client === undefined || entry.session.client === client))
      .reverse();
    return c.json({ skip, take, total: matching.length, conversations: matching.slice(skip, skip + take).map(toConversation) });
  });

  app.get('/avatars/:file{[\\w.-]+\\.png}', (c) => {
    const picture = options.thumbnails?.[c.req.param('file').replace(/\.png$/, '')];
    return picture
      ? c.body(picture as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'image/png', 'Cache-Control': 'public, max-age=3600' })
      : equosError(c, 404, 'Not found', 'NOT_FOUND');
  });

  // Control routes for tests that run the double in another process. Loopback only.
  app.post('/__sandbox/faults', async (c) => {
    type FaultRequest = { route?: unknown; fault?: unknown; times?: unknown };
    const body: FaultRequest = await c.req.json<FaultRequest>().catch(() => ({}));
    const routes: readonly unknown[] = ['create', 'stop', 'get', 'list'] satisfies FaultRoute[];
    if (!routes.includes(body.route) || !isFault(body.fault)) return c.json({ message: 'Expected { route, fault, times? }' }, 400);
    faults.inject(body.route as FaultRoute, body.fault, typeof body.times === 'number' ? { times: body.times } : {});
    return c.json({ pending: faults.pending }, 201);
  });
  app.delete('/__sandbox/faults', (c) => {
    faults.clear();
    return c.body(null, 204);
  });
  app.get('/__sandbox/sessions', (c) =>
    c.json([...state.sessions.values()].map(({ session, stopCalls, endedBy }) => ({ ...session, stopCalls, endedBy: endedBy ?? null }))),
  );

  app.notFound((c) => equosError(c, 404, 'Not found', 'NOT_FOUND'));
  return { app, state, faults };
}

/** A session of the state in v3's shape. */
function toConversation(entry: DoubleSession): EquosConversation {
  const { session } = entry;
  return {
    id: session.id,
    name: session.name,
    characterId: session.avatar.id,
    organizationId: session.organizationId ?? 'org_sandbox',
    client: session.client ?? null,
    status: session.endedAt ? 'ended' : 'running',
    maxSeconds: session.maxDuration ?? null,
    room: session.id,
    serverUrl: session.host.serverUrl,
    character: { id: session.avatar.id, name: session.avatar.name, livekitIdentity: session.avatar.identity, thumbnailUrl: session.avatar.thumbnailUrl ?? null },
    promptTemplateVars: entry.templateVars ?? null,
    startedAt: session.startedAt,
    endedAt: session.endedAt ?? null,
    createdAt: session.createdAt ?? session.startedAt,
    updatedAt: session.updatedAt ?? session.startedAt,
  };
}

function isStringRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((entry) => typeof entry === 'string');
}

function validateConversation(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return 'Body must be a JSON object';
  const request = body as Record<string, unknown>;
  if (typeof request.name !== 'string' || request.name.trim() === '') return 'name is required';
  if (typeof request.characterId !== 'string' || request.characterId === '') return 'characterId is required';
  if (request.client !== undefined && typeof request.client !== 'string') return 'client must be a string';
  const consumer = request.consumer as { identity?: unknown; name?: unknown } | undefined;
  if (consumer !== undefined && (typeof consumer.identity !== 'string' || typeof consumer.name !== 'string')) return 'consumer needs identity and name';
  const max = request.maxSeconds;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max <= 0)) return 'maxSeconds must be a positive integer';
  if (request.promptTemplateVars !== undefined && !isStringRecord(request.promptTemplateVars)) return 'promptTemplateVars must map names to strings';
  return undefined;
}

function validateCreate(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return 'Body must be a JSON object';
  const request = body as Record<string, unknown>;
  const isObjectWithId = (value: unknown) =>
    typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
  if (typeof request.name !== 'string' || request.name.trim() === '') return 'name is required';
  if (!isObjectWithId(request.avatar)) return 'avatar.id is required';
  if (request.agent !== undefined && !isObjectWithId(request.agent)) return 'agent.id must be a string';
  if (request.client !== undefined && typeof request.client !== 'string') return 'client must be a string';
  const visitor = request.consumerIdentity as { identity?: unknown; name?: unknown } | undefined;
  if (visitor !== undefined && (typeof visitor.identity !== 'string' || typeof visitor.name !== 'string')) {
    return 'consumerIdentity needs identity and name';
  }
  const max = request.maxDuration;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max <= 0)) {
    return 'maxDuration must be a positive integer';
  }
  if (request.templateVars !== undefined && !isStringRecord(request.templateVars)) return 'templateVars must map names to strings';
  return undefined;
}
