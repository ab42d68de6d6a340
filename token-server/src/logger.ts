/**
 * Structured logs, one JSON object per line, with every configured secret redacted from the
 * finished line, so no code path (an upstream message, an error's text) can leak the API key.
 */

/** Log severities. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Every level, lowest first. */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Values a log line may carry. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** The logger every part of the server receives. */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Receives each finished line [the console: `console.log`, or `console.error` for warn and error]. */
  write?: (line: string, level: LogLevel) => void;
  /** Strings replaced by `[redacted]` wherever they appear. */
  secrets?: readonly string[];
  /** Lines below this level are dropped ['info']. */
  level?: LogLevel;
  /** Timestamp source [Date.now]. */
  now?: () => number;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** The console, on any runtime (the Node entry writes to stdout and stderr directly). */
const writeToConsole = (line: string, level: LogLevel) => (LEVEL_ORDER[level] >= LEVEL_ORDER.warn ? console.error(line) : console.log(line));

/**
 * Creates a logger.
 *
 * @example
 * const logger = createLogger({ secrets: [apiKey] });
 * logger.info('session.created', { session_id: id, preset: 'default' });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const { write = writeToConsole, level: minimum = 'info', now = Date.now } = options;
  // A secret can also appear JSON-escaped or URL-encoded inside a line.
  const forms = (options.secrets ?? [])
    .filter((secret) => secret.length > 0)
    .flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
  // Most lines carry no secret: look before splitting (a split and a join per form per line
  // showed in the load profile, issue 13).
  const redact = (line: string) => forms.reduce((text, form) => (text.includes(form) ? text.split(form).join('[redacted]') : text), line);

  const log = (level: LogLevel) => (event: string, fields: LogFields = {}) => {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[minimum]) return;
    const line = JSON.stringify({ time: new Date(now()).toISOString(), level, event, ...fields });
    write(redact(line), level);
  };

  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A logger that drops everything, for embedding where the host logs on its own. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
