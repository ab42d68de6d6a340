/**
 * Why the token server could not be reached, when the reason is the site's setup rather than
 * the visitor's network: the page's Content-Security-Policy blocks it, or the token server does
 * not allow the page's origin. Both look the same to `fetch` (a TypeError); the visitor is then
 * told the avatar is not available here, and the site owner, in the console, what to change.
 */
import type { ErrorCause } from '../call/machine.js';
import { serverUrl } from '../internal/server-url.js';

/** A setup problem: the visitor's cause, and the site owner's warning. */
export interface SetupProblem {
  cause: Extract<ErrorCause, 'blocked-by-page' | 'origin-not-allowed'>;
  warning: string;
}

interface Violation {
  blockedURI: string;
  directive: string;
}

/** The page's CSP refusals since this file loaded (the browser reports them on the document). */
const violations: Violation[] = [];
/** Who waits for a refusal of a URL starting with one of their origins. */
const watchers = new Set<{ origins: readonly string[]; notify(): void }>();
if (typeof document !== 'undefined') {
  document.addEventListener(
    'securitypolicyviolation',
    (event) => {
      const violation = { blockedURI: event.blockedURI, directive: event.effectiveDirective || event.violatedDirective };
      violations.push(violation);
      if (violations.length > 50) violations.shift();
      for (const watcher of watchers) if (watcher.origins.some((origin) => violation.blockedURI.startsWith(origin))) watcher.notify();
    },
    true,
  );
}

/**
 * Calls `notify` when the page's CSP refuses a request to one of `origins`; returns the
 * unsubscribe. Firefox throws a refused WebSocket out of its constructor, where livekit-client
 * does not catch it and waits for its 15 s timeout: this lets the call stop waiting at once.
 */
export function onRefusal(origins: readonly string[], notify: () => void): () => void {
  const watcher = { origins, notify };
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}

/**
 * The page's CSP refusal of a request to one of `origins`, if it reported one. Waits a task
 * first: the violation event is queued as a task of its own, after the failure it caused.
 */
async function refusalOf(origins: readonly string[]): Promise<Violation | undefined> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  return violations.find((violation) => origins.some((origin) => violation.blockedURI.startsWith(origin)));
}

/** The origins a LiveKit room at `serverUrl` is reached at: its `ws(s):` socket and livekit-client's `http(s):` check. */
export function roomOrigins(serverUrl: string): string[] {
  if (!URL.canParse(serverUrl)) return [];
  const socket = new URL(serverUrl);
  return [socket.origin, `${socket.protocol === 'ws:' ? 'http:' : 'https:'}//${socket.host}`];
}

/** Whether the page's CSP refused the room at `serverUrl`; says so to the site owner when it did. */
export async function roomRefused(serverUrl: string): Promise<boolean> {
  const origins = roomOrigins(serverUrl);
  const refused = origins.length ? await refusalOf(origins) : undefined;
  if (refused) console.warn(policyWarning(origins[0]!, refused.directive, 'the LiveKit server'));
  return refused !== undefined;
}

/** The warning for a CSP refusal of `origin`. */
function policyWarning(origin: string, directive: string, what: string): string {
  return `<equos-avatar>: this page's Content-Security-Policy blocks ${what} at ${origin} (${directive}). Add ${origin} to ${directive}; see "Content-Security-Policy" in the widget's README for every directive it needs.`;
}

/** The warning for a token server that does not allow this page's origin. */
export function originWarning(server: URL): string {
  return `<equos-avatar>: the token server at ${server.origin} does not allow this page's origin, ${location.origin}. Add ${location.origin} to ALLOWED_ORIGINS on the token server.`;
}

/**
 * Finds out why `server` could not be reached: a CSP refusal the page reported, or a token
 * server that refuses this origin (asked with a simple GET, whose refusal the server lets the
 * page read; it costs nothing). `undefined` when it looks like the network.
 */
export async function diagnoseUnreachable(server: URL): Promise<SetupProblem | undefined> {
  const blocked = await refusalOf([server.origin]);
  if (blocked) return { cause: 'blocked-by-page', warning: policyWarning(server.origin, blocked.directive, 'the token server') };
  try {
    const response = await fetch(serverUrl(server, 'api/presets'), { credentials: 'omit', cache: 'no-store' });
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status === 403 && (body as { code?: unknown } | undefined)?.code === 'origin-not-allowed') {
      return { cause: 'origin-not-allowed', warning: originWarning(server) };
    }
  } catch {
    // Unreachable for this request too: the network (or a server that is down).
  }
  return undefined;
}
