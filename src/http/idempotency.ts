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

const KEY = /^[\x21-\x7e]{1,255}$/;

export class IdempotencyService {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Runs `work` in one transaction, honouring the request's `Idempotency-Key`.
   * @throws AppError 409 (key in flight), 422/1102 (key reused with another request, malformed key), or
   *         whatever `work` throws (then nothing is written).
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
      const { rows } = await sql<{ locked: boolean }>`
        SELECT pg_try_advisory_xact_lock(hashtextextended(${`${scope}\n${key}`}, 0)) AS locked`.execute(trx);
      if (!rows[0]?.locked) throw new AppError('IDEMPOTENCY_IN_FLIGHT');
      const seen = await trx
        .selectFrom('idempotency_keys')
        .select(['request_hash', 'status_code', 'response_body'])
        .where('scope', '=', scope)
        .where('key', '=', key)
        .executeTakeFirst();
      if (seen) {
        if (seen.request_hash !== hash) throw new AppError('IDEMPOTENCY_MISMATCH');
        return {
          status: seen.status_code,
          body: seen.response_body === null ? undefined : (JSON.parse(seen.response_body) as unknown),
          replayed: true,
        };
      }
      const r = await work(ctx);
      await trx
        .insertInto('idempotency_keys')
        .values({
          scope,
          key,
          request_hash: hash,
          status_code: r.status,
          response_body: r.body === undefined ? null : JSON.stringify(r.body),
        })
        .execute();
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
