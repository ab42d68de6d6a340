import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../../sandbox/equos-api/server.js';
import { TEST_API_KEY } from '../../test/harness.js';
import { createEquosClient } from './client.js';
import { EquosApiError } from './errors.js';
import { v1Upstream } from './upstream.js';
import { createEquosGateway } from './gateway.js';

let equos: RunningEquosApiDouble;
beforeAll(async () => {
  equos = await startEquosApiDouble({ apiKey: TEST_API_KEY });
});
afterAll(() => equos.close());
beforeEach(() => equos.faults.clear());

const request = { name: 'Test', client: 'tag-1', avatar: { id: 'avatar-1' }, agent: { id: 'agent-1' }, maxDuration: 60 };

async function failure(promise: Promise<unknown>): Promise<EquosApiError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(EquosApiError);
  return error as EquosApiError;
}

describe('createEquosClient', () => {
  const client = () => createEquosClient({ apiKey: TEST_API_KEY, endpoint: `${equos.url}/` });

  it('creates, gets, lists and stops sessions with the SDK shapes, sending x-api-key', async () => {
    const { sessions } = client();
    const created = await sessions.create({ ...request, consumerIdentity: { identity: 'v-1', name: 'Ada' } });
    expect(created.session).toMatchObject({ status: 'starting', avatarId: 'avatar-1', client: 'tag-1', maxDuration: 60 });
    expect(created.consumerAccessToken).toMatch(/^ey/);

    expect((await sessions.get(created.session.id)).id).toBe(created.session.id);
    const listed = await sessions.list!({ client: 'tag-1', take: 5 });
    expect(listed).toMatchObject({ skip: 0, take: 5 });
    expect(listed.sessions.map((session) => session.id)).toContain(created.session.id);

    const stopped = await sessions.stop(created.session.id);
    expect(stopped.endedAt).toBeTruthy();
    expect(equos.state.sessions.get(created.session.id)!.endedBy).toBe('stop');
  });

  it('turns HTTP errors into EquosApiError with status, code and a sanitised message', async () => {
    const wrongKey = createEquosClient({ apiKey: 'sk_wrong_key_123', endpoint: equos.url });
    const unauthorised = await failure(wrongKey.sessions.get('x'));
    expect(unauthorised).toMatchObject({ kind: 'http', status: 401, code: 'UNAUTHORIZED', retryable: false });

    equos.faults.inject('create', { kind: 'status', status: 503, message: `upstream echoed ${TEST_API_KEY}\n\u0000 here`, code: 'BUSY' });
    const unavailable = await failure(client().sessions.create(request));
    expect(unavailable).toMatchObject({ kind: 'http', status: 503, code: 'BUSY', retryable: true });
    expect(unavailable.message).not.toContain(TEST_API_KEY);
    expect(unavailable.message).toContain('[redacted]');
    expect(unavailable.message).not.toMatch(/[\u0000-\u001f]/);

    expect(await failure(client().sessions.get('ses_missing'))).toMatchObject({ kind: 'http', status: 404 });
  });

  it('has no deadline of its own: it waits for a slow Equos (the gateway alone sets deadlines)', async () => {
    equos.faults.inject('create', { kind: 'delay', ms: 11_000 });
    const started = performance.now();
    const created = await client().sessions.create(request);
    expect(performance.now() - started).toBeGreaterThan(10_900);
    expect(created.session.id).toMatch(/^ses_/);
  }, 20_000);

  it('times out under the gateway’s deadline, which aborts the request itself, and a retried get goes through', async () => {
    equos.faults.inject('get', { kind: 'delay', ms: 1500 });
    const gateway = createEquosGateway(v1Upstream(client().sessions), { deadlines: { create: 500, stop: 500, get: 500, list: 500 }, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, secrets: [TEST_API_KEY] });
    const started = performance.now();
    expect(await failure(gateway.get('x'))).toMatchObject({ kind: 'timeout', retryable: true });
    expect(performance.now() - started).toBeLessThan(1400);
    const retried = createEquosGateway(v1Upstream(client().sessions), { deadlines: { create: 500, stop: 500, get: 500, list: 500 }, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, secrets: [TEST_API_KEY] });
    const { session } = await client().sessions.create(request);
    equos.faults.inject('get', { kind: 'delay', ms: 1500 });
    expect((await retried.get(session.id)).id).toBe(session.id);
    expect(equos.state.callsTo('get', session.id)).toHaveLength(2);
  });

  it('reports dropped or refused connections as network failures', async () => {
    equos.faults.inject('get', { kind: 'drop' });
    expect(await failure(client().sessions.get('x'))).toMatchObject({ kind: 'network', retryable: true });

    const closed = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const refused = createEquosClient({ apiKey: TEST_API_KEY, endpoint: `http://127.0.0.1:${port}` });
    const error = await failure(refused.sessions.get('x'));
    expect(error.kind).toBe('network');
    expect(error.message).not.toContain(TEST_API_KEY);
  });

  it('reports a 2xx body that is not JSON as invalid-response', async () => {
    const server = createServer((_req, res) => res.end('<html>maintenance</html>')).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const odd = createEquosClient({ apiKey: TEST_API_KEY, endpoint: `http://127.0.0.1:${port}` });
      expect(await failure(odd.sessions.get('x'))).toMatchObject({ kind: 'invalid-response' });
    } finally {
      server.close();
    }
  });

  it('stops when the caller aborts, without calling it a timeout', async () => {
    equos.faults.inject('get', { kind: 'delay', ms: 300 });
    const controller = new AbortController();
    const pending = client().sessions.get('x', { signal: controller.signal });
    controller.abort();
    const error = await pending.then(() => undefined, (caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(EquosApiError);
    expect((error as Error).name).toBe('AbortError');
  });

  it('encodes ids in paths', async () => {
    const error = await failure(client().sessions.get('../sessions?take=100'));
    expect(error).toMatchObject({ kind: 'http', status: 404 });
  });
});
