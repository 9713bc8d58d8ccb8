/**
 * The unit of work (issue 14 §1, DESIGN §5): the one place a state-changing operation opens and commits its
 * transaction. It owns BEGIN, the Idempotency-Key (its advisory lock and its row, written in the same transaction
 * as the work), COMMIT, bounded retries of serialization failures and deadlocks, and the hooks that run after
 * commit. It takes plain options (`WriteOptions`), never HTTP types: routes translate a request into them
 * (src/http/write.ts), code outside a request passes `{}`.
 *
 * Idempotency-Key semantics (what a client sees):
 * - no key: the work runs once in a transaction;
 * - a key seen before with the same request (`requestHash`): the stored result is returned with `replayed: true`
 *   and nothing runs;
 * - the same key with another request: 422/1102 (IDEMPOTENCY_MISMATCH);
 * - the same key while its first request is still running: 409 (IDEMPOTENCY_IN_FLIGHT).
 * Errors are not recorded: a failed request may be retried with the same key.
 *
 * Statements of a keyed unit: BEGIN; one SELECT that takes the key's transaction-scoped advisory lock
 * (pg_try_advisory_xact_lock, released at COMMIT/ROLLBACK) and reads the stored key; the work; INSERT of the key …
 * ON CONFLICT (scope, key) DO NOTHING; COMMIT.
 *
 * Why the INSERT needs ON CONFLICT (READ COMMITTED): the first SELECT reads idempotency_keys with the snapshot taken
 * when the statement starts and takes the lock while it runs. A first request A with the same key may commit
 * (writing its row, releasing the lock) between the two: this unit B then holds the lock yet did not see A's row,
 * and runs the work. The lock still means no other transaction with this key is in flight, so A's row is committed;
 * B's final INSERT conflicts with it without waiting, inserts nothing, and B throws 409: B rolls back with all its
 * work, so nothing is done twice, and B's retry replays A's answer. Within that window the work may instead fail on
 * A's effects (a cart A already ordered, stock A took): that error rolls back too and is not recorded.
 *
 * One connection (PGlite has exactly one; issue 14 §1): inside a unit of work every statement must go through its
 * transaction. `guardPool` makes the pool refuse a second connection from inside a unit of work with a clear
 * error (on both engines, so a mistake shows on PostgreSQL too instead of deadlocking PGlite). Whatever a
 * write needs from outside the transaction (the catalog snapshot) is read before `run` is called.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { AppError } from '../errors/app-error.js';
// 40001 / 40P01: the transaction was rolled back and may simply run again
import { isRetryable } from '../errors/postgres.js';
import type { DB, Executor } from './types.js';

/**
 * How a write runs, in plain terms. `scope` is who the key belongs to (e.g. `"<project_id>:<user_id>"` or
 * `"<project_id>:admin"`); `idempotencyKey` the client's key (already validated), `requestHash` a digest of what
 * was asked (method, path and body): the same key with another hash is refused. `onReplay` is called when a stored
 * result is returned instead of running the work (the route sets `Idempotent-Replayed: true`).
 */
export interface WriteOptions {
  scope?: string;
  idempotencyKey?: string;
  requestHash?: string;
  onReplay?: () => void;
}

/** The transaction of a unit of work, with hooks to run after it commits. */
export interface WriteContext {
  trx: Executor;
  /** Runs `fn` once the transaction has committed (never on rollback, never twice on a retry). */
  afterCommit(fn: () => void | Promise<void>): void;
}

/** Where an after-commit hook's failure is reported (it is never thrown: the write has committed). */
export type HookFailureLog = (err: unknown) => void;

/** Attempts of a unit whose transaction failed with 40001 (serialization) or 40P01 (deadlock). */
const ATTEMPTS = 4;

const inUnit = new AsyncLocalStorage<true>();

/** True while the caller runs inside a unit of work's transaction. */
export const inUnitOfWork = () => inUnit.getStore() === true;

/** The pool-like object `guardPool` wraps (pg.Pool). */
interface ConnectablePool {
  connect(...args: unknown[]): unknown;
}

/**
 * Makes `pool.connect` refuse to hand out a connection from inside a unit of work: such a statement would bypass
 * the transaction (and on PGlite wait forever for its only connection). Installed once by createDb.
 */
export function guardPool(pool: ConnectablePool): void {
  const connect = pool.connect.bind(pool);
  pool.connect = (...args: unknown[]) => {
    if (inUnitOfWork()) {
      const error = new Error(
        'A statement inside a unit of work used the pool instead of the transaction (ctx.trx); read what the ' +
          'write needs before UnitOfWork.run, or pass ctx.trx down',
      );
      const callback = args.find((a) => typeof a === 'function') as ((e: Error) => void) | undefined;
      if (callback) {
        callback(error);
        return undefined;
      }
      return Promise.reject(error);
    }
    return connect(...args);
  };
}

/**
 * Runs state-changing work in one transaction. Build one per database (services.unitOfWork); services call it,
 * routes never open transactions.
 */
export class UnitOfWork {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly hookFailed: HookFailureLog = () => {},
  ) {}

  /**
   * Runs `work` in one transaction honouring `options.idempotencyKey`, retrying it (at most 4 attempts) when the
   * transaction fails with a serialization failure or a deadlock, then runs the after-commit hooks. The result must
   * be JSON-serializable when a key is given (it is stored and replayed as JSON; `undefined` replays as undefined).
   * @throws AppError 409 IDEMPOTENCY_IN_FLIGHT (key in flight, or its first request committed meanwhile), 422/1102
   *   IDEMPOTENCY_MISMATCH (key reused with another request); whatever `work` throws (then nothing is written);
   *   the database's 40001/40P01 after the last attempt.
   */
  async run<T>(options: WriteOptions, work: (ctx: WriteContext) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const hooks: (() => void | Promise<void>)[] = [];
      let outcome: { value: T; replayed: boolean };
      try {
        outcome = await this.db
          .transaction()
          .execute((trx) =>
            inUnit.run(true, () =>
              this.attempt(trx, options, { trx, afterCommit: (fn) => hooks.push(fn) }, work),
            ),
          );
      } catch (e) {
        if (attempt < ATTEMPTS && isRetryable(e)) continue;
        throw e;
      }
      if (outcome.replayed) options.onReplay?.();
      for (const fn of hooks) {
        try {
          await fn();
        } catch (e) {
          this.hookFailed(e);
        }
      }
      return outcome.value;
    }
  }

  private async attempt<T>(
    trx: Executor,
    options: WriteOptions,
    ctx: WriteContext,
    work: (ctx: WriteContext) => Promise<T>,
  ): Promise<{ value: T; replayed: boolean }> {
    const { idempotencyKey: key, scope = '', requestHash = '' } = options;
    if (key === undefined) return { value: await work(ctx), replayed: false };
    const { rows } = await sql<{
      locked: boolean;
      request_hash: string | null;
      response_body: string | null;
    }>`
      SELECT pg_try_advisory_xact_lock(hashtextextended(${`${scope}\n${key}`}, 0)) AS locked,
             k.request_hash, k.response_body
      FROM (SELECT 1) AS one
      LEFT JOIN idempotency_keys k ON k.scope = ${scope} AND k.key = ${key}`.execute(trx);
    const seen = rows[0];
    if (!seen?.locked) throw new AppError('IDEMPOTENCY_IN_FLIGHT');
    if (seen.request_hash !== null) {
      if (seen.request_hash !== requestHash) throw new AppError('IDEMPOTENCY_MISMATCH');
      const value = seen.response_body === null ? undefined : (JSON.parse(seen.response_body) as T);
      return { value: value as T, replayed: true };
    }
    const value = await work(ctx);
    const inserted = await trx
      .insertInto('idempotency_keys')
      .values({
        scope,
        key,
        request_hash: requestHash,
        // the stored answer's status is the operation's own (one success status per operation)
        status_code: 0,
        response_body: value === undefined ? null : JSON.stringify(value),
      })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .executeTakeFirst();
    // nothing inserted: a first request with this key committed after this transaction's first snapshot
    if (!inserted.numInsertedOrUpdatedRows) throw new AppError('IDEMPOTENCY_IN_FLIGHT');
    return { value, replayed: false };
  }
}

/** The `requestHash` of a write: sha-256 of method, path and JSON body. */
export function requestHashOf(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');
}
