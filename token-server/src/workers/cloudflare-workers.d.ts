/**
 * The `cloudflare:workers` module, as far as the ledger object uses it. The runtime provides
 * it; @cloudflare/workers-types declares it in full but is not used for the token server's
 * type check (./cloudflare.ts says why; ./cloudflare-types.check.ts checks this against it).
 */
declare module 'cloudflare:workers' {
  /** The base class of a Durable Object: its public methods are what its stubs can call over RPC. */
  export abstract class DurableObject<Env = unknown> {
    /** Its state: the storage, with the SQL API of a SQLite-backed object (`DurableObjectState`). */
    protected ctx: {
      storage: {
        sql: { exec(query: string, ...bindings: Array<string | number | null>): { toArray(): unknown[] } };
        transactionSync<T>(closure: () => T): T;
      };
    };
    protected env: Env;
    constructor(ctx: DurableObject['ctx'], env: Env);
  }
}
