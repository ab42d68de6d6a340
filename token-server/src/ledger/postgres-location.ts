/**
 * Where a Postgres ledger lives, read from a `DATABASE_URL`: what `pg` connects to, and the
 * schema the ledger's tables are kept in (the URL's `schema` parameter, as Prisma and others
 * spell it), so two deployments can share one database. Pure: the settings reader checks a URL
 * with it without loading the driver.
 */

/** The schema the ledger's tables are created in when the URL names none. */
export const DEFAULT_POSTGRES_SCHEMA = 'equos_avatar';

/** A schema name the store accepts: an unquoted SQL identifier, lower case (it is written into DDL, never a parameter). */
export const POSTGRES_SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** A `DATABASE_URL` taken apart. */
export interface PostgresLocation {
  /** The URL without its `schema` parameter, for `pg`. */
  connectionString: string;
  schema: string;
}

/**
 * Reads `url` (`postgres://` or `postgresql://`, with an optional `?schema=name`).
 * Throws a TypeError saying what to write when it is not such a URL.
 *
 * @example
 * readPostgresUrl('postgres://avatar:secret@db.internal/shop?schema=avatar_eu&sslmode=require');
 * // → { connectionString: 'postgres://avatar:secret@db.internal/shop?sslmode=require', schema: 'avatar_eu' }
 */
export function readPostgresUrl(url: string): PostgresLocation {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new TypeError('must be a postgres:// or postgresql:// URL, e.g. postgres://user:password@db.internal:5432/avatar');
  const [base, query] = splitOnce(url, '?');
  let schema = DEFAULT_POSTGRES_SCHEMA;
  const kept: string[] = [];
  for (const part of query === undefined ? [] : query.split('&')) {
    const [name, value = ''] = splitOnce(part, '=');
    if (name !== 'schema') {
      kept.push(part);
      continue;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      decoded = value;
    }
    if (!POSTGRES_SCHEMA_PATTERN.test(decoded)) {
      throw new TypeError(`schema "${decoded.slice(0, 64)}" is not a plain schema name: use 1–63 lower-case letters, digits or _ (starting with a letter or _), e.g. ?schema=equos_avatar`);
    }
    schema = decoded;
  }
  // The rest of the URL is passed on as written (its parameters are pg's: sslmode, host, …).
  return { connectionString: kept.length > 0 ? `${base}?${kept.join('&')}` : base, schema };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
