/**
 * A Worker that lets a Node test process drive the ledger object as the token server's Worker
 * does: `POST /<object name>/<verb>` with the verb's arguments as a JSON array calls that verb
 * of `createDurableObjectStore` on the object of that name (a fresh, empty ledger per name) and
 * answers `{ "value": … }`, or 500 `{ "error": "…" }` when the verb threw. So the store
 * contract runs on the real object, in workerd, over real RPC (token-server/test/workers/).
 *
 * Test support, not product code: it gives anyone who can reach it the whole ledger.
 */
import { createDurableObjectStore, type LedgerRpc, type LedgerVerb } from '../../ledger/durable-object-store.js';
import type { LedgerStore } from '../../ledger/store.js';
import type { DurableObjectNamespaceOf, WorkerHandlers } from '../cloudflare.js';

export { LedgerDurableObject } from '../ledger-object.js';

interface StoreWorkerEnv {
  LEDGER: DurableObjectNamespaceOf<LedgerRpc>;
}

export default {
  async fetch(request, env) {
    const [, name, verb] = new URL(request.url).pathname.split('/');
    if (request.method !== 'POST' || !name || !verb) return Response.json({ error: 'POST /<object name>/<verb>' }, { status: 404 });
    const id = env.LEDGER.idFromName(name);
    const store: LedgerStore = createDurableObjectStore(() => env.LEDGER.get(id));
    const method = store[verb as LedgerVerb] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (typeof method !== 'function') return Response.json({ error: `no verb ${verb}` }, { status: 404 });
    try {
      const value = await method(...((await request.json()) as unknown[]));
      return Response.json({ value: value ?? null });
    } catch (error) {
      return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 500 });
    }
  },
} satisfies WorkerHandlers<StoreWorkerEnv>;
