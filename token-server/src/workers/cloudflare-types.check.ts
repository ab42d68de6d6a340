/**
 * Proof, against @cloudflare/workers-types, that what the Workers runtime hands the Worker fits
 * the token server's own declarations of it (./cloudflare.ts, ./cloudflare-workers.d.ts):
 * each `Fits` below fails to compile if it does not. Checked by ./tsconfig.json only (`npm run
 * typecheck`); never bundled.
 */
import type { DurableObjectSqlStorage, LedgerRpc } from '../ledger/durable-object-store.js';
import type { AssetsBinding } from './assets.js';
import type { DurableObjectNamespaceOf, ScheduledControllerOf, WorkerContext } from './cloudflare.js';
import type { LedgerDurableObject } from './ledger-object.js';

/** `true` when a `Real` value may be used as an `Ours`; anything else does not satisfy `Holds`. */
type Fits<Real, Ours> = [Real] extends [Ours] ? true : false;
type Holds<Check extends true> = Check;

/** Each real type, as the Worker's code uses it. */
export type Proof = [
  // A stub of the ledger object is callable as the store's RPC verbs (their results included).
  Holds<Fits<DurableObjectNamespace<LedgerDurableObject>, DurableObjectNamespaceOf<LedgerRpc>>>,
  // A SQLite-backed object's storage is what the ledger's tables are opened on.
  Holds<Fits<DurableObjectStorage, DurableObjectSqlStorage>>,
  // The static assets binding.
  Holds<Fits<Fetcher, AssetsBinding>>,
  // The handlers' arguments.
  Holds<Fits<ScheduledController, ScheduledControllerOf>>,
  Holds<Fits<ExecutionContext, WorkerContext>>,
];
