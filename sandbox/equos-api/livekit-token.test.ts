import { sign, verify } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import { mintLiveKitToken } from './livekit-token.js';

const credentials = { apiKey: 'sandbox', apiSecret: 'sandbox-livekit-secret-0123456789abcdef' };

describe('mintLiveKitToken', () => {
  it('writes the very JWT hono/jwt signs, which a LiveKit server verifies', async () => {
    const nowMs = 1_700_000_000_000;
    const now = nowMs / 1000;
    const token = await mintLiveKitToken(credentials, { identity: 'visitor-ü', name: 'Ådå ✓', room: 'ses_1' }, nowMs, { canPublish: false });
    const expected = await sign(
      { iss: 'sandbox', sub: 'visitor-ü', name: 'Ådå ✓', nbf: now, exp: now + 6 * 3600, jti: `visitor-ü-${now}`, video: { room: 'ses_1', roomJoin: true, canPublish: false, canSubscribe: true, canPublishData: true } },
      credentials.apiSecret,
      'HS256',
    );
    expect(token).toBe(expected);
    const fresh = await mintLiveKitToken(credentials, { identity: 'v', name: 'V', room: 'r' });
    expect(await verify(fresh, credentials.apiSecret, 'HS256')).toMatchObject({ sub: 'v', video: { room: 'r', roomJoin: true } });
    await expect(verify(fresh, 'another-secret-0123456789abcdefghij', 'HS256')).rejects.toThrow();
  });
});
