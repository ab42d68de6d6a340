import { sign } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import { mintLiveKitToken } from '../equos-api/livekit-token.js';
import { TokenError, verifyAccessToken } from './auth.js';

const credentials = { apiKey: 'APIsandbox', apiSecret: 'secret-0123456789abcdef0123456789abcdef' };
const grant = { identity: 'visitor-1', name: 'Ada', room: 'ses_1' };

async function refusal(token: string | null): Promise<TokenError> {
  const error = await verifyAccessToken(token, credentials).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}

describe('verifyAccessToken', () => {
  it('accepts a token minted like Equos mints them', async () => {
    const token = await mintLiveKitToken({ url: 'ws://x', ...credentials }, grant);
    expect(await verifyAccessToken(token, credentials)).toMatchObject({
      identity: 'visitor-1',
      name: 'Ada',
      room: 'ses_1',
      canPublish: true,
      canSubscribe: true,
    });
  });

  it('refuses missing, forged, expired and foreign tokens with 401', async () => {
    expect((await refusal(null)).status).toBe(401);
    expect((await refusal('not.a.jwt')).status).toBe(401);
    const forged = await mintLiveKitToken({ url: 'ws://x', ...credentials, apiSecret: 'another-secret-0123456789abcdef' }, grant);
    expect(await refusal(forged)).toMatchObject({ status: 401, message: expect.stringMatching(/signature/) });
    const expired = await mintLiveKitToken({ url: 'ws://x', ...credentials }, { ...grant, ttlSeconds: 60 }, Date.now() - 3600_000);
    expect(await refusal(expired)).toMatchObject({ status: 401, message: expect.stringMatching(/expired/) });
    const foreignKey = await mintLiveKitToken({ url: 'ws://x', ...credentials, apiKey: 'APIother' }, grant);
    expect(await refusal(foreignKey)).toMatchObject({ status: 401, message: 'invalid API key' });
  });

  it('refuses a valid token that does not grant joining a room with 403', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await sign({ iss: credentials.apiKey, sub: 'x', exp: now + 60, video: { roomCreate: true } }, credentials.apiSecret, 'HS256');
    expect((await refusal(token)).status).toBe(403);
  });

  it('reads publish and subscribe grants', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await sign(
      { iss: credentials.apiKey, sub: 'viewer', exp: now + 60, video: { room: 'r', roomJoin: true, canPublish: false } },
      credentials.apiSecret,
      'HS256',
    );
    expect(await verifyAccessToken(token, credentials)).toMatchObject({ canPublish: false, canSubscribe: true });
  });
});
