import { describe, expect, it, vi } from 'vitest';
import { EquosApiError } from './errors.js';
import { createEquosGateway, type EquosGatewayOptions } from './gateway.js';
import { v1Upstream, type StartRequest } from './upstream.js';

const START: StartRequest = { name: 'n', client: 't', face: { generation: 'v1', avatarId: 'a' }, visitor: { identity: 'v', name: 'V' }, maxDurationS: 60 };
import type { EquosSession } from '../../../contract/equos/v1.js';
import type { EquosSessionsApi } from './sdk.js';

const session = (overrides: Partial<EquosSession> = {}): EquosSession => ({
  id: 'ses_1',
  name: 'n',
  status: 'ended',
  host: { serverUrl: 'ws://x' },
  avatar: { id: 'a', identity: 'a', name: 'A' },
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:01:00.000Z',
  ...overrides,
});

/** An SDK-like client whose methods are scripted per call. */
function scripted(script: Partial<Record<keyof EquosSessionsApi, Array<() => Promise<unknown>>>>) {
  const calls: string[] = [];
  const next = (name: keyof EquosSessionsApi) => () => {
    calls.push(name);
    const step = script[name]?.shift();
    if (!step) throw new Error(`unexpected ${name}`);
    return step();
  };
  const api = { create: next('create'), stop: next('stop'), get: next('get') } as unknown as EquosSessionsApi;
  return { api, calls };
}

/** What `@equos/node-sdk` throws: `EquosError(message, code)`, no HTTP status. */
class SdkError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

const noWait = { attempts: 4, baseDelayMs: 250, maxDelayMs: 2000, sleep: async () => {} };
const DEADLINES = { create: 15_000, stop: 8000, get: 5000, list: 10_000 };

/** The gateway with these options (deadlines and retries as given, else the defaults' shape). */
const gatewayOver = (api: EquosSessionsApi, options: { stopRetry?: EquosGatewayOptions['retry']; deadlines?: Partial<EquosGatewayOptions['deadlines']>; secrets?: string[] } = {}) =>
  createEquosGateway(v1Upstream(api), { deadlines: { ...DEADLINES, ...options.deadlines }, retry: options.stopRetry ?? noWait, secrets: options.secrets ?? [] });

describe('createEquosGateway', () => {
  it('retries stop on 5xx, 429, timeouts and network failures, then returns the session', async () => {
    const { api, calls } = scripted({
      stop: [
        () => Promise.reject(new EquosApiError('http', 'x', { status: 503 })),
        () => Promise.reject(new EquosApiError('http', 'x', { status: 429 })),
        () => Promise.reject(new TypeError('fetch failed')),
        () => Promise.resolve(session()),
      ],
    });
    const stopped = await gatewayOver(api, { stopRetry: noWait }).stop('ses_1');
    expect(stopped?.endedAt).toBeTruthy();
    expect(calls).toEqual(['stop', 'stop', 'stop', 'stop']);
  });

  it('backs off exponentially with jitter between stop attempts', async () => {
    const waits: number[] = [];
    const { api } = scripted({ stop: Array.from({ length: 4 }, () => () => Promise.reject(new EquosApiError('timeout', 't'))) });
    const gateway = gatewayOver(api, {
      stopRetry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 300, random: () => 0.999, sleep: async (ms: number) => void waits.push(ms) },
    });
    await expect(gateway.stop('ses_1')).rejects.toMatchObject({ kind: 'timeout' });
    expect(waits).toEqual([99, 199, 299]);
  });

  it('passes refusals and 404s of a stop through unchecked: the stop use case checks every unconfirmed answer', async () => {
    for (const status of [404, 409]) {
      const { api, calls } = scripted({ stop: [() => Promise.reject(new EquosApiError('http', 'no', { status }))] });
      await expect(gatewayOver(api, { stopRetry: noWait }).stop('x')).rejects.toMatchObject({ status });
      expect(calls).toEqual(['stop']);
    }
  });

  it('never retries create', async () => {
    const { api, calls } = scripted({ create: [() => Promise.reject(new EquosApiError('http', 'x', { status: 503 }))] });
    await expect(gatewayOver(api, { stopRetry: noWait }).create(START)).rejects.toMatchObject({
      status: 503,
    });
    expect(calls).toEqual(['create']);
  });

  it('enforces deadlines even on an SDK that ignores the abort signal', async () => {
    vi.useFakeTimers();
    try {
      const hung = { create: () => new Promise(() => {}), stop: () => new Promise(() => {}), get: () => new Promise(() => {}) };
      const gateway = gatewayOver(hung as unknown as EquosSessionsApi, { deadlines: { create: 1000 } });
      const pending = gateway.create(START);
      const assertion = expect(pending).rejects.toMatchObject({ kind: 'timeout' });
      await vi.advanceTimersByTimeAsync(1000);
      await assertion;
    } finally {
      vi.useRealTimers();
    }
  });

  it('says how long one stop and its check can take at worst, so claims can outlive it', () => {
    const { api } = scripted({});
    const gateway = createEquosGateway(v1Upstream(api), { deadlines: { ...DEADLINES, stop: 1000, get: 700 }, retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 150 }, secrets: [] });
    expect(gateway.worstStopMs).toBe(3 * 1000 + 100 + 150 + 3 * 700 + 100 + 150);
  });

  it("maps an SDK's own errors to EquosApiError and removes secrets from them", async () => {
    const secret = 'sk_live_secret_value';
    const { api } = scripted({ get: [() => Promise.reject(new SdkError(`Unauthorized for key ${secret}`, 'UNAUTHORIZED'))] });
    const error = await gatewayOver(api, { secrets: [secret], stopRetry: { ...noWait, attempts: 1 } }).get('x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EquosApiError);
    expect(error).toMatchObject({ kind: 'http', status: 502, code: 'UNAUTHORIZED' });
    expect((error as Error).message).toBe('Unauthorized for key [redacted]');
  });
});
