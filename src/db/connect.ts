/**
 * Clear start-up errors for PostgreSQL (issue 15 item 3): before the pool is used, `DATABASE_URL` is parsed and
 * one connection is opened with a deadline (DB_CONNECT_TIMEOUT_SECONDS), and what can go wrong becomes one
 * sentence saying what is wrong and what to do — a malformed URL, an unknown host, a refused connection, no
 * answer, a wrong password, an unknown user or database. The URL is shown without its password.
 */
import pg from 'pg';

/** A database that cannot be used, with a one-line message for people (printed by the CLI as it is). */
export class DatabaseStartupError extends Error {
  constructor(
    message: string,
    /** What failed: a machine-readable reason (tests, logs). */
    readonly reason:
      | 'malformed-url'
      | 'unknown-host'
      | 'refused'
      | 'timeout'
      | 'wrong-password'
      | 'unknown-user'
      | 'unknown-database'
      | 'other',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseStartupError';
  }
}

const SCHEMES = new Set(['postgres:', 'postgresql:', 'socket:']);
const EXAMPLE = 'postgres://user:password@host:5432/database';

/** `url` with its password replaced by `***` (what messages show). */
export function hidePassword(url: string): string {
  return url.replace(/(\/\/[^:/?#@]*:)[^@/?#]*@/, '$1***@');
}

/** Where `url` points, for messages: `host:port` and the user and database it names. */
function target(url: URL) {
  return {
    where: `${url.hostname || 'localhost'}:${url.port || '5432'}`,
    host: url.hostname,
    user: decodeURIComponent(url.username) || process.env.PGUSER || process.env.USER || 'postgres',
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default)',
  };
}

/**
 * Parses `DATABASE_URL`.
 * @throws DatabaseStartupError (malformed-url) when it is not a `postgres://` (or `postgresql://`, `socket:`) URL.
 */
export function parseDatabaseUrl(databaseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new DatabaseStartupError(
      `DATABASE_URL is not a valid URL ("${hidePassword(databaseUrl)}"): write it as ${EXAMPLE}, or unset it to use the embedded database`,
      'malformed-url',
    );
  }
  if (!SCHEMES.has(url.protocol))
    throw new DatabaseStartupError(
      `DATABASE_URL must be a PostgreSQL URL starting with postgres:// (got "${url.protocol}//…"): write it as ${EXAMPLE}`,
      'malformed-url',
    );
  if (url.protocol !== 'socket:' && !url.hostname)
    throw new DatabaseStartupError(
      `DATABASE_URL names no host ("${hidePassword(databaseUrl)}"): write it as ${EXAMPLE}`,
      'malformed-url',
    );
  return url;
}

/** The one-line description of a failed first connection (see the module comment). */
export function describeConnectError(e: unknown, databaseUrl: string, timeoutSeconds: number) {
  const url = parseDatabaseUrl(databaseUrl);
  const t = target(url);
  const err = e as { code?: string; message?: string };
  const code = err?.code ?? '';
  const message = String(err?.message ?? e);
  const fail = (text: string, reason: DatabaseStartupError['reason']) =>
    new DatabaseStartupError(text, reason, { cause: e });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return fail(
      `cannot reach PostgreSQL: the host "${t.host}" in DATABASE_URL is not known (DNS lookup failed) — check the host name in DATABASE_URL`,
      'unknown-host',
    );
  if (code === 'ECONNREFUSED')
    return fail(
      `cannot reach PostgreSQL at ${t.where}: the connection was refused — start PostgreSQL, or fix the host and port in DATABASE_URL`,
      'refused',
    );
  if (['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'].includes(code) || /timeout/i.test(message))
    return fail(
      `cannot reach PostgreSQL at ${t.where}: no answer within ${timeoutSeconds} s — check the host and port in DATABASE_URL and that no firewall blocks it (DB_CONNECT_TIMEOUT_SECONDS sets the wait)`,
      'timeout',
    );
  if (code === '28P01')
    return fail(
      `PostgreSQL at ${t.where} refused the password of user "${t.user}" — fix the password in DATABASE_URL`,
      'wrong-password',
    );
  if (code === '28000')
    return fail(
      `PostgreSQL at ${t.where} refused user "${t.user}" (${message}) — fix the user in DATABASE_URL, or create the role`,
      'unknown-user',
    );
  if (code === '3D000')
    return fail(
      `the database "${t.database}" does not exist on PostgreSQL at ${t.where} — create it (createdb ${t.database}) or fix the database name in DATABASE_URL`,
      'unknown-database',
    );
  return fail(`cannot connect to PostgreSQL at ${t.where}: ${message}`, 'other');
}

/**
 * Opens one connection to `databaseUrl` and closes it, within `timeoutSeconds`.
 * @throws DatabaseStartupError describing what is wrong (see the module comment)
 */
export async function checkPostgres(databaseUrl: string, timeoutSeconds: number): Promise<void> {
  parseDatabaseUrl(databaseUrl);
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: timeoutSeconds * 1000,
  });
  client.on('error', () => {}); // a late socket error after a failed connect must not crash the process
  try {
    await client.connect();
  } catch (e) {
    throw describeConnectError(e, databaseUrl, timeoutSeconds);
  } finally {
    await client.end().catch(() => {});
  }
}
