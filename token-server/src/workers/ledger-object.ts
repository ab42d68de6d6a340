/**
 * The Durable Object that holds a deployment's session ledger on Cloudflare Workers: the
 * verbs of ../ledger/durable-object-store.ts on its own SQLite storage, each one a Workers RPC
 * method. The Worker binds it as `LEDGER` (wrangler.example.toml: a `new_sqlite_classes`
 * migration, since the ledger needs the SQL API) and reaches it through
 * `createDurableObjectStore`.
 */
import { DurableObject } from 'cloudflare:workers';
import { openLedgerTables, type LedgerTables } from '../ledger/durable-object-store.js';
import type { EntryEffects, LedgerEntry, LedgerState } from '../ledger/store.js';

/**
 * The ledger object. Each method runs one verb synchronously (see durable-object-store.ts
 * for why that makes it atomic); its value crosses to the Worker as a structured clone.
 *
 * @example
 * // worker.ts: the class must be exported by the Worker's main module.
 * export { LedgerDurableObject } from './ledger-object.js';
 */
export class LedgerDurableObject extends DurableObject<unknown> implements LedgerTables {
  readonly #tables: LedgerTables;

  constructor(ctx: ConstructorParameters<typeof DurableObject>[0], env: unknown) {
    super(ctx, env);
    // Synchronous, in the constructor: the tables exist before the object takes its first call.
    this.#tables = openLedgerTables(ctx.storage);
  }

  insertWithinCaps(entry: LedgerEntry, caps: { perVisitor: number; global: number }, now: number) {
    return this.#tables.insertWithinCaps(entry, caps, now);
  }
  replace(id: string, entry: LedgerEntry, effects?: EntryEffects) {
    return this.#tables.replace(id, entry, effects);
  }
  get(id: string) {
    return this.#tables.get(id);
  }
  update(entry: LedgerEntry, states: readonly LedgerState[], effects?: EntryEffects) {
    return this.#tables.update(entry, states, effects);
  }
  remove(id: string, states: readonly LedgerState[]) {
    return this.#tables.remove(id, states);
  }
  listDue(now: number, states: readonly LedgerState[], limit: number) {
    return this.#tables.listDue(now, states, limit);
  }
  countOpen(now: number, visitorKey?: string) {
    return this.#tables.countOpen(now, visitorKey);
  }
  claim(id: string, owner: string, now: number, leaseMs: number) {
    return this.#tables.claim(id, owner, now, leaseMs);
  }
  releaseClaim(id: string, owner: string) {
    return this.#tables.releaseClaim(id, owner);
  }
  housekeeping(now: number) {
    return this.#tables.housekeeping(now);
  }
  hit(key: string, limit: number, windowMs: number, now: number) {
    return this.#tables.hit(key, limit, windowMs, now);
  }
  addBudget(day: string, minutes: number) {
    return this.#tables.addBudget(day, minutes);
  }
  budgetUsed(day: string) {
    return this.#tables.budgetUsed(day);
  }
  keepFirst(name: string, value: string) {
    return this.#tables.keepFirst(name, value);
  }
  listOutboxDue(now: number, limit: number) {
    return this.#tables.listOutboxDue(now, limit);
  }
  rescheduleOutbox(id: string, attempts: number, nextAttemptAt: number) {
    return this.#tables.rescheduleOutbox(id, attempts, nextAttemptAt);
  }
  removeOutbox(id: string) {
    return this.#tables.removeOutbox(id);
  }
  outboxSize() {
    return this.#tables.outboxSize();
  }
  usage(fromDay: string, toDay: string) {
    return this.#tables.usage(fromDay, toDay);
  }
}
