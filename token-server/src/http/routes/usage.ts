/**
 * `GET /api/usage?from=YYYY-MM-DD&to=YYYY-MM-DD`: the sessions that ended and their billed
 * minutes, per UTC day (the day each started), preset and origin, from the ledger (for
 * reconciling with Equos' invoice, or billing the sites). JSON (`UsageExport` of
 * contract/webhooks.ts), or CSV with `Accept: text/csv`.
 *
 * For the operator, not for pages: behind `Authorization: Bearer <USAGE_TOKEN>`
 * (../middleware/operator-token/), mounted ahead of the Origin allowlist (curl sends
 * no Origin, and a page's Origin has no say here), never cached. Without USAGE_TOKEN there is
 * no export: `404 not-found`, as for any unknown route.
 */
import { Hono, type Context } from 'hono';
import { USAGE_CSV_COLUMNS, USAGE_MAX_DAYS, type UsageExport, type UsageExportRow } from '../../../../contract/webhooks.js';
import type { UsageRow } from '../../ledger/store.js';
import { ProblemError } from '../../problems.js';
import type { AppEnv } from '../app-env.js';
import { methodNotAllowed } from '../method-not-allowed.js';
import { operatorToken } from '../middleware/operator-token/index.js';

/** What the route needs. */
export interface UsageRoutesDeps {
  /** USAGE_TOKEN; null: the export is off (404). */
  token: string | null;
  /** The ledger's usage of the days from `fromDay` to `toDay` (inclusive). */
  usage(fromDay: string, toDay: string): Promise<UsageRow[]>;
}

const DAY_MS = 24 * 3600 * 1000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const NO_STORE = { 'Cache-Control': 'no-store' } as const;

/** The day of query parameter `name`, or a `400 invalid-field` saying what is wrong. */
function dayParam(c: Context<AppEnv>, name: 'from' | 'to'): string {
  const value = c.req.query(name);
  if (value === undefined) throw new ProblemError('invalid-field', { detail: `\`${name}\` is required: a UTC day, YYYY-MM-DD.` });
  // A real day: 2027-02-30 is refused, not read as March 2nd.
  if (!DAY.test(value) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new ProblemError('invalid-field', { detail: `\`${name}\` must be a UTC day, YYYY-MM-DD (got "${value.slice(0, 32)}").` });
  }
  return value;
}

/** Three decimals: what a minute's count needs, without a float's tail. */
const rounded = (minutes: number) => Math.round(minutes * 1000) / 1000;

/** The export of `rows` for `from`..`to`: sorted by day, preset, origin (none first), with totals. */
export function usageExport(from: string, to: string, rows: readonly UsageRow[]): UsageExport {
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const origin = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : text(a, b));
  const sorted = [...rows].sort((a, b) => text(a.day, b.day) || text(a.preset, b.preset) || origin(a.origin, b.origin));
  const out: UsageExportRow[] = sorted.map((row) => ({ day: row.day, preset: row.preset, origin: row.origin, sessions: row.sessions, minutes: rounded(row.minutes) }));
  return {
    from,
    to,
    rows: out,
    totals: { sessions: sorted.reduce((sum, row) => sum + row.sessions, 0), minutes: rounded(sorted.reduce((sum, row) => sum + row.minutes, 0)) },
  };
}

/** RFC 4180: every text field quoted (quotes doubled), numbers bare, no origin an empty field, CRLF line ends. */
export function usageCsv(usage: UsageExport): string {
  const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;
  const lines = [USAGE_CSV_COLUMNS.join(','), ...usage.rows.map((row) => [quoted(row.day), quoted(row.preset), row.origin === null ? '' : quoted(row.origin), String(row.sessions), String(row.minutes)].join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** Whether `accept` asks for CSV rather than JSON (text/csv listed, with no JSON preferred over it). */
function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const quality = (type: string) =>
    Math.max(
      -1,
      ...accept
        .slice(0, 1024)
        .split(',')
        .map((range) => range.trim().split(';'))
        .filter(([media]) => media?.trim().toLowerCase() === type)
        .map(([, ...params]) => {
          const q = params.map((param) => /^\s*q=([\d.]+)\s*$/i.exec(param)?.[1]).find((value) => value !== undefined);
          return q === undefined ? 1 : Number(q);
        }),
    );
  const csv = quality('text/csv');
  return csv > 0 && csv >= quality('application/json');
}

/**
 * Mounts at `/api/usage`.
 *
 * @example
 * app.route('/api/usage', usageRoutes({ token: settings.usageToken, usage: (from, to) => store.usage(from, to) }));
 */
export function usageRoutes(deps: UsageRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { token } = deps;
  if (token === null) {
    app.all('/', () => {
      throw new ProblemError('not-found');
    });
    return app;
  }
  app.use('/', operatorToken({ token, realm: 'usage', variable: 'USAGE_TOKEN' }));
  app.get('/', async (c) => {
    const from = dayParam(c, 'from');
    const to = dayParam(c, 'to');
    if (from > to) throw new ProblemError('invalid-field', { detail: '`from` must not be after `to`.' });
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
    if (days > USAGE_MAX_DAYS) throw new ProblemError('invalid-field', { detail: `One export spans at most ${USAGE_MAX_DAYS} days (asked for ${days}); ask for several.` });
    const usage = usageExport(from, to, await deps.usage(from, to));
    if (wantsCsv(c.req.header('accept'))) {
      return c.body(usageCsv(usage), 200, {
        'Content-Type': 'text/csv; charset=utf-8; header=present',
        'Content-Disposition': `attachment; filename="usage-${from}-${to}.csv"`,
        Vary: 'Accept',
        ...NO_STORE,
      });
    }
    return c.json(usage, 200, { Vary: 'Accept', ...NO_STORE });
  });
  app.all('/', methodNotAllowed('GET, HEAD'));
  return app;
}
