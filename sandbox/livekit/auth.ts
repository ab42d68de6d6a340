/**
 * Verifies LiveKit access tokens the way the LiveKit server does: an HS256 JWT whose issuer
 * is a known API key, signed with that key's secret, within its validity window, granting
 * `roomJoin` to a named room.
 *
 * @see https://docs.livekit.io/home/get-started/authentication/
 */
import { verify } from 'hono/jwt';

/** The API key and secret the server accepts. */
export interface ApiCredentials {
  apiKey: string;
  apiSecret: string;
}

/** What a valid token lets its bearer do. */
export interface JoinGrant {
  identity: string;
  name: string;
  room: string;
  metadata: string;
  attributes: Record<string, string>;
  canPublish: boolean;
  canSubscribe: boolean;
  canPublishData: boolean;
}

/** Why a token was refused; the message is what the `validate` endpoint answers. */
export class TokenError extends Error {
  readonly status: 401 | 403;
  constructor(status: 401 | 403, message: string) {
    super(message);
    this.name = 'TokenError';
    this.status = status;
  }
}

const BEARER = 'Bearer ';

/**
 * The token a request carries, where the LiveKit server looks for it: the `Authorization:
 * Bearer` header first (LiveKit's Node SDK, `@livekit/rtc-node`, sends only that), else the
 * `access_token` query parameter (livekit-client in browsers, which cannot set headers on a
 * WebSocket).
 *
 * @throws TokenError 401 when an Authorization header is present but is not `Bearer <token>`
 */
export function requestToken(authorization: string | undefined, queryToken: string | null): string | null {
  if (authorization === undefined || authorization === '') return queryToken;
  if (!authorization.startsWith(BEARER)) throw new TokenError(401, `invalid authorization header. Must start with ${BEARER}`);
  return authorization.slice(BEARER.length);
}

interface VideoGrant {
  room?: unknown;
  roomJoin?: unknown;
  canPublish?: unknown;
  canSubscribe?: unknown;
  canPublishData?: unknown;
}

/**
 * Verifies `token` and returns its join grant.
 *
 * @throws TokenError 401 for a missing, malformed, badly signed or expired token; 403 when it
 *   does not grant joining a room
 */
export async function verifyAccessToken(token: string | null, credentials: ApiCredentials, nowMs = Date.now()): Promise<JoinGrant> {
  if (!token) throw new TokenError(401, 'no authorization token');
  let claims: Record<string, unknown>;
  try {
    // hono's verify checks the signature, `exp` and `nbf` (against the real clock).
    claims = (await verify(token, credentials.apiSecret, 'HS256')) as Record<string, unknown>;
  } catch (error) {
    const expired = error instanceof Error && /expired/i.test(error.name + error.message);
    throw new TokenError(401, expired ? 'token is expired' : 'invalid token: signature is invalid');
  }
  if (claims.iss !== credentials.apiKey) throw new TokenError(401, 'invalid API key');
  const exp = typeof claims.exp === 'number' ? claims.exp : 0;
  if (exp * 1000 <= nowMs) throw new TokenError(401, 'token is expired');
  const video = (typeof claims.video === 'object' && claims.video !== null ? claims.video : {}) as VideoGrant;
  const identity = typeof claims.sub === 'string' ? claims.sub : '';
  if (video.roomJoin !== true || typeof video.room !== 'string' || video.room === '') {
    throw new TokenError(403, 'permissions denied: token does not grant roomJoin');
  }
  if (!identity) throw new TokenError(401, 'invalid token: identity is required');
  const attributes = typeof claims.attributes === 'object' && claims.attributes !== null ? claims.attributes : {};
  return {
    identity,
    name: typeof claims.name === 'string' ? claims.name : '',
    room: video.room,
    metadata: typeof claims.metadata === 'string' ? claims.metadata : '',
    attributes: Object.fromEntries(Object.entries(attributes).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
    // LiveKit's defaults: publishing and subscribing are allowed unless set to false.
    canPublish: video.canPublish !== false,
    canSubscribe: video.canSubscribe !== false,
    canPublishData: video.canPublishData !== false,
  };
}
