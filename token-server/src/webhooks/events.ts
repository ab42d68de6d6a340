/**
 * The webhook events and the usage a session's start and end cause, built once, here: the
 * session ledger (../sessions/session-ledger.ts) calls these and hands the results to the
 * store as the `EntryEffects` of the same write, so an event is in the outbox exactly when
 * its change is in the ledger. The bodies are the wire contract's (contract/webhooks.ts),
 * serialised once: what is signed and sent on every retry is this text.
 */
import type { SessionEndCause, SessionEndedEvent, SessionStartedData, SessionStartedEvent, WebhookConsent } from '../../../contract/webhooks.js';
import { budgetDay, type EntryEffects, type LedgerEntry, type OutboxEvent } from '../ledger/store.js';
import type { StopCause } from '../sessions/stop-session.js';

/** How a session ended, as its stop knows it. */
export interface SessionEnd {
  /** The cause of the stop that Equos confirmed (or that settled it unknown). */
  cause: StopCause;
  /** Equos answered 404 for a day past its deadline: settled without a confirmation. */
  unknownAtEquos: boolean;
}

/** A stop's cause on the wire: every stop cause is an end cause of the contract (this fails to compile when one is added to StopCause alone). */
const endCause = (cause: StopCause): SessionEndCause => cause;

const iso = (ms: number) => new Date(ms).toISOString();

/** The outbox id of `type` for session `sessionId`: stable, so a second write of it is a no-op and the receiver can deduplicate. */
export function eventId(type: OutboxEvent['type'], sessionId: string): string {
  return `${type}:${sessionId}`;
}

function startedData(entry: LedgerEntry): SessionStartedData {
  const consent: WebhookConsent | null = entry.consent ? { version: entry.consent.version, accepted_at: iso(entry.consent.acceptedAt) } : null;
  return { session_id: entry.id, preset: entry.preset, origin: entry.origin, started_at: iso(entry.createdAt), deadline_at: iso(entry.deadline), consent };
}

/**
 * When a stopped session's billing ended: the stop's time (Equos' `endedAt` when it showed
 * one). A session Equos no longer knew ended by its deadline at the latest (Equos ends a
 * session at its maximum duration), not the day later the ledger gave up on it.
 */
export function billedEnd(stopped: LedgerEntry, end: SessionEnd): number {
  const stoppedAt = stopped.stoppedAt ?? stopped.createdAt;
  return Math.max(stopped.createdAt, end.unknownAtEquos ? Math.min(stoppedAt, stopped.deadline) : stoppedAt);
}

/**
 * The `session.started` event of `running` (just activated), recorded at `now`.
 *
 * @example
 * await store.replace(pending.id, running, { event: sessionStarted(running, now()) });
 */
export function sessionStarted(running: LedgerEntry, now: number): OutboxEvent {
  const body: SessionStartedEvent = { type: 'session.started', timestamp: iso(now), data: startedData(running) };
  return { id: eventId('session.started', running.id), type: 'session.started', body: JSON.stringify(body), createdAt: now, attempts: 0, nextAttemptAt: now };
}

/**
 * The `session.ended` event of `stopped` (just settled), recorded at `now`.
 *
 * @example
 * const event = sessionEnded(stopped, { cause: 'visitor', unknownAtEquos: false }, now());
 */
export function sessionEnded(stopped: LedgerEntry, end: SessionEnd, now: number): OutboxEvent {
  const endedAt = billedEnd(stopped, end);
  const body: SessionEndedEvent = {
    type: 'session.ended',
    timestamp: iso(now),
    data: {
      ...startedData(stopped),
      ended_at: iso(endedAt),
      duration_seconds: (endedAt - stopped.createdAt) / 1000,
      end_cause: endCause(end.cause),
      stop_attempts: stopped.stopAttempts,
      unknown_at_equos: end.unknownAtEquos,
    },
  };
  return { id: eventId('session.ended', stopped.id), type: 'session.ended', body: JSON.stringify(body), createdAt: now, attempts: 0, nextAttemptAt: now };
}

/**
 * What `stopped` adds to the usage: one session of its billed minutes, on the UTC day it
 * started (the budget's day), under its preset and origin.
 *
 * @example
 * await store.update(stopped, NOT_STOPPED, { usage: usageOf(stopped, end) });
 */
export function usageOf(stopped: LedgerEntry, end: SessionEnd): NonNullable<EntryEffects['usage']> {
  return { day: budgetDay(stopped.createdAt), preset: stopped.preset, origin: stopped.origin, minutes: (billedEnd(stopped, end) - stopped.createdAt) / 60_000 };
}
