import { describe, expect, it } from 'vitest';
import { createStopTokens } from '../sessions/stop-tokens.js';
import { createVisitorKeys } from '../visitors/client-address.js';
import { nodeHmac } from './node-hmac.js';

const secret = 'a-secret-that-is-at-least-32-chars-long';

describe('nodeHmac', () => {
  it('makes the same stop tokens and visitor keys as Web Crypto, so instances and restarts agree', async () => {
    const web = createStopTokens(secret);
    const node = createStopTokens(async () => secret, nodeHmac);
    for (const id of ['ses_1', 'ses_ünïcode', 'conv_abc']) {
      const token = await web.sign(id);
      expect(await node.sign(id)).toBe(token);
      // Verified by a signer that did not sign it (no memo), either way round.
      expect(await createStopTokens(secret, nodeHmac).verify(id, token)).toBe(true);
      expect(await createStopTokens(secret).verify(id, await node.sign(id))).toBe(true);
      expect(await createStopTokens(secret, nodeHmac).verify(`${id}x`, token)).toBe(false);
    }
    const webKeys = createVisitorKeys(secret);
    const nodeKeys = createVisitorKeys(secret, nodeHmac);
    for (const address of ['198.51.100.7', '2001:db8::1', 'unknown']) expect(await nodeKeys(address)).toBe(await webKeys(address));
  });
});
