/**
 * The token server's settings: every default written once (`DEFAULTS`), every variable's
 * bounds in one table (`NUMBERS`), and one reader that validates all of them
 * (`readSettings`). Runtime-neutral: no `node:*`, no `process`; the host says how to read a
 * presets file and what this instance is called (node/env.ts does, for Node).
 *
 * Every invalid value stops start-up with one `ConfigError` naming the variable. Messages
 * never repeat the API key's value, whatever is wrong with it.
 */
import { CONSENT_VERSION_PATTERN } from '../../../contract/token-server-api.js';
import { toBase64Url } from '../internal/base64url.js';
import type { OriginPolicy } from '../http/middleware/origin-allowlist/index.js';
import type { LogLevel } from '../logger.js';
import { LOG_LEVELS } from '../logger.js';
import type { TrustedProxy } from '../visitors/client-address.js';
import { isEquosId } from '../equos/ids.js';
import { isLoopbackHost } from '../internal/loopback.js';
import { readPostgresUrl } from '../ledger/postgres-location.js';
import { isHttpUrl, readPresetsJson, SESSION_SECONDS_RANGE, singlePreset, type Preset } from './presets.js';

/** Where the token server finds Equos. */
export interface EquosConnection {
  apiKey: string;
  /** Base URL without the version prefix, e.g. `https://api.equos.ai`. */
  endpoint: string;
}

/** Who may start paid sessions, how fast and how many. */
export interface SessionLimits {
  /** Sessions a visitor may start per minute. */
  ratePerMinute: number;
  /** Sessions the whole site may start per minute. */
  siteRatePerMinute: number;
  /** Open sessions per visitor. */
  perVisitor: number;
  /** Open sessions overall, below the Equos organisation's limit. */
  concurrent: number;
  /** Session minutes per UTC day; undefined for no budget. */
  dailyBudgetMinutes?: number;
  /** Stops and heartbeats one address may send per minute (on all its sessions). */
  actionsPerMinute: number;
}

/** Deadlines of calls to Equos, in ms. */
export interface EquosDeadlines {
  /** Equos prepares the avatar while creating, so this is the slowest call. */
  create: number;
  stop: number;
  get: number;
  list: number;
}

/** Retries of the idempotent Equos calls (stop, get, list) within one call; a create is never retried. */
export interface EquosRetryPolicy {
  /** Attempts, the first included. */
  attempts: number;
  /** Upper bound of the first wait, in ms; doubles after each failure (full jitter). */
  baseDelayMs: number;
  /** Cap on one wait, in ms. */
  maxDelayMs: number;
}

/** How the ledger keeps sessions ending: the reaper's timing and the stop backoff, in ms. */
export interface ReaperTiming {
  /** How often the reaper looks for due sessions. */
  intervalMs: number;
  /** Stop a session this long after its deadline (Equos should have ended it by then). */
  graceMs: number;
  /** Backoff between failed stops of one session: first wait and cap. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often Equos' sessions for this deployment are compared with the ledger; 0: never. */
  orphanSweepMs: number;
  /**
   * A create this long past its deadline is over (its answer recorded, or lost): Equos'
   * sessions younger than the create deadline plus this are never taken for orphans.
   */
  createSettleMs: number;
}

/** Where the ledger lives. */
/**
 * Where the ledger lives. `memory` is the local sandbox's default: its sessions live in the
 * process and end with it, so a ledger that outlived them would only retry stops of sessions
 * no sandbox will ever know again.
 */
export type LedgerLocation = { kind: 'sqlite'; path: string } | { kind: 'redis'; url: string } | { kind: 'postgres'; url: string } | { kind: 'memory' };

/** Everything the token server is configured with. */
export interface Settings {
  /** `null` when no API key is set: the Node entry then runs the local sandbox in its place. */
  equos: EquosConnection | null;
  /**
   * No API key was set: the local sandbox stands in for Equos (the Node entry starts it). Pages
   * on loopback may then call the API, and the ledger is the sandbox's own.
   */
  usesSandbox: boolean;
  /**
   * The first part of the `client` tag on every Equos session this deployment creates
   * (EQUOS_CLIENT); the deployment's own id, kept in its ledger, follows it.
   */
  clientTag: string;
  presets: readonly Preset[];
  defaultPreset: string;
  allowedOrigins: OriginPolicy;
  /** Serve the demo page (`/`) and the examples (`/examples/…`). */
  demoPages: boolean;
  /** This server's own public origin (PUBLIC_URL): its pages may call its API. */
  publicOrigin: string | null;
  /** The proxy whose client-address header is believed (null: the socket's address). */
  trustedProxy: TrustedProxy | null;
  /**
   * Key of the stop-token HMAC, shared by every instance of one deployment; null: one is made
   * once and kept in the ledger (../deployment/deployment.ts).
   */
  sessionSecret: string | null;
  /** Browser heartbeats: how often they are sent, and how long a silent session lives, in ms. */
  /**
   * `idleStopMs`: a heartbeat that reports the visitor idle (no speech, no typing) this long
   * stops the session [0: never].
   */
  heartbeat: { intervalMs: number; timeoutMs: number; idleStopMs: number };
  /**
   * The version of the site's AI disclosure a visitor must have accepted before a session starts
   * (CONSENT_VERSION; the widget's `consent-version`); null: consent is optional, recorded when given.
   */
  consentVersion: string | null;
  limits: SessionLimits;
  deadlines: EquosDeadlines;
  equosRetry: EquosRetryPolicy;
  reaper: ReaperTiming;
  ledger: LedgerLocation;
  listen: { host: string; port: number };
  /** This instance's name in the ledger's claims and in logs. */
  instanceId: string;
  /** Log lines below this level are dropped. */
  logLevel: LogLevel;
  /** The bearer token `GET /metrics` requires (METRICS_TOKEN); null: no metrics endpoint (404). */
  metricsToken: string | null;
  /**
   * Where session events are POSTed (WEBHOOK_URL) and the Standard Webhooks secret that signs
   * them (WEBHOOK_SECRET, `whsec_<base64>`); null: no events are written or sent.
   */
  webhook: { url: string; secret: string } | null;
  /** The bearer token `GET /api/usage` requires (USAGE_TOKEN); null: no usage export (404). */
  usageToken: string | null;
}

/**
 * How old a session Equos runs for this deployment must be before it can be taken for an
 * orphan: older than any create still in flight (which will record its session itself).
 */
export function orphanMinAgeMs(settings: Pick<Settings, 'deadlines' | 'reaper'>): number {
  return settings.deadlines.create + settings.reaper.createSettleMs;
}

/** Every default, once. Durations in seconds, as the variables take them. */
export const DEFAULTS = {
  equosEndpoint: 'https://api.equos.ai',
  clientTag: 'equos-avatar',
  displayName: 'Assistant',
  /** Without an API key the local sandbox answers; it knows its demo avatar by these. */
  sandboxPreset: { avatarId: 'sandbox-avatar', agentId: 'sandbox-agent', displayName: 'Ava' },
  maxSessionSeconds: 600,
  /** Without an API key (the local demo): on; with one: off unless asked for. */
  demoPages: { sandbox: true, cloud: false },
  heartbeatS: { interval: 20, timeout: 90 },
  /** A session whose visitor has not spoken or typed for this long is stopped (the widget reports it). */
  idleStopS: 600,
  /** Actions: a heartbeat every 20 s is 3 a minute per visitor; 600 leaves room for an office behind one address. */
  limits: { ratePerMinute: 10, siteRatePerMinute: 300, perVisitor: 2, concurrent: 25, actionsPerMinute: 600 },
  deadlinesS: { create: 15, stop: 8 },
  /** The orphan sweep's listing of Equos' sessions, one page. */
  listDeadlineS: 10,
  equosRetry: { attempts: 3, baseDelayMs: 250, maxDelayMs: 2000 },
  reaperS: { interval: 2, grace: 30, retryBase: 2, retryMax: 300, orphanSweep: 300, createSettle: 5 },
  ledgerPath: 'data/ledger.sqlite',
  listen: { host: '127.0.0.1', port: 8787 },
  trustedProxyHops: 1,
  logLevel: 'info',
} as const;

interface NumberSpec {
  /** Whole numbers only (else seconds with decimals: tests run the reaper in milliseconds). */
  integer: boolean;
  min: number;
  max: number;
  fallback: number;
}

/** Every numeric variable: its bounds and its default. */
export const NUMBERS = {
  MAX_SESSION_SECONDS: { integer: true, ...SESSION_SECONDS_RANGE, fallback: DEFAULTS.maxSessionSeconds },
  RATE_LIMIT_PER_MINUTE: { integer: true, min: 1, max: 100_000, fallback: DEFAULTS.limits.ratePerMinute },
  RATE_LIMIT_SITE_PER_MINUTE: { integer: true, min: 1, max: 1_000_000, fallback: DEFAULTS.limits.siteRatePerMinute },
  MAX_SESSIONS_PER_VISITOR: { integer: true, min: 1, max: 1000, fallback: DEFAULTS.limits.perVisitor },
  MAX_CONCURRENT_SESSIONS: { integer: true, min: 1, max: 100_000, fallback: DEFAULTS.limits.concurrent },
  RATE_LIMIT_ACTIONS_PER_MINUTE: { integer: true, min: 10, max: 1_000_000, fallback: DEFAULTS.limits.actionsPerMinute },
  DAILY_BUDGET_MINUTES: { integer: true, min: 1, max: 10_000_000, fallback: 0 },
  HEARTBEAT_INTERVAL_S: { integer: false, min: 0.1, max: 600, fallback: DEFAULTS.heartbeatS.interval },
  HEARTBEAT_TIMEOUT_S: { integer: false, min: 0.5, max: 3600, fallback: DEFAULTS.heartbeatS.timeout },
  IDLE_STOP_S: { integer: true, min: 0, max: 86400, fallback: DEFAULTS.idleStopS },
  EQUOS_CREATE_TIMEOUT_S: { integer: false, min: 0.1, max: 120, fallback: DEFAULTS.deadlinesS.create },
  EQUOS_STOP_TIMEOUT_S: { integer: false, min: 0.1, max: 120, fallback: DEFAULTS.deadlinesS.stop },
  REAPER_INTERVAL_S: { integer: false, min: 0.05, max: 600, fallback: DEFAULTS.reaperS.interval },
  STOP_GRACE_S: { integer: false, min: 0, max: 3600, fallback: DEFAULTS.reaperS.grace },
  REAPER_RETRY_BASE_S: { integer: false, min: 0.05, max: 600, fallback: DEFAULTS.reaperS.retryBase },
  REAPER_RETRY_MAX_S: { integer: false, min: 0.1, max: 3600, fallback: DEFAULTS.reaperS.retryMax },
  ORPHAN_SWEEP_S: { integer: false, min: 0, max: 86_400, fallback: DEFAULTS.reaperS.orphanSweep },
  TRUSTED_PROXY_HOPS: { integer: true, min: 1, max: 10, fallback: DEFAULTS.trustedProxyHops },
  PORT: { integer: true, min: 0, max: 65535, fallback: DEFAULTS.listen.port },
} as const satisfies Record<string, NumberSpec>;

/** Every variable `readSettings` reads (the README's Configuration table lists each one). */
export const ENVIRONMENT_VARIABLES = [
  'EQUOS_API_KEY',
  'EQUOS_ENDPOINT',
  'EQUOS_AVATAR_ID',
  'EQUOS_AGENT_ID',
  'EQUOS_CHARACTER_ID',
  'EQUOS_AVATAR_NAME',
  'EQUOS_AVATAR_THUMBNAIL_URL',
  'PRESETS_FILE',
  'ALLOWED_ORIGINS',
  'DEVELOPMENT_MODE',
  'PUBLIC_URL',
  'SESSION_SECRET',
  'EQUOS_CLIENT',
  'HOST',
  'DEMO_PAGES',
  'LEDGER_PATH',
  'REDIS_URL',
  'DATABASE_URL',
  'INSTANCE_ID',
  'TRUSTED_PROXY_HEADER',
  'LOG_LEVEL',
  'CONSENT_VERSION',
  'METRICS_TOKEN',
  'WEBHOOK_URL',
  'WEBHOOK_SECRET',
  'USAGE_TOKEN',
  ...(Object.keys(NUMBERS) as Array<keyof typeof NUMBERS>),
] as const;

/** Invalid configuration: names the variable at fault and what a valid value looks like. */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** What the runtime offers the reader. */
export interface SettingsHost {
  /** Reads the presets file as text [none: PRESETS_FILE cannot be used]. */
  readFile?(path: string): string;
  /** This instance's name when INSTANCE_ID is unset [instance-<random>]. */
  instanceId?: string;
}

/** The result of reading the settings. */
export interface ReadSettings {
  settings: Settings;
  /** Things worth telling the operator that do not stop start-up. */
  warnings: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

const MIN_SECRET_LENGTH = 32;
/** The longest EQUOS_CLIENT: the tag it starts (`<EQUOS_CLIENT>:<deployment id>`) must stay an Equos id. */
const MAX_CLIENT_PREFIX_LENGTH = 100;

/**
 * Reads and validates the settings from environment-style variables.
 *
 * @param env the variables (on Node, `process.env`)
 * @throws ConfigError on the first invalid variable
 * @example
 * const { settings, warnings } = readSettings({ EQUOS_API_KEY: key, EQUOS_AVATAR_ID: 'av_1' });
 */
export function readSettings(env: Env, host: SettingsHost = {}): ReadSettings {
  const warnings: string[] = [];
  const number = (name: keyof typeof NUMBERS) => readNumber(env, name, NUMBERS[name]);
  const equos = readEquosConnection(env);
  const maxSessionSeconds = number('MAX_SESSION_SECONDS');

  const presetsFile = nonEmpty(env.PRESETS_FILE);
  const { presets, defaultPreset } = presetsFile
    ? readPresetsFile(presetsFile, host, maxSessionSeconds)
    : { presets: [presetFromEnv(env, equos !== null, maxSessionSeconds)], defaultPreset: 'default' };

  const usesSandbox = equos === null;
  const developmentMode = readSwitch(env, 'DEVELOPMENT_MODE', false);
  const allowedOrigins = readOrigins(env.ALLOWED_ORIGINS);
  const publicOrigin = readPublicOrigin(env.PUBLIC_URL);
  if (allowedOrigins === '*') {
    if (!usesSandbox && !developmentMode) {
      throw new ConfigError('ALLOWED_ORIGINS', '"*" lets any website start sessions billed to your Equos account; list your sites\' origins, or set DEVELOPMENT_MODE=on on a development machine.');
    }
    warnings.push('ALLOWED_ORIGINS is "*": any website can start sessions on this server. Use it for development only.');
  } else if (allowedOrigins.length === 0 && publicOrigin === null && !usesSandbox) {
    warnings.push('ALLOWED_ORIGINS and PUBLIC_URL are empty: no page can start sessions (server-side callers still can).');
  }

  const sessionSecret = nonEmpty(env.SESSION_SECRET) ?? null;
  if (sessionSecret !== null) {
    const weakness = secretWeakness(sessionSecret);
    if (weakness) throw new ConfigError('SESSION_SECRET', `${weakness}; use a random one (try: openssl rand -base64 32), or leave it unset to have one made and kept in the ledger.`);
  }

  const clientTag = nonEmpty(env.EQUOS_CLIENT) ?? DEFAULTS.clientTag;
  if (!isEquosId(clientTag) || clientTag.length > MAX_CLIENT_PREFIX_LENGTH) {
    throw new ConfigError('EQUOS_CLIENT', `must be 1–${MAX_CLIENT_PREFIX_LENGTH} letters, digits, or . _ : -`);
  }
  const demoPages = readSwitch(env, 'DEMO_PAGES', usesSandbox ? DEFAULTS.demoPages.sandbox : DEFAULTS.demoPages.cloud);
  if (demoPages && !usesSandbox && publicOrigin === null) {
    warnings.push('DEMO_PAGES is on without PUBLIC_URL: the demo pages can only start sessions if their origin is listed in ALLOWED_ORIGINS.');
  }

  const heartbeat = { intervalMs: number('HEARTBEAT_INTERVAL_S') * 1000, timeoutMs: number('HEARTBEAT_TIMEOUT_S') * 1000, idleStopMs: number('IDLE_STOP_S') * 1000 };
  if (heartbeat.timeoutMs < heartbeat.intervalMs * 2) {
    throw new ConfigError('HEARTBEAT_TIMEOUT_S', `must be at least twice HEARTBEAT_INTERVAL_S (${heartbeat.intervalMs / 1000}), so one lost beat does not end a session.`);
  }
  const proxyHeader = nonEmpty(env.TRUSTED_PROXY_HEADER)?.toLowerCase();
  if (proxyHeader !== undefined && !/^[a-z0-9-]{1,64}$/.test(proxyHeader)) {
    throw new ConfigError('TRUSTED_PROXY_HEADER', 'must be a header name, e.g. x-forwarded-for or cf-connecting-ip.');
  }
  const consentVersion = nonEmpty(env.CONSENT_VERSION) ?? null;
  if (consentVersion !== null && !CONSENT_VERSION_PATTERN.test(consentVersion)) {
    throw new ConfigError('CONSENT_VERSION', 'must be 1–64 letters, digits, or . _ : -, starting with a letter or digit (e.g. 2026-11, v3), the same as the widget\'s consent-version.');
  }
  const metricsToken = readMetricsToken(env.METRICS_TOKEN);
  const webhook = readWebhook(env, developmentMode, warnings);
  const usageToken = readUsageToken(env.USAGE_TOKEN);
  const redisUrl = nonEmpty(env.REDIS_URL);
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL.');
  const databaseUrl = readDatabaseUrl(env.DATABASE_URL, redisUrl);

  const settings: Settings = {
    equos,
    usesSandbox,
    clientTag,
    presets,
    defaultPreset,
    allowedOrigins,
    demoPages,
    publicOrigin,
    trustedProxy: proxyHeader ? { header: proxyHeader, hops: number('TRUSTED_PROXY_HOPS') } : null,
    sessionSecret,
    heartbeat,
    consentVersion,
    limits: {
      ratePerMinute: number('RATE_LIMIT_PER_MINUTE'),
      siteRatePerMinute: number('RATE_LIMIT_SITE_PER_MINUTE'),
      perVisitor: number('MAX_SESSIONS_PER_VISITOR'),
      concurrent: number('MAX_CONCURRENT_SESSIONS'),
      actionsPerMinute: number('RATE_LIMIT_ACTIONS_PER_MINUTE'),
      ...(nonEmpty(env.DAILY_BUDGET_MINUTES) ? { dailyBudgetMinutes: number('DAILY_BUDGET_MINUTES') } : {}),
    },
    deadlines: {
      create: number('EQUOS_CREATE_TIMEOUT_S') * 1000,
      stop: number('EQUOS_STOP_TIMEOUT_S') * 1000,
      // Reading a session is no slower than stopping it.
      get: number('EQUOS_STOP_TIMEOUT_S') * 1000,
      list: DEFAULTS.listDeadlineS * 1000,
    },
    equosRetry: { ...DEFAULTS.equosRetry },
    reaper: {
      intervalMs: number('REAPER_INTERVAL_S') * 1000,
      graceMs: number('STOP_GRACE_S') * 1000,
      retryBaseMs: number('REAPER_RETRY_BASE_S') * 1000,
      retryMaxMs: number('REAPER_RETRY_MAX_S') * 1000,
      orphanSweepMs: number('ORPHAN_SWEEP_S') * 1000,
      createSettleMs: DEFAULTS.reaperS.createSettle * 1000,
    },
    ledger: readLedgerLocation(env, redisUrl, databaseUrl, usesSandbox),
    listen: { host: nonEmpty(env.HOST) ?? DEFAULTS.listen.host, port: number('PORT') },
    instanceId: nonEmpty(env.INSTANCE_ID) ?? host.instanceId ?? `instance-${randomText(6)}`,
    logLevel: readLogLevel(env.LOG_LEVEL),
    metricsToken,
    webhook,
    usageToken,
  };
  return { settings, warnings };
}

function readLogLevel(raw: string | undefined): LogLevel {
  const level = nonEmpty(raw)?.toLowerCase() ?? DEFAULTS.logLevel;
  if (!LOG_LEVELS.includes(level as LogLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}.`);
  return level as LogLevel;
}

/**
 * METRICS_TOKEN, a bearer token: one that could be guessed would open the metrics to anyone,
 * which is worse than having none. Never echoed.
 */
function readMetricsToken(raw: string | undefined): string | null {
  const token = nonEmpty(raw);
  if (token === undefined) return null;
  // RFC 6750's b64token: what an Authorization header can carry.
  if (!/^[A-Za-z0-9._~+/-]+=*$/.test(token)) throw new ConfigError('METRICS_TOKEN', 'must be letters, digits and - . _ ~ + / only (no spaces); try: openssl rand -hex 32');
  const weakness = secretWeakness(token);
  if (weakness) throw new ConfigError('METRICS_TOKEN', `${weakness}; use a random one (try: openssl rand -hex 32), or leave it unset to serve no metrics.`);
  return token;
}

/** Standard Webhooks recommends secrets of 24 to 64 bytes. */
const MIN_WEBHOOK_SECRET_BYTES = 24;
const MAX_WEBHOOK_SECRET_BYTES = 64;

/**
 * WEBHOOK_URL and WEBHOOK_SECRET: https (events carry origins and consent), or http only to
 * loopback or in development; a secret of Standard Webhooks' form, long enough. Neither
 * the secret nor the URL (which may hold a token in its path) is ever echoed.
 */
function readWebhook(env: Env, developmentMode: boolean, warnings: string[]): Settings['webhook'] {
  const url = nonEmpty(env.WEBHOOK_URL);
  const secret = nonEmpty(env.WEBHOOK_SECRET);
  if (url === undefined) {
    if (secret !== undefined) warnings.push('WEBHOOK_SECRET is set without WEBHOOK_URL: no session events are sent.');
    return null;
  }
  if (!isHttpUrl(url) || new URL(url).hash) throw new ConfigError('WEBHOOK_URL', 'must be an http(s) URL without a #fragment, e.g. https://crm.example.com/hooks/equos');
  const parsed = new URL(url);
  if (parsed.username || parsed.password) throw new ConfigError('WEBHOOK_URL', 'must not carry a user or password: the signature (WEBHOOK_SECRET) proves each event is ours.');
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname) && !developmentMode) {
    throw new ConfigError('WEBHOOK_URL', 'must be https:// (http:// only to 127.0.0.1, localhost or [::1], or with DEVELOPMENT_MODE=on): events carry origins and consent.');
  }
  if (secret === undefined) throw new ConfigError('WEBHOOK_SECRET', 'is required with WEBHOOK_URL: the key that signs every event (try: echo whsec_$(openssl rand -base64 32)).');
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : '';
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) && encoded.length % 4 === 0 ? (encoded.length / 4) * 3 - (encoded.match(/=+$/)?.[0].length ?? 0) : 0;
  if (bytes === 0) throw new ConfigError('WEBHOOK_SECRET', 'must be whsec_ followed by base64, the Standard Webhooks form (try: echo whsec_$(openssl rand -base64 32)).');
  if (bytes < MIN_WEBHOOK_SECRET_BYTES || bytes > MAX_WEBHOOK_SECRET_BYTES) {
    throw new ConfigError('WEBHOOK_SECRET', `must encode ${MIN_WEBHOOK_SECRET_BYTES} to ${MAX_WEBHOOK_SECRET_BYTES} bytes (it has ${bytes}; try: echo whsec_$(openssl rand -base64 32)).`);
  }
  return { url: parsed.href, secret };
}

/** USAGE_TOKEN, a bearer token like METRICS_TOKEN (the export shows what the site spends). Never echoed. */
function readUsageToken(raw: string | undefined): string | null {
  const token = nonEmpty(raw);
  if (token === undefined) return null;
  if (!/^[A-Za-z0-9._~+/-]+=*$/.test(token)) throw new ConfigError('USAGE_TOKEN', 'must be letters, digits and - . _ ~ + / only (no spaces); try: openssl rand -hex 32');
  const weakness = secretWeakness(token);
  if (weakness) throw new ConfigError('USAGE_TOKEN', `${weakness}; use a random one (try: openssl rand -hex 32), or leave it unset to serve no usage export.`);
  return token;
}

function readEquosConnection(env: Env): EquosConnection | null {
  const endpoint = nonEmpty(env.EQUOS_ENDPOINT) ?? DEFAULTS.equosEndpoint;
  if (!isHttpUrl(endpoint) || new URL(endpoint).search || new URL(endpoint).hash) {
    throw new ConfigError('EQUOS_ENDPOINT', 'must be an http(s) URL without query, e.g. https://api.equos.ai');
  }
  const apiKey = env.EQUOS_API_KEY;
  if (apiKey === undefined || apiKey === '') return null;
  // Never echo the key: describe what is wrong with it instead.
  if (/\s/.test(apiKey) || apiKey.length < 8 || apiKey.length > 512) {
    throw new ConfigError('EQUOS_API_KEY', 'is set but is not a valid key (8–512 characters, no spaces or line breaks).');
  }
  return { apiKey, endpoint: new URL(endpoint).href.replace(/\/+$/, '') };
}

function presetFromEnv(env: Env, hasApiKey: boolean, maxSessionSeconds: number): Preset {
  const avatarId = nonEmpty(env.EQUOS_AVATAR_ID);
  const agentId = nonEmpty(env.EQUOS_AGENT_ID);
  const characterId = nonEmpty(env.EQUOS_CHARACTER_ID);
  if (avatarId === undefined && characterId === undefined && hasApiKey) {
    throw new ConfigError('EQUOS_AVATAR_ID', 'is required with EQUOS_API_KEY: an avatar (v1), or set EQUOS_CHARACTER_ID for a character (v3), or name them in PRESETS_FILE.');
  }
  if (characterId !== undefined && (avatarId !== undefined || agentId !== undefined)) {
    throw new ConfigError('EQUOS_CHARACTER_ID', 'names a v3 character: leave EQUOS_AVATAR_ID and EQUOS_AGENT_ID (v1) unset.');
  }
  for (const [variable, value] of [['EQUOS_AVATAR_ID', avatarId], ['EQUOS_AGENT_ID', agentId], ['EQUOS_CHARACTER_ID', characterId]] as const) {
    if (value !== undefined && !isEquosId(value)) throw new ConfigError(variable, 'must be an Equos id (letters, digits, . _ : -).');
  }
  const thumbnailUrl = nonEmpty(env.EQUOS_AVATAR_THUMBNAIL_URL);
  if (thumbnailUrl !== undefined && !isHttpUrl(thumbnailUrl)) throw new ConfigError('EQUOS_AVATAR_THUMBNAIL_URL', 'must be an http(s) URL.');
  const sandbox = hasApiKey ? undefined : DEFAULTS.sandboxPreset;
  if (characterId !== undefined) {
    return singlePreset({ characterId, displayName: nonEmpty(env.EQUOS_AVATAR_NAME) ?? sandbox?.displayName ?? DEFAULTS.displayName, thumbnailUrl, maxDurationS: maxSessionSeconds });
  }
  return singlePreset({
    avatarId: avatarId ?? sandbox?.avatarId ?? '',
    agentId: agentId ?? sandbox?.agentId,
    displayName: nonEmpty(env.EQUOS_AVATAR_NAME) ?? sandbox?.displayName ?? DEFAULTS.displayName,
    thumbnailUrl,
    maxDurationS: maxSessionSeconds,
  });
}

function readPresetsFile(path: string, host: SettingsHost, maxSessionSeconds: number): { presets: Preset[]; defaultPreset: string } {
  if (!host.readFile) throw new ConfigError('PRESETS_FILE', 'this runtime has no file system; pass the presets in the settings instead.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(host.readFile(path));
  } catch (error) {
    const why = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    throw new ConfigError('PRESETS_FILE', `${path} ${why}.`);
  }
  return readPresetsJson(parsed, maxSessionSeconds, (where, message) => {
    throw new ConfigError('PRESETS_FILE', `${path}: ${where} ${message}`);
  });
}

function readOrigins(raw: string | undefined): OriginPolicy {
  const value = raw?.trim() ?? '';
  if (value === '*') return '*';
  if (value === '') return [];
  return value.split(',').map((entry) => {
    const text = entry.trim();
    // An origin is exactly scheme://host[:port]; anything more is a likely mistake
    // (a trailing slash of a copied URL is forgiven).
    if (!isHttpUrl(text) || new URL(text).origin !== text.replace(/\/$/, '').toLowerCase()) {
      throw new ConfigError('ALLOWED_ORIGINS', `"${text}" is not an origin; use a comma-separated list like https://example.com,https://www.example.com or "*".`);
    }
    return new URL(text).origin;
  });
}

/**
 * DATABASE_URL, checked: a postgres:// URL (its `schema` parameter a plain name). It and
 * REDIS_URL each name the one store of the ledger: both set is refused, not resolved by a rule
 * an operator would have to remember.
 */
function readDatabaseUrl(raw: string | undefined, redisUrl: string | undefined): string | undefined {
  const url = nonEmpty(raw);
  if (url === undefined) return undefined;
  try {
    readPostgresUrl(url);
  } catch (error) {
    throw new ConfigError('DATABASE_URL', (error as Error).message);
  }
  if (redisUrl !== undefined) throw new ConfigError('DATABASE_URL', 'REDIS_URL is set too: the ledger lives in one store; keep DATABASE_URL for Postgres or REDIS_URL for Redis, not both.');
  return url;
}

/**
 * Redis or Postgres if named, else the SQLite file named, else the default: a file with a real
 * key, and memory on the sandbox (its sessions end with the process; the real Equos' ledger is
 * never shared with it).
 */
function readLedgerLocation(env: Env, redisUrl: string | undefined, databaseUrl: string | undefined, usesSandbox: boolean): LedgerLocation {
  if (redisUrl !== undefined) return { kind: 'redis', url: redisUrl };
  if (databaseUrl !== undefined) return { kind: 'postgres', url: databaseUrl };
  const path = nonEmpty(env.LEDGER_PATH);
  if (path !== undefined) return { kind: 'sqlite', path };
  return usesSandbox ? { kind: 'memory' } : { kind: 'sqlite', path: DEFAULTS.ledgerPath };
}

/** PUBLIC_URL's origin: the address visitors reach this server at. */
function readPublicOrigin(raw: string | undefined): string | null {
  const text = nonEmpty(raw);
  if (text === undefined) return null;
  if (!isHttpUrl(text)) throw new ConfigError('PUBLIC_URL', `"${text.slice(0, 64)}" is not an http(s) URL; write the address visitors reach this server at, e.g. https://avatar.example.com`);
  return new URL(text).origin;
}

/**
 * What makes a session secret guessable, if anything: too short, too few different
 * characters, or one short piece repeated (`abcabcabc…`).
 */
export function secretWeakness(secret: string): string | undefined {
  if (secret.length < MIN_SECRET_LENGTH) return `must be at least ${MIN_SECRET_LENGTH} characters`;
  if (new Set(secret).size < 8) return 'has too few different characters';
  for (let period = 1; period <= secret.length / 2; period += 1) {
    if (secret === secret.slice(0, period).repeat(Math.ceil(secret.length / period)).slice(0, secret.length)) return 'is one short piece repeated';
  }
  return undefined;
}

function readNumber(env: Env, name: string, spec: NumberSpec): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return spec.fallback;
  const [pattern, what] = spec.integer ? [/^\d+$/, 'a whole number'] : [/^\d+(\.\d+)?$/, 'a number of seconds'];
  const value = pattern.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= spec.min && value <= spec.max)) {
    throw new ConfigError(name, `must be ${what} from ${spec.min} to ${spec.max} (got "${raw.slice(0, 32)}").`);
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

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** `bytes` random bytes as text (Web Crypto: every runtime has it). */
function randomText(bytes: number): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}
