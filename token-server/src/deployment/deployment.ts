/**
 * A deployment: the instances that share one ledger (one SQLite file, or one Redis). Several
 * deployments may share one Equos organisation (production, staging, a developer's
 * `npm start` with the production key), so what tells their sessions apart cannot come from
 * the environment, which they may well share: each deployment makes an id once, keeps it in
 * its ledger, and tags its sessions with it. Its sweep then only ever sees its own sessions,
 * and instances sharing a Redis share the id.
 *
 * The session secret (stop tokens, visitor keys) is kept the same way when the operator sets
 * none, so that a restart or a second instance still verifies the stop tokens already handed
 * out: a redeploy must not cut visitors off.
 */
import { toBase64Url } from '../internal/base64url.js';
import type { DeploymentStore } from '../ledger/store.js';

/** What a deployment's instances share. */
export interface Deployment {
  /** The `client` tag of its sessions at Equos: `<EQUOS_CLIENT>:<deployment id>`. */
  clientTag: string;
  /** Key of stop tokens and visitor keys: SESSION_SECRET, or the one kept in the ledger. */
  sessionSecret: string;
}

/** What the deployment is made of. */
export interface DeploymentOptions {
  /** EQUOS_CLIENT: the first part of the tag. */
  clientPrefix: string;
  /** SESSION_SECRET, or null to keep a generated one in the ledger. */
  sessionSecret: string | null;
  /** Which Equos this ledger's sessions live at: a ledger holds the sessions of one only. */
  equos: 'sandbox' | 'cloud';
}

/** The ledger was written by a deployment of the other Equos (the sandbox, or the cloud). */
export class LedgerOfAnotherEquosError extends Error {
  constructor(ledgerEquos: string, ours: string) {
    super(
      `this ledger holds sessions of the ${ledgerEquos === 'sandbox' ? 'local sandbox' : 'real Equos'}, and this server runs on the ${ours === 'sandbox' ? 'local sandbox' : 'real Equos'}: ` +
        'give it a ledger of its own (LEDGER_PATH or REDIS_URL), so neither stops or counts the other\'s sessions.',
    );
    this.name = 'LedgerOfAnotherEquosError';
  }
}

/** Names of what is kept in the ledger. */
const KEPT = { id: 'deployment-id', secret: 'session-secret', equos: 'equos' } as const;

/**
 * Reads (making them on first use) the deployment's identity and secret from the ledger.
 * The answer is kept once read; a failed read (a ledger that is down) is tried again on the
 * next call.
 *
 * @example
 * const deployment = deploymentIn(store, { clientPrefix: 'equos-avatar', sessionSecret: null, equos: 'cloud' });
 * const { clientTag } = await deployment();
 */
export function deploymentIn(store: DeploymentStore, options: DeploymentOptions): () => Promise<Deployment> {
  let reading: Promise<Deployment> | undefined;
  async function read(): Promise<Deployment> {
    const equos = await store.keepFirst(KEPT.equos, options.equos);
    if (equos !== options.equos) throw new LedgerOfAnotherEquosError(equos, options.equos);
    const id = await store.keepFirst(KEPT.id, randomText(9));
    const sessionSecret = options.sessionSecret ?? (await store.keepFirst(KEPT.secret, randomText(32)));
    return { clientTag: `${options.clientPrefix}:${id}`, sessionSecret };
  }
  return () =>
    (reading ??= read().catch((error: unknown) => {
      reading = undefined;
      throw error;
    }));
}

/** `bytes` random bytes as base64url (letters, digits, - and _: valid in an Equos tag). */
function randomText(bytes: number): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}
