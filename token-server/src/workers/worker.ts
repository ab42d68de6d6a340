/**
 * The token server on Cloudflare Workers: the Worker's main module, built into
 * dist/server/workers.mjs (scripts/build-server.mjs), which `wrangler deploy` uploads as it is
 * (./wrangler.example.toml). `fetch` is the token server's app; `scheduled` (a cron trigger
 * every minute) runs its background passes (./passes.ts); the ledger is the Durable Object
 * exported here (./ledger-object.ts), one per deployment; the visitor's address is
 * `CF-Connecting-IP`; the widget's files come from the static assets binding.
 *
 * Like node/server.ts on Node, this is the only module that reads the Worker's env.
 */
import { PROBLEM_CONTENT_TYPE } from '../../../contract/problems.js';
import type { Settings } from '../config/settings.js';
import { createDurableObjectStore, LEDGER_OBJECT_NAME, type LedgerRpc } from '../ledger/durable-object-store.js';
import type { EntryEffects, LedgerStore } from '../ledger/store.js';
import { createLogger, type Logger } from '../logger.js';
import { ProblemError } from '../problems.js';
import { createTokenServer, type TokenServer } from '../token-server.js';
import { workerAssets, type AssetsBinding } from './assets.js';
import type { DurableObjectNamespaceOf, WorkerHandlers } from './cloudflare.js';
import { cloudflareConnectionAddress } from './connection-address.js';
import { workerEquosFetch } from './equos-fetch.js';
import { passesDue, runScheduledPasses } from './passes.js';
import { readWorkerSettings } from './settings.js';

export { LedgerDurableObject } from './ledger-object.js';

/** What the Worker is bound to: the ledger object, the widget's files [none], and its vars and secrets. */
export interface TokenServerWorkerEnv {
  LEDGER: DurableObjectNamespaceOf<LedgerRpc>;
  ASSETS?: AssetsBinding;
  [variable: string]: unknown;
}

/** A token server built for one isolate, or why it could not be. */
type Built = { server: TokenServer; settings: Settings; logger: Logger; eventsWritten: () => number } | { failed: ProblemError };

/**
 * One token server per isolate, built at its first event and kept for the next ones (the one
 * piece of module state here, as a Worker has nowhere else to keep it): it holds what its
 * requests share, the deployment's id and secret once read from the ledger, the memo of
 * visitor keys, the early sweep a failed create asked for, which a server built per request
 * would lose. Keyed by the env object, which workerd hands every event of an isolate (a new
 * deployment, with new vars or secrets, runs in new isolates). Not built at module scope:
 * workerd allows no random numbers (the instance's name) outside a handler.
 */
const servers = new WeakMap<object, Built>();

function tokenServerFor(env: TokenServerWorkerEnv): Built {
  let built = servers.get(env);
  if (!built) {
    built = build(env);
    servers.set(env, built);
  }
  return built;
}

function build(env: TokenServerWorkerEnv): Built {
  // The key is redacted from every line, even when the settings around it are invalid.
  const secrets = typeof env.EQUOS_API_KEY === 'string' && env.EQUOS_API_KEY ? [env.EQUOS_API_KEY] : [];
  try {
    if (!env.LEDGER) throw new TypeError('the Worker has no LEDGER binding: bind the ledger object (durable_objects.bindings in wrangler.example.toml).');
    const { settings, warnings } = readWorkerSettings(env);
    const logger = createLogger({ secrets, level: settings.logLevel });
    for (const warning of warnings) logger.warn('config.warning', { message: warning });
    const namespace = env.LEDGER;
    const id = namespace.idFromName(LEDGER_OBJECT_NAME);
    const { store, eventsWritten } = countingEvents(createDurableObjectStore(() => namespace.get(id)));
    const server = createTokenServer(settings, {
      store,
      logger,
      connectionAddress: cloudflareConnectionAddress,
      equosFetch: workerEquosFetch,
      ...(env.ASSETS ? { assets: workerAssets(env.ASSETS) } : {}),
    });
    return { server, settings, logger, eventsWritten };
  } catch (error) {
    // A ConfigError names the variable and never repeats the key's value; the log says it once per isolate.
    createLogger({ secrets }).error('config.invalid', { error: error instanceof Error ? error.message : String(error) });
    // 503, as /readyz answers a server that cannot serve yet: the operator's to fix, not the visitor's fault, and no crash.
    return { failed: new ProblemError('not-ready', { detail: "The token server's configuration is invalid; its log (config.invalid) names what to fix." }) };
  }
}

/**
 * The store, counting the webhook events written through it. Writing one starts a delivery
 * pass at once, which nothing awaits (../sessions/session-ledger.ts); on Workers, what a
 * request or a cron invocation leaves unfinished may be cut off when it ends (and a pass cut
 * off would hold up the isolate's next ones), so one that wrote any event waits for a
 * delivery pass, which joins that one, before it ends. The events are in the ledger either
 * way: a cut-off pass would only delay them.
 */
function countingEvents(store: LedgerStore): { store: LedgerStore; eventsWritten: () => number } {
  let written = 0;
  const counted = (effects: EntryEffects | undefined) => {
    if (effects?.event) written += 1;
  };
  return {
    store: {
      ...store,
      async replace(id, entry, effects) {
        await store.replace(id, entry, effects);
        counted(effects);
      },
      async update(entry, states, effects) {
        const updated = await store.update(entry, states, effects);
        if (updated) counted(effects);
        return updated;
      },
    },
    eventsWritten: () => written,
  };
}

/**
 * Notes how many events were written so far; the function returned waits for a delivery pass
 * if more were written since (see `countingEvents`).
 */
function deliveriesSince(built: Extract<Built, { server: TokenServer }>): () => Promise<void> {
  const before = built.eventsWritten();
  return async () => {
    if (built.eventsWritten() !== before) await built.server.deliverWebhooksOnce().catch(() => 0);
  };
}

/**
 * The app's answer as workerd must be handed it: workerd compresses a body by its
 * Content-Encoding itself unless told it is encoded already (`encodeBody: 'manual'`), and the
 * app sends the widget's files as the build's Brotli and gzip copies, so without this they
 * would be compressed twice and unpacked once (a widget that does not load).
 */
function precompressed(response: Response): Response {
  if (!response.headers.has('content-encoding')) return response;
  const init: ResponseInit & { encodeBody: 'manual' } = { status: response.status, statusText: response.statusText, headers: response.headers, encodeBody: 'manual' };
  return new Response(response.body, init);
}

/** The answer to every request of a Worker whose configuration is invalid. */
function misconfigured(problem: ProblemError): Response {
  return new Response(JSON.stringify(problem.toBody()), { status: problem.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' } });
}

/**
 * The Worker's handlers: `fetch` answers with the token server's app, `scheduled` runs its
 * background passes on the cron trigger.
 *
 * @example
 * // wrangler.toml: main = "dist/server/workers.mjs", and a cron trigger every minute (wrangler.example.toml)
 */
export default {
  async fetch(request, env, ctx) {
    const built = tokenServerFor(env);
    if ('failed' in built) return misconfigured(built.failed);
    const { server } = built;
    const delivered = deliveriesSince(built);
    const handling = Promise.resolve(server.fetch(request, {}, ctx)).then(precompressed);
    // Registered with waitUntil, the request runs to its end even when the visitor leaves
    // (workerd may cancel the rest of a request whose client went away): a create under way
    // still records, or stops, what Equos started. What follows the answer runs within the
    // same event, after it: the delivery of the events the request wrote, and an early orphan
    // sweep that has come due (one a failed create asked for).
    ctx.waitUntil(
      handling
        .catch(() => undefined)
        .then(delivered)
        .then(() => server.sweepIfDue())
        .catch(() => undefined),
    );
    return handling;
  },

  async scheduled(controller, env) {
    const built = tokenServerFor(env);
    // Thrown, the cron event shows as failed in Cloudflare's dashboard (config.invalid is logged).
    if ('failed' in built) throw new Error(built.failed.detail);
    const delivered = deliveriesSince(built);
    const failed = await runScheduledPasses(built.server, passesDue(controller.scheduledTime, built.settings.reaper), built.logger);
    await delivered();
    if (failed.length > 0) built.logger.warn('scheduled.passes.failed', { passes: failed.join(',') });
  },
} satisfies WorkerHandlers<TokenServerWorkerEnv>;
