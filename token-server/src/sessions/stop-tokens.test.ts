import { describe, expect, it } from 'vitest';
import { createStopTokens } from './stop-tokens.js';

const secret = 'a-secret-that-is-at-least-32-chars-long';

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
});
