import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../../../problems.js';
import { originAllowlist, type OriginAllowlistOptions, type OriginAllowlistVariables } from './index.js';

function appWith(options: OriginAllowlistOptions) {
  let reached = 0;
  const app = new Hono<{ Variables: OriginAllowlistVariables }>();
  app.use(originAllowlist(options));
  app.all('/x', (c) => {
    reached += 1;
    return c.json({ origin: c.get('origin') });
  });
  app.onError((error, c) => c.json({ code: error instanceof ProblemError ? error.code : 'other' }, 403));
  return { app, reached: () => reached };
}

const call = (app: Hono<{ Variables: OriginAllowlistVariables }>, method: string, origin?: string) =>
  app.request('http://api.example/x', { method, headers: origin === undefined ? {} : { origin } });

describe('originAllowlist', () => {
  it('lets listed origins through and exposes the origin to handlers', async () => {
    const { app } = appWith({ origins: ['https://a.example'] });
    const response = await call(app, 'POST', 'https://a.example');
    expect(await response.json()).toEqual({ origin: 'https://a.example' });
  });

  it('stops unlisted origins before the handler runs, whatever the method', async () => {
    const { app, reached } = appWith({ origins: ['https://a.example'] });
    for (const method of ['GET', 'POST', 'OPTIONS', 'PUT', 'DELETE']) {
      const response = await call(app, method, 'https://b.example');
      expect(await response.json()).toEqual({ code: 'origin-not-allowed' });
    }
    expect(reached()).toBe(0);
  });

  it('fails closed on unsafe methods without Origin, but lets safe ones through', async () => {
    const { app, reached } = appWith({ origins: '*' });
    expect(await (await call(app, 'POST')).json()).toEqual({ code: 'origin-required' });
    expect(await (await call(app, 'GET')).json()).toEqual({ origin: null });
    expect(reached()).toBe(1);
  });

  it("allows the server's own origin from configuration, never from the request's Host (DNS rebinding)", async () => {
    // A rebinding page: evil.example resolves to this server, so Host and Origin agree.
    const rebinding = (app: Hono<{ Variables: OriginAllowlistVariables }>) =>
      app.request('http://evil.example:8787/x', { method: 'POST', headers: { origin: 'http://evil.example:8787', host: 'evil.example:8787' } });
    expect(await (await rebinding(appWith({ origins: [] }).app)).json()).toEqual({ code: 'origin-not-allowed' });
    expect(await (await rebinding(appWith({ origins: [], allowLoopback: true }).app)).json()).toEqual({ code: 'origin-not-allowed' });

    const configured = appWith({ origins: [], ownOrigin: 'https://avatar.example' });
    expect(await (await call(configured.app, 'POST', 'https://avatar.example')).json()).toEqual({ origin: 'https://avatar.example' });
    expect(await (await call(configured.app, 'POST', 'http://api.example')).json()).toEqual({ code: 'origin-not-allowed' });
  });

  it('allows loopback pages only when told to (the local demo)', async () => {
    const demo = appWith({ origins: [], allowLoopback: true });
    for (const origin of ['http://127.0.0.1:8787', 'http://localhost:8787', 'http://[::1]:8787']) {
      expect(await (await call(demo.app, 'POST', origin)).json()).toEqual({ origin });
    }
    for (const origin of ['http://127.0.0.1.evil.example', 'http://localhost.evil.example:8787', 'http://10.0.0.1']) {
      expect(await (await call(demo.app, 'POST', origin)).json()).toEqual({ code: 'origin-not-allowed' });
    }
    expect(await (await call(appWith({ origins: [] }).app, 'POST', 'http://127.0.0.1:8787')).json()).toEqual({ code: 'origin-not-allowed' });
  });

  it('accepts any origin with "*", and a predicate', async () => {
    expect((await call(appWith({ origins: '*' }).app, 'POST', 'null')).status).toBe(200);
    const predicate = appWith({ origins: (origin) => origin.endsWith('.trusted.example') });
    expect((await call(predicate.app, 'POST', 'https://x.trusted.example')).status).toBe(200);
    expect((await call(predicate.app, 'POST', 'https://x.example')).status).toBe(403);
  });

  it('refuses an over-long Origin header without comparing it', async () => {
    const { app } = appWith({ origins: '*' });
    expect((await call(app, 'POST', `https://${'a'.repeat(3000)}.example`)).status).toBe(403);
  });

  it('throws a TypeError at boot for an entry that is not an origin', () => {
    for (const entry of ['https://a.example/', 'a.example', 'https://a.example/path', 'HTTPS://A.example']) {
      expect(() => originAllowlist({ origins: [entry] })).toThrow(TypeError);
    }
  });
});
