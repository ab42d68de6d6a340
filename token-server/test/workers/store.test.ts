/**
 * The ledger object passes the store contract: the real Durable Object on SQLite storage, in
 * workerd (Miniflare), reached the way the token server's Worker reaches it (the store of
 * createDurableObjectStore, over Workers RPC). Each test gets an object of its own name, so
 * a fresh, empty ledger.
 */
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll } from 'vitest';
import type { LedgerVerb } from '../../src/ledger/durable-object-store.js';
import type { LedgerStore } from '../../src/ledger/store.js';
import { describeStoreContract } from '../../src/ledger/testing/store-contract.js';
import { bundleTestWorker, COMPATIBILITY_DATE, STORE_WORKER_ENTRY, type BundledWorker } from './bundle.js';

let worker: BundledWorker;
let mf: Miniflare;
beforeAll(async () => {
  worker = await bundleTestWorker(STORE_WORKER_ENTRY);
  mf = new Miniflare({
    modules: true,
    scriptPath: worker.scriptPath,
    modulesRoot: worker.modulesRoot,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: ['nodejs_compat'],
    durableObjects: { LEDGER: { className: 'LedgerDurableObject', useSQLite: true } },
  });
  await mf.ready;
}, 60_000);
afterAll(async () => {
  await mf?.dispose();
  worker?.remove();
});

/** Every verb, once (a missing one fails the type check). */
const VERBS: Record<LedgerVerb, true> = {
  insertWithinCaps: true,
  replace: true,
  get: true,
  update: true,
  remove: true,
  listDue: true,
  countOpen: true,
  claim: true,
  releaseClaim: true,
  housekeeping: true,
  hit: true,
  addBudget: true,
  budgetUsed: true,
  keepFirst: true,
  listOutboxDue: true,
  rescheduleOutbox: true,
  removeOutbox: true,
  outboxSize: true,
  usage: true,
};

/** A store whose every verb is a request to the store worker, for the object `name`. */
function objectStore(name: string): LedgerStore {
  const call = (verb: string) => async (...args: unknown[]) => {
    // JSON has no undefined: a trailing optional argument left out is the same call.
    while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
    const response = await mf.dispatchFetch(`http://ledger.test/${name}/${verb}`, { method: 'POST', body: JSON.stringify(args) });
    const answer = (await response.json()) as { value?: unknown; error?: string };
    if (response.status !== 200) throw new Error(`${verb}: ${answer.error ?? response.status}`);
    return answer.value ?? null;
  };
  return {
    kind: 'durable-object',
    ...Object.fromEntries(Object.keys(VERBS).map((verb) => [verb, call(verb)])),
    async close() {},
  } as LedgerStore;
}

let objects = 0;
describeStoreContract('durable object (workerd)', () => objectStore(`contract-${(objects += 1)}`));
