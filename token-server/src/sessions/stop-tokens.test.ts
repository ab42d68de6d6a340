import { describe, expect, it } from 'vitest';
import { startStack, stopInit } from '../../test/harness.js';
import { createStopTokens } from './stop-tokens.js';

const secret = 'a-secret-that-is-at-least-32-chars-long';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The other three spellings of a token: its last character holds the MAC's last 4 bits and 2
 * bits that decoding ignores, so these decode to the very same MAC.
 */
function otherSpellings(token: string): string[] {
  const last = BASE64URL.indexOf(token.at(-1)!);
  return [0, 1, 2, 3].filter((spare) => spare !== (last & 3)).map((spare) => token.slice(0, -1) + BASE64URL[(last & ~3) | spare]);
}

describe('createStopTokens', () => {
  it('signs a session id so that any instance with the same secret can verify it', async () => {
    const token = await createStopTokens(secret).sign('ses_1');
    expect(token).toMatch(/^v1\.[\w-]{43}$/);
    expect(await createStopTokens(secret).verify('ses_1', token)).toBe(true);
  });

  it("refuses another session's token, another secret's token and anything malformed", async () => {
    const tokens = createStopTokens(secret);
    const token = await tokens.sign('ses_1');
    expect(await tokens.verify('ses_2', token)).toBe(false);
    expect(await createStopTokens(`${secret}!`).verify('ses_1', token)).toBe(false);
    for (const bad of ['', 'v1.', token.slice(3), `v2.${token.slice(3)}`, `${token}=`, `v1.${'+'.repeat(43)}`, 'v1.' + 'A'.repeat(5000)]) {
      expect(await tokens.verify('ses_1', bad)).toBe(false);
    }
  });

  it('binds the whole id (no prefix or suffix confusion)', async () => {
    const tokens = createStopTokens(secret);
    const token = await tokens.sign('ses_1');
    for (const id of ['ses_', 'ses_10', 'ses_1\u0000', ' ses_1']) expect(await tokens.verify(id, token)).toBe(false);
  });

  it('accepts only the spelling it signed, not the others that decode to the same MAC', async () => {
    const tokens = createStopTokens(secret);
    for (const id of ['ses_1', 'ses_2', 'ses_3', 'ses_4']) {
      const token = await tokens.sign(id);
      const others = otherSpellings(token);
      expect(new Set([token, ...others]).size).toBe(4);
      for (const other of others) expect(await tokens.verify(id, other), other).toBe(false);
      expect(await tokens.verify(id, token)).toBe(true);
    }
  });

  it('judges a token alike whether it signed it itself (kept) or computes it again (another instance)', async () => {
    const signer = createStopTokens(secret);
    const other = createStopTokens(secret);
    const token = await signer.sign('ses_1');
    for (const tokens of [signer, other]) {
      expect(await tokens.verify('ses_1', token)).toBe(true);
      for (const bad of [...otherSpellings(token), await createStopTokens(`${secret}!`).sign('ses_1'), token.slice(0, -1)]) expect(await tokens.verify('ses_1', bad)).toBe(false);
      expect(await tokens.verify('ses_2', token)).toBe(false);
    }
  });
});

describe('POST /api/sessions/:id/stop with another spelling of the token', () => {
  it('is refused with 403 invalid-stop-token and leaves the session running', async () => {
    const stack = await startStack();
    try {
      const { session_id, stop_token } = await stack.createSession();
      const path = `/api/sessions/${session_id}/stop`;
      for (const other of otherSpellings(stop_token as string)) {
        const refused = await stack.request(path, stopInit(other));
        expect(refused.status).toBe(403);
        expect(refused.json()).toMatchObject({ code: 'invalid-stop-token', status: 403 });
      }
      expect(stack.equos.state.callsTo('stop')).toHaveLength(0);
      expect((await stack.request(path, stopInit(stop_token))).status).toBe(200);
    } finally {
      await stack.close();
      expect(stack.secretLeaks()).toEqual([]);
    }
  });
});
