/**
 * The widget's side of the token server's session API (contract/token-server-api.ts): create
 * a session, send heartbeats, stop it (with retries, and by beacon when the page is going
 * away). Failures become `ErrorCause`s.
 */
import type { ProblemCode } from '../../../contract/problems.js';
import { HEARTBEAT_IDLE_PARAM, readCreatedSession, type CreateSessionRequest } from '../../../contract/token-server-api.js';
import type { CallSession, ErrorCause } from '../call/machine.js';
import { serverUrl } from '../internal/server-url.js';
import { CallError } from './call-error.js';
import { diagnoseUnreachable, originWarning } from './setup-diagnosis.js';

const STOP_RETRY_DELAYS_MS = [400, 1200, 3000];

/** Talks to one token server. */
export class TokenClient {
  readonly #server: URL;

  /** @param server the token server's base URL */
  constructor(server: URL) {
    this.#server = server;
  }

  /** Resolves a path (or a URL the server gave relative to itself). */
  url(path: string): string {
    return serverUrl(this.#server, path);
  }

  /** Starts a paid session. */
  async createSession(
    request: { preset?: string | undefined; participantName?: string | undefined; pageVars?: Record<string, string> | undefined; consent?: CreateSessionRequest['consent'] },
    signal?: AbortSignal,
  ): Promise<CallSession> {
    const body = await this.#json('api/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...(request.preset ? { preset: request.preset } : {}),
        ...(request.participantName ? { participant_name: request.participantName } : {}),
        ...(request.pageVars ? { page_vars: request.pageVars } : {}),
        ...(request.consent ? { consent: request.consent } : {}),
      } satisfies CreateSessionRequest),
      signal: signal ?? null,
    });
    const session = readCreatedSession(body);
    if (!session) throw new CallError('equos-failed', 'The token server answered without a session.');
    const thumbnail = session.avatar_thumbnail_url;
    // The token server may name the picture relative to itself.
    return thumbnail ? { ...session, avatar_thumbnail_url: this.url(thumbnail) } : session;
  }

  /**
   * Tells the token server the visitor is still here (a session whose heartbeats stop is
   * stopped for it), and for how long nobody has spoken or typed (`idleS`: past the server's
   * `IDLE_STOP_S` it stops the session). `ended` when the server says the session is over.
   */
  async heartbeat(session: CallSession, idleS?: number): Promise<'alive' | 'ended' | 'unknown'> {
    try {
      const idle = idleS === undefined ? '' : `?${HEARTBEAT_IDLE_PARAM}=${Math.max(0, Math.floor(idleS))}`;
      const response = await fetch(this.#sessionUrl(session, 'heartbeat') + idle, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: session.stop_token,
        credentials: 'omit',
      });
      if (response.ok) return 'alive';
      return response.status === 410 ? 'ended' : 'unknown';
    } catch {
      return 'unknown';
    }
  }

  /**
   * Stops a session, retrying failures; falls back to a beacon. Never throws: a stop that
   * cannot get through is left to the server's own clean-up.
   */
  async stopSession(session: CallSession): Promise<boolean> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const response = await fetch(this.#sessionUrl(session, 'stop'), {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: session.stop_token,
          // Survives the page being closed right after the click.
          keepalive: true,
        });
        if (response.ok || response.status === 404 || response.status === 403) return response.ok;
      } catch {
        // Network failure: retry below.
      }
      const delay = STOP_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) return this.beaconStop(session);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** Stops a session with `navigator.sendBeacon` (a text/plain body: no CORS preflight). */
  beaconStop(session: CallSession): boolean {
    try {
      return navigator.sendBeacon(this.#sessionUrl(session, 'stop'), new Blob([session.stop_token], { type: 'text/plain' }));
    } catch {
      return false;
    }
  }

  #sessionUrl(session: CallSession, action: 'stop' | 'heartbeat'): string {
    return this.url(`api/sessions/${encodeURIComponent(session.session_id)}/${action}`);
  }

  async #json(path: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(this.url(path), { ...init, credentials: 'omit' });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      // The site's setup (its CSP, or an origin the server refuses) looks like a network failure.
      const problem = await diagnoseUnreachable(this.#server);
      if (problem) {
        console.warn(problem.warning);
        throw new CallError(problem.cause, problem.warning);
      }
      throw new CallError('server-unreachable', `The token server at ${this.#server.origin} cannot be reached.`);
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.ok) return body;
    const code = typeof (body as { code?: unknown })?.code === 'string' ? ((body as { code: string }).code as ProblemCode) : undefined;
    const cause = causeOfAnswer(response.status, code);
    const detail = (body as { detail?: unknown })?.detail;
    const message = `The token server answered ${response.status}${code ? ` (${code})` : ''}${typeof detail === 'string' ? `: ${detail}` : ''}`;
    // A refused request is the site's setup, not the visitor's doing: its owner reads why here.
    if (cause === 'misconfigured') console.warn(`<equos-avatar>: ${message}`);
    if (cause === 'origin-not-allowed') console.warn(originWarning(this.#server));
    throw new CallError(cause, message);
  }
}

function causeOfAnswer(status: number, code: ProblemCode | undefined): ErrorCause {
  if (code === 'origin-not-allowed' || code === 'origin-required') return 'origin-not-allowed';
  if (code === 'unknown-preset') return 'unknown-preset';
  if (status === 429 || status === 503) return 'busy';
  if (status >= 500) return 'equos-failed';
  return 'misconfigured';
}
