/**
 * What the Equos API double knows: the sessions it started, when each ended and why, and a
 * log of every call, so tests can assert exactly what reached "Equos".
 */
import type { EquosSession } from '../../contract/equos/v1.js';
import type { FaultRoute } from './faults.js';

/** Why a session ended. */
export type EndReason = 'stop' | 'max-duration';

/** A session as the double keeps it. */
export interface DoubleSession {
  /** Started as a v1 session or a v3 conversation (each API sees only its own). */
  generation: 'v1' | 'v3';
  session: EquosSession;
  /** The template variables a start carried (v1 `templateVars`, v3 `promptTemplateVars`). */
  templateVars?: Record<string, string> | null;
  /** Every stop call that reached this session, the idempotent repeats included. */
  stopCalls: number;
  endedBy?: EndReason;
}

/** One call that reached the double. */
export interface DoubleCall {
  route: FaultRoute | 'other';
  method: string;
  path: string;
  sessionId?: string;
  at: number;
}

/** Called when a session starts or ends (the sandbox's LiveKit rooms follow these). */
export interface SessionListener {
  started?(session: EquosSession): void;
  ended?(session: EquosSession, reason: EndReason): void;
}

/** The double's sessions and call log. */
export class DoubleState {
  readonly sessions = new Map<string, DoubleSession>();
  readonly calls: DoubleCall[] = [];
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #listeners = new Set<SessionListener>();
  readonly #now: () => number;
  readonly #autoEnd: boolean;

  constructor(now: () => number = Date.now, autoEnd = true) {
    this.#now = now;
    this.#autoEnd = autoEnd;
  }

  /** The current time in ms. */
  now(): number {
    return this.#now();
  }

  /** Records a call. */
  record(call: Omit<DoubleCall, 'at'>): void {
    this.calls.push({ ...call, at: this.#now() });
  }

  /** Calls recorded for `route` (optionally for one session). */
  callsTo(route: DoubleCall['route'], sessionId?: string): DoubleCall[] {
    return this.calls.filter((call) => call.route === route && (sessionId === undefined || call.sessionId === sessionId));
  }

  /** The session `id` if it was started through API generation `generation`. */
  sessionOf(id: string, generation: 'v1' | 'v3'): DoubleSession | undefined {
    const entry = this.sessions.get(id);
    return entry?.generation === generation ? entry : undefined;
  }

  /** Sessions not yet ended. */
  running(): DoubleSession[] {
    return [...this.sessions.values()].filter((entry) => !entry.session.endedAt);
  }

  /** Adds a session and schedules its end after `maxDuration` seconds, like Equos does. */
  start(session: EquosSession, generation: 'v1' | 'v3' = 'v1'): void {
    this.sessions.set(session.id, { generation, session, stopCalls: 0 });
    if (session.maxDuration && this.#autoEnd) {
      const timer = setTimeout(() => this.end(session.id, 'max-duration'), session.maxDuration * 1000);
      timer.unref?.();
      this.#timers.set(session.id, timer);
    }
    for (const listener of this.#listeners) listener.started?.(session);
  }

  /** Ends a session once; later calls leave it as it is. Returns it, or `undefined`. */
  end(id: string, reason: EndReason): DoubleSession | undefined {
    const entry = this.sessions.get(id);
    if (!entry) return undefined;
    if (reason === 'stop') entry.stopCalls += 1;
    if (entry.session.endedAt) return entry;
    const endedAt = new Date(this.#now()).toISOString();
    entry.session = { ...entry.session, status: 'ended', endedAt, updatedAt: endedAt };
    entry.endedBy = reason;
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    for (const listener of this.#listeners) listener.ended?.(entry.session, reason);
    return entry;
  }

  /** Subscribes to session starts and ends; returns the unsubscribe. */
  subscribe(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Cancels every pending max-duration timer. */
  dispose(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#listeners.clear();
  }
}
