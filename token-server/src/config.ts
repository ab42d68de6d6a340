/**
 * The token server's configuration: read once from the environment (and an optional presets
 * file) at start-up, validated completely, and handed to `createTokenServer`.
 *
 * Every invalid value stops start-up with one `ConfigError` naming the variable. Messages
 * never repeat the API key's value, whatever is wrong with it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { OriginPolicy } from './middleware/origin-allowlist/index.js';
import { isJsonObject } from './internal/json.js';
import { LOG_LEVELS, type LogLevel } from './logger.js';
import { isPresetName, type Preset } from './presets.js';
import { DEFAULT_LIMITS, type SessionLimits } from './session/admission.js';
import type { TrustedProxy } from './session/client-address.js';
import { isEquosId } from './upstream/types.js';

/** Where the token server finds Equos. */
export interface EquosConnection {
  apiKey: string;
  /** Base URL without the version prefix, e.g. `https://api.equos.ai`. */
  endpoint: string;
}

/** Everything `createTokenServer` needs that comes from configuration. */
export interface TokenServerConfig {
  /** `null` when no API key is set: `server.ts` then runs the local sandbox in its place. */
  equos: EquosConnection | null;
  presets: readonly Preset[];
  defaultPreset: string;
  allowedOrigins: OriginPolicy;
  /** Key of the stop-token HMAC; shared by every instance of one deployment. */
  sessionSecret: string;
  maxSessionSeconds: number;
  /** The `client` tag put on every Equos session this deployment creates. */
  clientTag: string;
  /** Serve the demo page (`/`) and the examples (`/examples/…`) [true]. */
  demoPages?: boolean;
  /** Rates, caps and budget [DEFAULT_LIMITS]. */
  limits?: Partial<SessionLimits>;
  /** Browser heartbeats: how often they are sent, and how long a silent session lives [20 s, 90 s]. */
  heartbeat?: { intervalS: number; timeoutS: number };
  /** The proxy whose client-address header is believed [none: the socket's address]. */
  trustedProxy?: TrustedProxy;
}

/** Heartbeat defaults: a session survives a few lost beats, and a background tab's timers. */
export const DEFAULT_HEARTBEAT = { intervalS: 20, timeoutS: 90 } as const;

/** Where the ledger lives. */
export type LedgerConfig = { kind: 'sqlite'; path: string } | { kind: 'redis'; url: string };

/** The reaper's timing. */
export interface ReaperConfig {
  intervalMs: number;
  graceMs: number;
  /** 0 turns the orphan sweep off. */
  orphanSweepMs: number;
  /** Backoff between failed stops of one session: first wait and cap. */
  retryBaseMs: number;
  retryMaxMs: number;
}

/** Deadlines of calls to Equos, in ms. */
export interface UpstreamDeadlines {
  create: number;
  stop: number;
}

/** Process-level settings used only by the Node entry point. */
export interface ListenConfig {
  port: number;
  host: string;
  ledger: LedgerConfig;
  reaper: ReaperConfig;
  deadlines: UpstreamDeadlines;
  /** This instance's name in the ledger's claims. */
  instanceId: string;
  /** Log lines below this level are dropped [info]. */
  logLevel: LogLevel;
}

/** The result of reading the environment. */
export interface LoadedConfig {
  config: TokenServerConfig;
  listen: ListenConfig;
  /** Things worth telling the operator that do not stop start-up. */
  warnings: string[];
}

/** Invalid configuration: names the variable at fault and what a valid value looks like. */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** Defaults that apply when a variable is unset. */
export const CONFIG_DEFAULTS = {
  endpoint: 'https://api.equos.ai',
  maxSessionSeconds: 600,
  port: 8787,
  host: '127.0.0.1',
  clientTag: 'equos-avatar',
  displayName: 'Assistant',
  ledgerPath: 'data/ledger.sqlite',
} as const;

/** Bounds on a session's maximum duration, in seconds. */
export const SESSION_SECONDS_RANGE = { min: 5, max: 4 * 60 * 60 } as const;

const MIN_SECRET_LENGTH = 32;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the configuration.
 *
 * @param env the environment [process.env]
 * @param readFile reads the presets file [fs.readFileSync as UTF-8]
 * @throws ConfigError on the first invalid variable
 * @example
 * const { config, listen, warnings } = loadConfig(process.env);
 */
export function loadConfig(
  env: Env = process.env,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): LoadedConfig {
  const warnings: string[] = [];
  const equos = readEquosConnection(env);
  const maxSessionSeconds = readInteger(env, 'MAX_SESSION_SECONDS', {
    ...SESSION_SECONDS_RANGE,
    fallback: CONFIG_DEFAULTS.maxSessionSeconds,
  });

  const presetsFile = nonEmpty(env.PRESETS_FILE);
  const { presets, defaultPreset } = presetsFile
    ? readPresetsFile(presetsFile, readFile, maxSessionSeconds)
    : { presets: [presetFromEnv(env, equos !== null, maxSessionSeconds)], defaultPreset: 'default' };

  const allowedOrigins = readOrigins(env.ALLOWED_ORIGINS);
  if (allowedOrigins === '*') {
    warnings.push('ALLOWED_ORIGINS is "*": any website can start sessions on your account. Use it for development only.');
  } else if (allowedOrigins.length === 0) {
    warnings.push('ALLOWED_ORIGINS is empty: only pages served by this server itself can start sessions.');
  }

  let sessionSecret = nonEmpty(env.SESSION_SECRET);
  if (sessionSecret === undefined) {
    sessionSecret = randomBytes(32).toString('base64url');
    warnings.push('SESSION_SECRET is not set: using a random one, so stop tokens do not survive a restart and are not shared between instances.');
  } else if (sessionSecret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError('SESSION_SECRET', `must be at least ${MIN_SECRET_LENGTH} characters (try: openssl rand -base64 32).`);
  }

  const clientTag = nonEmpty(env.EQUOS_CLIENT) ?? CONFIG_DEFAULTS.clientTag;
  if (!isEquosId(clientTag)) {
    throw new ConfigError('EQUOS_CLIENT', 'must be 1–128 letters, digits, or . _ : -');
  }

  const demoPages = readSwitch(env, 'DEMO_PAGES', true);
  const limits: SessionLimits = {
    ratePerMinute: readInteger(env, 'RATE_LIMIT_PER_MINUTE', { min: 1, max: 100_000, fallback: DEFAULT_LIMITS.ratePerMinute }),
    siteRatePerMinute: readInteger(env, 'RATE_LIMIT_SITE_PER_MINUTE', { min: 1, max: 1_000_000, fallback: DEFAULT_LIMITS.siteRatePerMinute }),
    perVisitor: readInteger(env, 'MAX_SESSIONS_PER_VISITOR', { min: 1, max: 1000, fallback: DEFAULT_LIMITS.perVisitor }),
    concurrent: readInteger(env, 'MAX_CONCURRENT_SESSIONS', { min: 1, max: 100_000, fallback: DEFAULT_LIMITS.concurrent }),
    ...(nonEmpty(env.DAILY_BUDGET_MINUTES) ? { dailyBudgetMinutes: readInteger(env, 'DAILY_BUDGET_MINUTES', { min: 1, max: 10_000_000, fallback: 0 }) } : {}),
  };
  const heartbeat = {
    intervalS: readSeconds(env, 'HEARTBEAT_INTERVAL_S', { min: 0.1, max: 600, fallback: DEFAULT_HEARTBEAT.intervalS }),
    timeoutS: readSeconds(env, 'HEARTBEAT_TIMEOUT_S', { min: 0.5, max: 3600, fallback: DEFAULT_HEARTBEAT.timeoutS }),
  };
  if (heartbeat.timeoutS < heartbeat.intervalS * 2) {
    throw new ConfigError('HEARTBEAT_TIMEOUT_S', `must be at least twice HEARTBEAT_INTERVAL_S (${heartbeat.intervalS}), so one lost beat does not end a session.`);
  }
  const proxyHeader = nonEmpty(env.TRUSTED_PROXY_HEADER)?.toLowerCase();
  if (proxyHeader !== undefined && !/^[a-z0-9-]{1,64}$/.test(proxyHeader)) {
    throw new ConfigError('TRUSTED_PROXY_HEADER', 'must be a header name, e.g. x-forwarded-for or cf-connecting-ip.');
  }
  const trustedProxy = proxyHeader ? { header: proxyHeader, hops: readInteger(env, 'TRUSTED_PROXY_HOPS', { min: 1, max: 10, fallback: 1 }) } : undefined;

  const redisUrl = nonEmpty(env.REDIS_URL);
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL.');
  }
  const listen: ListenConfig = {
    port: readInteger(env, 'PORT', { min: 0, max: 65535, fallback: CONFIG_DEFAULTS.port }),
    host: nonEmpty(env.HOST) ?? CONFIG_DEFAULTS.host,
    ledger: redisUrl ? { kind: 'redis', url: redisUrl } : { kind: 'sqlite', path: nonEmpty(env.LEDGER_PATH) ?? CONFIG_DEFAULTS.ledgerPath },
    reaper: {
      intervalMs: readSeconds(env, 'REAPER_INTERVAL_S', { min: 0.05, max: 600, fallback: 2 }) * 1000,
      graceMs: readSeconds(env, 'STOP_GRACE_S', { min: 0, max: 3600, fallback: 30 }) * 1000,
      orphanSweepMs: readSeconds(env, 'ORPHAN_SWEEP_S', { min: 0, max: 86_400, fallback: 300 }) * 1000,
      retryBaseMs: readSeconds(env, 'REAPER_RETRY_BASE_S', { min: 0.05, max: 600, fallback: 2 }) * 1000,
      retryMaxMs: readSeconds(env, 'REAPER_RETRY_MAX_S', { min: 0.1, max: 3600, fallback: 300 }) * 1000,
    },
    deadlines: {
      create: readSeconds(env, 'EQUOS_CREATE_TIMEOUT_S', { min: 0.1, max: 120, fallback: 15 }) * 1000,
      stop: readSeconds(env, 'EQUOS_STOP_TIMEOUT_S', { min: 0.1, max: 120, fallback: 8 }) * 1000,
    },
    instanceId: nonEmpty(env.INSTANCE_ID) ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    logLevel: readLogLevel(env.LOG_LEVEL),
  };

  return {
    config: { equos, presets, defaultPreset, allowedOrigins, sessionSecret, maxSessionSeconds, clientTag, demoPages, limits, heartbeat, ...(trustedProxy ? { trustedProxy } : {}) },
    listen,
    warnings,
  };
}

function readLogLevel(raw: string | undefined): LogLevel {
  const level = nonEmpty(raw)?.toLowerCase() ?? 'info';
  if (!LOG_LEVELS.includes(level as LogLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}.`);
  return level as LogLevel;
}

function readEquosConnection(env: Env): EquosConnection | null {
  const endpointText = nonEmpty(env.EQUOS_ENDPOINT) ?? CONFIG_DEFAULTS.endpoint;
  const endpoint = parseHttpUrl(endpointText);
  if (!endpoint || endpoint.search || endpoint.hash) {
    throw new ConfigError('EQUOS_ENDPOINT', 'must be an http(s) URL without query, e.g. https://api.equos.ai');
  }
  const apiKey = env.EQUOS_API_KEY;
  if (apiKey === undefined || apiKey === '') return null;
  // Never echo the key: describe what is wrong with it instead.
  if (/\s/.test(apiKey) || apiKey.length < 8 || apiKey.length > 512) {
    throw new ConfigError('EQUOS_API_KEY', 'is set but is not a valid key (8–512 characters, no spaces or line breaks).');
  }
  return { apiKey, endpoint: endpoint.href.replace(/\/+$/, '') };
}

function presetFromEnv(env: Env, hasApiKey: boolean, maxSessionSeconds: number): Preset {
  const avatarId = nonEmpty(env.EQUOS_AVATAR_ID);
  const agentId = nonEmpty(env.EQUOS_AGENT_ID);
  if (avatarId === undefined && hasApiKey) {
    throw new ConfigError('EQUOS_AVATAR_ID', 'is required with EQUOS_API_KEY (or name your avatars in PRESETS_FILE).');
  }
  checkId('EQUOS_AVATAR_ID', avatarId);
  checkId('EQUOS_AGENT_ID', agentId);
  const thumbnailUrl = nonEmpty(env.EQUOS_AVATAR_THUMBNAIL_URL);
  if (thumbnailUrl !== undefined && !parseHttpUrl(thumbnailUrl)) {
    throw new ConfigError('EQUOS_AVATAR_THUMBNAIL_URL', 'must be an http(s) URL.');
  }
  // Without an API key the local sandbox answers, and it knows its demo avatar by these ids.
  const sandboxIds = hasApiKey ? {} : { avatarId: 'sandbox-avatar', agentId: 'sandbox-agent', displayName: 'Ava' };
  const resolvedAgentId = agentId ?? sandboxIds.agentId;
  return {
    name: 'default',
    displayName: (nonEmpty(env.EQUOS_AVATAR_NAME) ?? sandboxIds.displayName ?? CONFIG_DEFAULTS.displayName).slice(0, 64),
    avatarId: avatarId ?? sandboxIds.avatarId ?? '',
    ...(resolvedAgentId ? { agentId: resolvedAgentId } : {}),
    ...(thumbnailUrl ? { thumbnailUrl } : {}),
    maxDurationS: maxSessionSeconds,
  };
}

function readPresetsFile(
  path: string,
  readFile: (path: string) => string,
  maxSessionSeconds: number,
): { presets: Preset[]; defaultPreset: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(path));
  } catch (error) {
    const why = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    throw new ConfigError('PRESETS_FILE', `${path} ${why}.`);
  }
  const fail = (where: string, message: string): never => {
    throw new ConfigError('PRESETS_FILE', `${path}: ${where} ${message}`);
  };
  if (!isJsonObject(parsed) || !Array.isArray(parsed.presets) || parsed.presets.length === 0) {
    return fail('presets', 'must be a non-empty array of presets.');
  }
  const presets = parsed.presets.map((entry: unknown, index): Preset => {
    const at = `presets[${index}]`;
    if (!isJsonObject(entry)) return fail(at, 'must be an object.');
    const { name, display_name, agent_id, avatar_id, thumbnail_url, max_duration_s } = entry;
    if (typeof name !== 'string' || !isPresetName(name)) {
      return fail(`${at}.name`, 'must be 1–64 lowercase letters, digits, _ or -, starting with a letter or digit.');
    }
    if (typeof avatar_id !== 'string' || !isEquosId(avatar_id)) return fail(`${at}.avatar_id`, 'must be an Equos avatar id.');
    if (agent_id !== undefined && (typeof agent_id !== 'string' || !isEquosId(agent_id))) {
      return fail(`${at}.agent_id`, 'must be an Equos agent id.');
    }
    if (display_name !== undefined && (typeof display_name !== 'string' || display_name.trim() === '')) {
      return fail(`${at}.display_name`, 'must be a non-empty string.');
    }
    if (thumbnail_url !== undefined && (typeof thumbnail_url !== 'string' || !parseHttpUrl(thumbnail_url))) {
      return fail(`${at}.thumbnail_url`, 'must be an http(s) URL.');
    }
    const maxDurationS = max_duration_s ?? maxSessionSeconds;
    if (
      typeof maxDurationS !== 'number' ||
      !Number.isInteger(maxDurationS) ||
      maxDurationS < SESSION_SECONDS_RANGE.min ||
      maxDurationS > maxSessionSeconds
    ) {
      return fail(`${at}.max_duration_s`, `must be a whole number of seconds from ${SESSION_SECONDS_RANGE.min} to MAX_SESSION_SECONDS (${maxSessionSeconds}).`);
    }
    return {
      name,
      displayName: (typeof display_name === 'string' ? display_name.trim() : name).slice(0, 64),
      avatarId: avatar_id,
      ...(typeof agent_id === 'string' ? { agentId: agent_id } : {}),
      ...(typeof thumbnail_url === 'string' ? { thumbnailUrl: thumbnail_url } : {}),
      maxDurationS,
    };
  });
  const names = new Set<string>();
  for (const preset of presets) {
    if (names.has(preset.name)) fail('presets', `name "${preset.name}" appears twice.`);
    names.add(preset.name);
  }
  const defaultPreset = parsed.default ?? presets[0]?.name;
  if (typeof defaultPreset !== 'string' || !names.has(defaultPreset)) {
    return fail('default', 'must be the name of one of the presets.');
  }
  return { presets, defaultPreset };
}

function readOrigins(raw: string | undefined): OriginPolicy {
  const value = raw?.trim() ?? '';
  if (value === '*') return '*';
  if (value === '') return [];
  return value.split(',').map((entry) => {
    const text = entry.trim();
    const url = parseHttpUrl(text);
    // An origin is exactly scheme://host[:port]; anything more is a likely mistake
    // (a path, a trailing slash of a copied URL is forgiven).
    if (!url || url.origin !== text.replace(/\/$/, '').toLowerCase()) {
      throw new ConfigError('ALLOWED_ORIGINS', `"${text}" is not an origin; use a comma-separated list like https://example.com,https://www.example.com or "*".`);
    }
    return url.origin;
  });
}

function readInteger(env: Env, name: string, range: NumberRange): number {
  return readNumber(env, name, range, { pattern: /^\d+$/, what: 'a whole number' });
}

/** A duration in seconds; decimals allowed (tests run the reaper in milliseconds). */
function readSeconds(env: Env, name: string, range: NumberRange): number {
  return readNumber(env, name, range, { pattern: /^\d+(\.\d+)?$/, what: 'a number of seconds' });
}

interface NumberRange {
  min: number;
  max: number;
  fallback: number;
}

function readNumber(env: Env, name: string, range: NumberRange, format: { pattern: RegExp; what: string }): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return range.fallback;
  const value = format.pattern.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= range.min && value <= range.max)) {
    throw new ConfigError(name, `must be ${format.what} from ${range.min} to ${range.max} (got "${raw.slice(0, 32)}").`);
  }
  return value;
}

function readSwitch(env: Env, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name])?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'on', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'off', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `must be on or off (got "${raw.slice(0, 16)}").`);
}

function checkId(variable: string, value: string | undefined): void {
  if (value !== undefined && !isEquosId(value)) {
    throw new ConfigError(variable, 'must be an Equos id (letters, digits, . _ : -).');
  }
}

function parseHttpUrl(text: string): URL | null {
  if (!URL.canParse(text)) return null;
  const url = new URL(text);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
