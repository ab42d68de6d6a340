/**
 * The sandbox's Equos API called the way any integrator would (plain `fetch`, `x-api-key`),
 * for the sandbox's own tests, benchmarks and test commands: the sandbox knows Equos' API,
 * never the product that uses it.
 */
import type { CreateEquosSessionRequest, CreateEquosSessionResponse, EquosSession } from '../../contract/equos/v1.js';
import type { SandboxEquosEndpoint } from '../index.js';

/** Sessions of the sandbox's Equos API. */
export interface EquosHttp {
  create(request: CreateEquosSessionRequest): Promise<CreateEquosSessionResponse>;
  stop(id: string): Promise<EquosSession>;
}

/** Calls the v1 session API at `equos`; a non-2xx answer rejects with its status and message. */
export function equosHttp(equos: SandboxEquosEndpoint): EquosHttp {
  async function call<T>(method: string, path: string, body: unknown): Promise<T> {
    const response = await fetch(`${equos.endpoint}/v1${path}`, {
      method,
      headers: { 'x-api-key': equos.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json: unknown = await response.json();
    if (!response.ok) throw new Error(`Equos ${method} ${path}: ${response.status} ${(json as { message?: string }).message ?? ''}`);
    return json as T;
  }
  return {
    create: (request) => call('POST', '/sessions', request),
    stop: (id) => call('PATCH', `/sessions/${encodeURIComponent(id)}/stop`, {}),
  };
}
