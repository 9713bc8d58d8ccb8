/**
 * The one mapping from PostgreSQL errors (SQLSTATE, both engines: node-postgres and PGlite raise the same
 * fields) to the catalogue's errors (src/errors/codes.ts). Services pass what a class means in their operation
 * (`toAppError(e, { uniqueViolation: () => skuExists(sku, projectId) })`); the global error handler
 * (src/errors/handler.ts) maps whatever escapes with the defaults, so a database error is never a bare 500 when
 * its class says what happened:
 *
 * | SQLSTATE | class                  | default answer                                                     |
 * |----------|------------------------|--------------------------------------------------------------------|
 * | 23505    | unique violation       | 422/1102 VALIDATION (callers answer their own "already exists")    |
 * | 23503    | foreign-key violation  | 422/1102 VALIDATION                                                |
 * | 22xxx    | data exception         | 422/1102 VALIDATION (a value the schema let through, the column not) |
 * | 40001    | serialization failure  | 503/0 SERVICE_UNAVAILABLE + Retry-After (retryable, `isRetryable`) |
 * | 40P01    | deadlock detected      | 503/0 SERVICE_UNAVAILABLE + Retry-After (retryable, `isRetryable`) |
 * | 55P03    | lock not available     | 503/0 SERVICE_UNAVAILABLE + Retry-After                            |
 * | 57014    | query canceled (statement_timeout) | 503/0 SERVICE_UNAVAILABLE + Retry-After                |
 *
 * 503 with `Retry-After` is the catalogue's "try the same request again later" (as load shedding, ADR 0046):
 * the transaction rolled back, nothing changed, and the same request can succeed.
 * Every AppError made here keeps the database error as its ES2022 `cause` (logged, never rendered).
 */
import { AppError } from './app-error.js';

/** The SQLSTATEs this module maps (PostgreSQL Appendix A). */
export const SQLSTATE = {
  UNIQUE_VIOLATION: '23505',
  FOREIGN_KEY_VIOLATION: '23503',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
  LOCK_NOT_AVAILABLE: '55P03',
  QUERY_CANCELED: '57014',
} as const;

/** `Retry-After` (seconds) of a request that failed on a transient database conflict. */
export const PG_CONFLICT_RETRY_AFTER_SECONDS = 1;

/** The fields of a PostgreSQL error the mapping reads. */
export interface PgError {
  /** SQLSTATE, five characters. */
  code: string;
  /** The violated constraint (integrity errors). */
  constraint?: string;
  /** The table (integrity errors). */
  table?: string;
  /** PostgreSQL's detail text (never shown to clients). */
  detail?: string;
}

/** How deep `cause` chains are followed (an AppError wrapping a database error, a wrapper of that…). */
const MAX_CAUSE_DEPTH = 4;

function asPgError(err: unknown): PgError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; severity?: unknown };
  // node errors have codes too (EPIPE): a database error also carries its severity
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string')
    return err as PgError;
  return undefined;
}

/** The PostgreSQL error `err` is or wraps (through `cause`), or undefined. */
export function pgErrorOf(err: unknown): PgError | undefined {
  let e: unknown = err;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && e != null; depth++) {
    const pg = asPgError(e);
    if (pg) return pg;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The SQLSTATE of the PostgreSQL error `err` is or wraps, or undefined. */
export const sqlStateOf = (err: unknown): string | undefined => pgErrorOf(err)?.code;

/** True when `err` is (or wraps) a unique violation (23505), of `constraint` when given. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const pg = pgErrorOf(err);
  return pg?.code === SQLSTATE.UNIQUE_VIOLATION && (constraint === undefined || pg.constraint === constraint);
}

/**
 * True when the failed transaction may simply be run again: a serialization failure (40001) or a deadlock
 * (40P01), also when wrapped (an AppError made by this module keeps it as `cause`). The unit of work retries
 * these a bounded number of times.
 */
export function isRetryable(err: unknown): boolean {
  const code = sqlStateOf(err);
  return code === SQLSTATE.SERIALIZATION_FAILURE || code === SQLSTATE.DEADLOCK_DETECTED;
}

/** What an operation answers for an integrity error instead of the default 422/1102. */
export interface PgErrorAnswers {
  /** 23505: e.g. `() => skuExists(sku, projectId)`. */
  uniqueViolation?: (e: PgError) => AppError;
  /** 23503. */
  foreignKeyViolation?: (e: PgError) => AppError;
}

const transient = (message: string) =>
  new AppError('SERVICE_UNAVAILABLE', message, undefined, {
    retryAfterSeconds: PG_CONFLICT_RETRY_AFTER_SECONDS,
  });

function mapped(pg: PgError, answers: PgErrorAnswers): AppError | undefined {
  switch (pg.code) {
    case SQLSTATE.UNIQUE_VIOLATION:
      return (
        answers.uniqueViolation?.(pg) ??
        new AppError('VALIDATION', 'Unprocessable Entity. A value that must be unique is already used')
      );
    case SQLSTATE.FOREIGN_KEY_VIOLATION:
      return (
        answers.foreignKeyViolation?.(pg) ??
        new AppError('VALIDATION', 'Unprocessable Entity. A referenced object does not exist')
      );
    case SQLSTATE.SERIALIZATION_FAILURE:
    case SQLSTATE.DEADLOCK_DETECTED:
      return transient('The request conflicted with a concurrent one and changed nothing; retry it');
    case SQLSTATE.LOCK_NOT_AVAILABLE:
      return transient('The data is locked by a concurrent request; retry it');
    case SQLSTATE.QUERY_CANCELED:
      return transient('The database did not answer in time; retry the request');
  }
  // class 22 (data exception: a number out of range, a NUL character…): input the schemas let through but the
  // column cannot hold — the client's mistake, and the transaction rolled back
  if (pg.code.startsWith('22')) {
    const why = pg.code === '22003' ? 'A number is out of range' : 'A value is not allowed';
    return new AppError('VALIDATION', `Unprocessable Entity. ${why}`);
  }
  return undefined;
}

/**
 * The catalogue error for the PostgreSQL error `err` is or wraps (table in the module comment), with `err` as
 * its `cause`; undefined when `err` is no database error or one of a class not mapped (a bug: 500).
 * An AppError is returned as it is (already answered).
 */
export function fromPgError(err: unknown, answers: PgErrorAnswers = {}): AppError | undefined {
  if (err instanceof AppError) return err;
  const pg = pgErrorOf(err);
  if (!pg) return undefined;
  const appError = mapped(pg, answers);
  if (appError) appError.cause ??= err;
  return appError;
}

/**
 * For `catch (e) { throw toAppError(e, answers) }`: the mapped catalogue error, else `e` unchanged.
 */
export function toAppError(err: unknown, answers: PgErrorAnswers = {}): unknown {
  return fromPgError(err, answers) ?? err;
}
