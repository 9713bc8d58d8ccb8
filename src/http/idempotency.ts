/**
 * Idempotency-Key for state-changing calls (DESIGN §5): the operation's work and the key's record are written
 * in ONE transaction, so a replay returns exactly the first answer and a crash leaves neither.
 *
 * - no header: the work runs once in a transaction, as usual;
 * - a key seen before with the same request (method, path, body): the stored status and body are returned,
 *   with header `Idempotent-Replayed: true`, and nothing runs;
 * - the same key with a different request: 422/1102;
 * - the same key while its first request is still running: 409.
 * Keys are scoped per project and caller (the user's id, or "admin" for basic-auth calls). Errors are not
 * recorded: a failed request may be retried with the same key.
 *
 * Statements of a keyed request: BEGIN; one SELECT that takes the key's transaction-scoped advisory lock
 * (pg_try_advisory_xact_lock, released at COMMIT/ROLLBACK) and reads the stored key; the work; INSERT of the
 * key … ON CONFLICT (scope, key) DO NOTHING; COMMIT.
 *
 * Why the INSERT needs ON CONFLICT (READ COMMITTED): that first SELECT reads idempotency_keys with the snapshot
 * taken when the statement starts, and takes the lock while it runs. A first request A with the same key may
 * commit (writing its key row and releasing the lock) between the two: this request B then holds the lock and
 * yet did not see A's row, and runs the work. The lock still means no other transaction with this key is in
 * flight, so A's row is committed, B's final INSERT conflicts with it (it sees committed rows, not B's old
 * snapshot) without waiting, inserts nothing, and B throws 409 IDEMPOTENCY_IN_FLIGHT: B's transaction rolls
 * back with all its work, so nothing is done twice, and B's retry replays A's answer (the next snapshot sees it).
 * Within that same window the work may instead fail earlier on A's effects (a cart A already ordered, stock A
 * took): that error rolls back too and is not recorded, and the retry likewise replays A. Without a concurrent
 * first request the key cannot appear, so the branch costs nothing.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { DB, Executor } from '../db/types.js';
import { AppError, invalid } from '../errors/app-error.js';

/** What an idempotent operation answers: HTTP status and JSON body (undefined → no body). */
export interface IdempotentResult {
  status: number;
  body?: unknown;
}

/** The transaction an idempotent operation runs in, with hooks to run after it commits. */
export interface WriteContext {
  trx: Executor;
  /** Runs `fn` once the transaction has committed (never on rollback); errors are logged, not thrown. */
  afterCommit(fn: () => void | Promise<void>): void;
}

/** The stored answer of a key (all null when the key is new). */
interface StoredKey {
  request_hash: string | null;
  status_code: number | null;
  response_body: string | null;
}

const KEY = /^[\x21-\x7e]{1,255}$/;

export class IdempotencyService {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Runs `work` in one transaction, honouring the request's `Idempotency-Key`.
   * @throws AppError 409 (key in flight, or its first request committed while this one ran), 422/1102 (key
   *         reused with another request, malformed key), or whatever `work` throws (then nothing is written).
   */
  async run(
    request: FastifyRequest,
    work: (ctx: WriteContext) => Promise<IdempotentResult>,
  ): Promise<IdempotentResult & { replayed: boolean }> {
    const header = request.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (key !== undefined && !KEY.test(key))
      throw invalid('Idempotency-Key', 'Must be 1–255 visible ASCII characters');
    const hooks: (() => void | Promise<void>)[] = [];
    const result = await this.db.transaction().execute(async (trx) => {
      const ctx: WriteContext = { trx, afterCommit: (fn) => hooks.push(fn) };
      if (key === undefined) return { ...(await work(ctx)), replayed: false };
      const scope = `${request.auth?.projectId ?? 0}:${request.auth?.user?.userId ?? 'admin'}`;
      const hash = createHash('sha256')
        .update(`${request.method} ${request.url.split('?')[0]}\n${JSON.stringify(request.body ?? null)}`)
        .digest('hex');
      const { rows } = await sql<StoredKey & { locked: boolean }>`
        SELECT pg_try_advisory_xact_lock(hashtextextended(${`${scope}\n${key}`}, 0)) AS locked,
               k.request_hash, k.status_code, k.response_body
        FROM (SELECT 1) AS one
        LEFT JOIN idempotency_keys k ON k.scope = ${scope} AND k.key = ${key}`.execute(trx);
      const seen = rows[0];
      if (!seen?.locked) throw new AppError('IDEMPOTENCY_IN_FLIGHT');
      if (seen.request_hash !== null) {
        if (seen.request_hash !== hash) throw new AppError('IDEMPOTENCY_MISMATCH');
        return {
          status: seen.status_code!,
          body: seen.response_body === null ? undefined : (JSON.parse(seen.response_body) as unknown),
          replayed: true,
        };
      }
      const r = await work(ctx);
      const inserted = await trx
        .insertInto('idempotency_keys')
        .values({
          scope,
          key,
          request_hash: hash,
          status_code: r.status,
          response_body: r.body === undefined ? null : JSON.stringify(r.body),
        })
        .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
        .executeTakeFirst();
      // nothing inserted: a first request with this key committed after this transaction's first snapshot
      if (!inserted.numInsertedOrUpdatedRows) throw new AppError('IDEMPOTENCY_IN_FLIGHT');
      return { ...r, replayed: false };
    });
    for (const fn of hooks) {
      try {
        await fn();
      } catch (e) {
        request.log.error({ err: e }, 'after-commit hook failed');
      }
    }
    return result;
  }

  /** Runs `work` through `run` and sends its answer on `reply`. */
  async send(
    request: FastifyRequest,
    reply: FastifyReply,
    work: (ctx: WriteContext) => Promise<IdempotentResult>,
  ) {
    const r = await this.run(request, work);
    if (r.replayed) reply.header('idempotent-replayed', 'true');
    reply.code(r.status);
    return r.body === undefined ? reply.send() : reply.send(r.body);
  }
}
