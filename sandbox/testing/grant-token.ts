/**
 * LiveKit access tokens with chosen permissions, for tests of what the server allows. Equos
 * (and so the sandbox's Equos double, ../equos-api/livekit-token.ts) always grants everything;
 * a token that withholds a grant can only come from a test.
 *
 * @see https://docs.livekit.io/home/get-started/authentication/
 */
import { sign } from 'hono/jwt';
import type { LiveKitCredentials, LiveKitGrant } from '../equos-api/livekit-token.js';

/** The video grants a test may withhold (each defaults to true, as in LiveKit). */
export interface GrantPermissions {
  canPublish?: boolean;
  canSubscribe?: boolean;
  canPublishData?: boolean;
}

/**
 * Mints a token admitting `grant.identity` to `grant.room` with `permissions`.
 *
 * @example
 * const token = await mintTokenWithGrants(credentials, { identity: 'mute', name: 'mute', room }, { canPublishData: false });
 */
export function mintTokenWithGrants(
  credentials: Pick<LiveKitCredentials, 'apiKey' | 'apiSecret'>,
  grant: LiveKitGrant,
  permissions: GrantPermissions,
  nowMs = Date.now(),
): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  return sign(
    {
      iss: credentials.apiKey,
      sub: grant.identity,
      name: grant.name,
      nbf: now,
      exp: now + (grant.ttlSeconds ?? 3600),
      video: {
        room: grant.room,
        roomJoin: true,
        canPublish: permissions.canPublish ?? true,
        canSubscribe: permissions.canSubscribe ?? true,
        canPublishData: permissions.canPublishData ?? true,
      },
    },
    credentials.apiSecret,
    'HS256',
  );
}
