/**
 * The few Workers runtime types the token server's Worker uses, declared here so that its code
 * is type-checked with the rest of the token server (against Node's types, not
 * @cloudflare/workers-types, whose globals clash with them). ./cloudflare-types.check.ts
 * proves, against @cloudflare/workers-types, that the real ones fit these
 * (`npx tsc -p token-server/src/workers/tsconfig.json`).
 */
import type { ExecutionContext } from 'hono';

/** A Durable Object's id (`DurableObjectId`). */
export interface DurableObjectIdOf {
  toString(): string;
}

/** A Durable Object namespace binding whose objects' stubs are `Stub` (`DurableObjectNamespace<T>`). */
export interface DurableObjectNamespaceOf<Stub> {
  idFromName(name: string): DurableObjectIdOf;
  get(id: DurableObjectIdOf): Stub;
}

/** A cron trigger's event (`ScheduledController`). */
export interface ScheduledControllerOf {
  /** The minute the cron was due, ms since the epoch. */
  readonly scheduledTime: number;
  readonly cron: string;
}

/** What a Worker's handlers are given besides the event (`ExecutionContext`; Hono's type of it). */
export type WorkerContext = ExecutionContext;

/** A module Worker's handlers (`ExportedHandler<Env>`), as far as the token server has them. */
export interface WorkerHandlers<Env> {
  fetch(request: Request, env: Env, ctx: WorkerContext): Promise<Response>;
  scheduled?(controller: ScheduledControllerOf, env: Env, ctx: WorkerContext): Promise<void>;
}
