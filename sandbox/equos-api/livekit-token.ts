/**
 * LiveKit access tokens, as Equos mints them for the visitor: an HS256 JWT signed with the
 * LiveKit server's API secret, identity in `sub`, grants in `video`.
 *
 * Signed with `node:crypto` (byte for byte the JWT `hono/jwt`'s `sign` writes): that one
 * imports the key into Web Crypto for every token, which made the double, not the token
 * server, a fifth of the load generator's process in the token server's load bench (issue 13).
 *
 * @see https://docs.livekit.io/home/get-started/authentication/
 */
import { createHmac } from 'node:crypto';

/** The LiveKit server a token is for. */
export interface LiveKitCredentials {
  /** `ws://` URL the browser connects to. */
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** Who the token admits, to which room. */
export interface LiveKitGrant {
  identity: string;
  name: string;
  room: string;
  /** Lifetime in seconds [6 hours, LiveKit's default]. */
  ttlSeconds?: number;
}

/** The video grants a token may withhold (each true unless said: Equos grants everything; tests may not). */
export interface GrantPermissions {
  canPublish?: boolean;
  canSubscribe?: boolean;
  canPublishData?: boolean;
}

/** Mints a token that admits `grant.identity` to `grant.room`, with publish and subscribe rights unless `permissions` withholds them. */
export function mintLiveKitToken(
  credentials: Pick<LiveKitCredentials, 'apiKey' | 'apiSecret'> & Partial<LiveKitCredentials>,
  grant: LiveKitGrant,
  nowMs = Date.now(),
  permissions: GrantPermissions = {},
): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  return signHs256(
    {
      iss: credentials.apiKey,
      sub: grant.identity,
      name: grant.name,
      nbf: now,
      exp: now + (grant.ttlSeconds ?? 6 * 60 * 60),
      jti: `${grant.identity}-${now}`,
      video: {
        room: grant.room,
        roomJoin: true,
        canPublish: permissions.canPublish ?? true,
        canSubscribe: permissions.canSubscribe ?? true,
        canPublishData: permissions.canPublishData ?? true,
      },
    },
    credentials.apiSecret,
  );
}

/** `{"alg":"HS256","typ":"JWT"}`, as hono/jwt writes it. */
const HS256_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** An HS256 JWT of `payload` under `secret` (RFC 7519; unpadded base64url parts). */
async function signHs256(payload: object, secret: string): Promise<string> {
  const unsigned = `${HS256_HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
