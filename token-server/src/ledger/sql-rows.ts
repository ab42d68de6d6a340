/**
 * The ledger's entries and outbox events as the SQL stores keep them (./sqlite-store.ts,
 * ./durable-object-store.ts, ./postgres-store.ts): one snake_case column per field, an entry's
 * consent in two. One home for the mapping, so a field added to `LedgerEntry` reaches every SQL
 * store at once. Each store writes its own DDL (the dialects differ) from these names.
 */
import type { LedgerEntry, LedgerState, OutboxEvent, OutboxEventType } from './store.js';

/** A value a SQL store binds or reads (the ledger keeps no blobs). */
export type SqlValue = string | number | null;

/**
 * The entries' columns, in `entryValues` order, each with its Postgres type (SQLite's affinity
 * follows from the same words: TEXT, INTEGER, REAL).
 */
export const ENTRY_COLUMNS = [
  ['id', 'text'],
  ['preset', 'text'],
  ['origin', 'text'],
  ['visitor_key', 'text'],
  ['created_at', 'bigint'],
  ['deadline', 'bigint'],
  ['last_heartbeat', 'bigint'],
  ['stop_attempts', 'integer'],
  ['state', 'text'],
  ['next_attempt_at', 'bigint'],
  ['stopped_at', 'bigint'],
  ['reserved_minutes', 'double precision'],
  ['due_at', 'bigint'],
  ['open_until', 'bigint'],
  ['visitor_open_until', 'bigint'],
  ['forget_at', 'bigint'],
  ['consent_version', 'text'],
  ['consent_at', 'bigint'],
] as const;

/** An entry column's name. */
export type EntryColumn = (typeof ENTRY_COLUMNS)[number][0];

/** The entries' column names, in `entryValues` order. */
export const ENTRY_COLUMN_NAMES: readonly EntryColumn[] = ENTRY_COLUMNS.map(([name]) => name);

/**
 * A row of the entries table as a driver hands it back. `Time` is how a time column arrives:
 * a number from SQLite, text from Postgres' BIGINT (so no precision is lost on the way).
 */
export interface EntryRow<Time = number> {
  id: string;
  preset: string;
  origin: string | null;
  visitor_key: string;
  created_at: Time;
  deadline: Time;
  last_heartbeat: Time;
  stop_attempts: number;
  state: LedgerState;
  next_attempt_at: Time;
  stopped_at: Time | null;
  reserved_minutes: number;
  due_at: Time | null;
  open_until: Time;
  visitor_open_until: Time;
  forget_at: Time | null;
  consent_version: string | null;
  consent_at: Time | null;
}

/** A row of the outbox table. */
export interface OutboxRow<Time = number> {
  id: string;
  type: OutboxEventType;
  body: string;
  created_at: Time;
  attempts: number;
  next_attempt_at: Time;
}

/** How a store turns a time column into ms [as it is]. */
export type ReadTime<Time> = (value: Time) => number;

const asIs = (value: unknown) => value as number;

/**
 * The values of `entry` in `ENTRY_COLUMNS` order.
 *
 * @param time how a time is written [as it is]; Postgres' BIGINT takes whole ms
 */
export function entryValues(entry: LedgerEntry, time: (ms: number) => number = (ms) => ms): SqlValue[] {
  const optional = (ms: number | null) => (ms === null ? null : time(ms));
  return [
    entry.id,
    entry.preset,
    entry.origin,
    entry.visitorKey,
    time(entry.createdAt),
    time(entry.deadline),
    time(entry.lastHeartbeat),
    entry.stopAttempts,
    entry.state,
    time(entry.nextAttemptAt),
    optional(entry.stoppedAt),
    entry.reservedMinutes,
    optional(entry.dueAt),
    time(entry.openUntil),
    time(entry.visitorOpenUntil),
    optional(entry.forgetAt),
    entry.consent?.version ?? null,
    optional(entry.consent?.acceptedAt ?? null),
  ];
}

/** The entry a row holds (a consent only when both its columns are set). */
export function entryOfRow<Time>(row: EntryRow<Time>, time: ReadTime<Time> = asIs): LedgerEntry {
  const optional = (value: Time | null) => (value === null ? null : time(value));
  return {
    id: row.id,
    preset: row.preset,
    origin: row.origin,
    visitorKey: row.visitor_key,
    createdAt: time(row.created_at),
    deadline: time(row.deadline),
    lastHeartbeat: time(row.last_heartbeat),
    stopAttempts: row.stop_attempts,
    state: row.state,
    nextAttemptAt: time(row.next_attempt_at),
    stoppedAt: optional(row.stopped_at),
    reservedMinutes: row.reserved_minutes,
    dueAt: optional(row.due_at),
    openUntil: time(row.open_until),
    visitorOpenUntil: time(row.visitor_open_until),
    forgetAt: optional(row.forget_at),
    consent: row.consent_version !== null && row.consent_at !== null ? { version: row.consent_version, acceptedAt: time(row.consent_at) } : null,
  };
}

/** The event an outbox row holds. */
export function outboxEventOfRow<Time>(row: OutboxRow<Time>, time: ReadTime<Time> = asIs): OutboxEvent {
  return { id: row.id, type: row.type, body: row.body, createdAt: time(row.created_at), attempts: row.attempts, nextAttemptAt: time(row.next_attempt_at) };
}
