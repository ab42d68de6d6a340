/**
 * The body of `POST /api/sessions`: ours (`preset`, `participant_name`) or LiveKit's
 * standard token-endpoint request (`participant_name`, `room_config.agents[0].agent_name`
 * naming the preset), as sent by livekit-client's `TokenSource.endpoint()`.
 *
 * Everything else is refused by name. A browser must never choose agents, avatars, prompts,
 * durations, rooms or its own identity: the page is public, so anything it may set, anyone
 * may set, with the site owner's credits.
 *
 * @see livekit-client src/room/token-source/TokenSource.ts (createRequestFromOptions)
 */
import { CONSENT_VERSION_PATTERN, type CreateSessionRequest } from '../../../../contract/token-server-api.js';
import type { LedgerConsent } from '../../ledger/store.js';
import { ProblemError } from '../../problems.js';
import { isJsonObject } from '../../internal/json.js';
import type { RequestBody } from './body.js';

/** What the browser asked for (read from the contract's `CreateSessionRequest`), still to be checked against the presets. */
export interface ParsedCreateRequest {
  presetName?: string;
  participantName?: string;
  /** Still to be checked against the preset's `page_vars`. */
  pageVars?: Record<string, string>;
  /** The visitor's consent, its format checked; its time and version still to be checked (../../sessions/consent.ts). */
  consent?: LedgerConsent;
}

const TOP_LEVEL_FIELDS = new Set<string>(['preset', 'participant_name', 'room_config', 'page_vars', 'consent'] satisfies Array<keyof CreateSessionRequest>);
const CONSENT_FIELDS = new Set<string>(['version', 'accepted_at'] satisfies Array<keyof NonNullable<CreateSessionRequest['consent']>>);
/** RFC 3339 in UTC, as `Date.prototype.toISOString` writes it (fractions of a second optional, up to ns). */
const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const MAX_RAW_NAME_LENGTH = 1024;
const MAX_PAGE_VARS = 16;

/**
 * Validates the create body.
 *
 * @throws ProblemError `invalid-json` / `invalid-field` (400; a malformed `consent` too), `field-not-allowed` or
 *   `conflicting-preset` (422)
 */
export function parseCreateSessionRequest(body: RequestBody): ParsedCreateRequest {
  if (body.kind === 'empty') return {};
  if (body.kind !== 'json' || !isJsonObject(body.value)) {
    throw new ProblemError('invalid-json', { detail: 'The body must be a JSON object.' });
  }
  const fields = body.value;
  for (const field of Object.keys(fields)) {
    if (!TOP_LEVEL_FIELDS.has(field)) refuse(field);
  }

  const preset = optionalString(fields, 'preset', 'preset');
  const agentName = readAgentName(fields.room_config);
  if (preset !== undefined && agentName !== undefined && normalisePresetName(preset) !== normalisePresetName(agentName)) {
    throw new ProblemError('conflicting-preset', { detail: '`preset` and room_config.agents[0].agent_name differ.' });
  }
  const presetName = preset ?? agentName;
  const participantName = optionalString(fields, 'participant_name', 'participant_name');
  if (participantName !== undefined && participantName.length > MAX_RAW_NAME_LENGTH) {
    throw new ProblemError('invalid-field', { detail: `participant_name must be at most ${MAX_RAW_NAME_LENGTH} characters.` });
  }
  const pageVars = readPageVars(fields.page_vars);
  const consent = readConsent(fields.consent);
  return {
    ...(presetName === undefined ? {} : { presetName: normalisePresetName(presetName) }),
    ...(participantName === undefined ? {} : { participantName }),
    ...(pageVars === undefined ? {} : { pageVars }),
    ...(consent === undefined ? {} : { consent }),
  };
}

/**
 * `consent`: `{ version, accepted_at }` and nothing else, the version in the contract's
 * characters and the time a real UTC instant (`2026-02-30` is refused, not rolled over), read
 * to ms. Nothing of what was sent is repeated in the problem: the fields are named instead.
 */
function readConsent(value: unknown): LedgerConsent | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw invalid('consent', 'an object with version and accepted_at');
  for (const field of Object.keys(value)) {
    if (!CONSENT_FIELDS.has(field)) throw new ProblemError('invalid-field', { detail: `consent.${field.slice(0, 32)} is not a field of consent, which has only version and accepted_at.` });
  }
  const { version, accepted_at: acceptedAt } = value;
  if (typeof version !== 'string' || !CONSENT_VERSION_PATTERN.test(version)) {
    throw invalid('consent.version', 'a string of 1–64 letters, digits or . _ : -, starting with a letter or digit (e.g. 2026-11)');
  }
  const at = typeof acceptedAt === 'string' && UTC_TIMESTAMP.test(acceptedAt) ? Date.parse(acceptedAt) : Number.NaN;
  if (!Number.isFinite(at) || new Date(at).toISOString().slice(0, 19) !== (acceptedAt as string).slice(0, 19)) {
    throw invalid('consent.accepted_at', 'an ISO 8601 UTC time ending in Z, e.g. 2026-12-01T10:00:00.000Z');
  }
  return { version, acceptedAt: at };
}

/** `page_vars`: an object of at most 16 strings (which names are allowed is the preset's to say). */
function readPageVars(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw invalid('page_vars', 'an object of strings');
  const entries = Object.entries(value);
  if (entries.length > MAX_PAGE_VARS) throw invalid('page_vars', `at most ${MAX_PAGE_VARS} variables`);
  for (const [name, text] of entries) {
    if (typeof text !== 'string') throw invalid(`page_vars.${name.slice(0, 32)}`, 'a string');
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function readAgentName(roomConfig: unknown): string | undefined {
  if (roomConfig === undefined || roomConfig === null) return undefined;
  if (!isJsonObject(roomConfig)) throw invalid('room_config', 'an object');
  for (const field of Object.keys(roomConfig)) {
    if (field !== 'agents') refuse(`room_config.${field}`);
  }
  const agents = roomConfig.agents;
  if (agents === undefined || agents === null) return undefined;
  if (!Array.isArray(agents)) throw invalid('room_config.agents', 'an array');
  if (agents.length > 1) refuse('room_config.agents[1]');
  const agent: unknown = agents[0];
  if (agent === undefined) return undefined;
  if (!isJsonObject(agent)) throw invalid('room_config.agents[0]', 'an object');
  for (const field of Object.keys(agent)) {
    if (field !== 'agent_name') refuse(`room_config.agents[0].${field}`);
  }
  return optionalString(agent, 'agent_name', 'room_config.agents[0].agent_name');
}

function optionalString(fields: Record<string, unknown>, key: string, path: string): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(path, 'a string');
  return value;
}

function normalisePresetName(name: string): string {
  return name.trim().toLowerCase();
}

function invalid(path: string, expected: string): ProblemError {
  return new ProblemError('invalid-field', { detail: `${path} must be ${expected}.` });
}

function refuse(path: string): never {
  throw new ProblemError('field-not-allowed', {
    detail: `${path.slice(0, 100)} cannot be set by the browser; the server's preset decides it.`,
  });
}
