/**
 * The one mapping from PostgreSQL errors to catalogue errors (src/errors/postgres.ts): errors provoked on the
 * test engine where one connection can provoke them, PostgreSQL-only for those that need two, and what a client
 * receives when such an error escapes a route.
 */
import Fastify from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.js';
import { AppError, skuExists } from '../../src/errors/app-error.js';
import { installErrorHandlers } from '../../src/errors/handler.js';
import {
  fromPgError,
  isRetryable,
  isUniqueViolation,
  PG_CONFLICT_RETRY_AFTER_SECONDS,
  sqlStateOf,
  toAppError,
} from '../../src/errors/postgres.js';
import { testDatabase, testEngine } from '../helpers/db.js';

let database: Database;
let merchantId: number;

beforeAll(async () => {
  database = await testDatabase();
  const row = await database.db
    .insertInto('merchants')
    .values({ name: 'pg-errors' })
    .returning('merchant_id')
    .executeTakeFirstOrThrow();
  merchantId = row.merchant_id;
});

/** The error `run` rejects with (fails the test when it resolves). */
async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (e) {
    return e;
  }
  throw new Error('expected the statement to fail');
}

/** A database error as the drivers raise it (SQLSTATE and severity), for classes one connection cannot provoke. */
const dbError = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code, severity: 'ERROR' });

describe(`PostgreSQL errors provoked on ${testEngine}`, () => {
  it('a unique violation (23505) is 422/1102 by default, the operation’s own answer when given, with its cause', async () => {
    const e = await failure(() =>
      database.db.insertInto('merchants').values({ merchant_id: merchantId, name: 'twice' }).execute(),
    );
    expect(sqlStateOf(e)).toBe('23505');
    expect(isUniqueViolation(e)).toBe(true);
    expect(isUniqueViolation(e, 'merchants_pkey')).toBe(true);
    expect(isUniqueViolation(e, 'another_constraint')).toBe(false);
    expect(isRetryable(e)).toBe(false);

    const byDefault = fromPgError(e)!;
    expect([byDefault.statusCode, byDefault.errorCode]).toEqual([422, 1102]);
    expect(byDefault.cause).toBe(e);

    const answered = toAppError(e, { uniqueViolation: () => skuExists('sword', 7) }) as AppError;
    expect(answered).toBeInstanceOf(AppError);
    expect([answered.statusCode, answered.errorCode, answered.message]).toEqual([
      422,
      4002,
      "Item with sku = 'sword' already exist in project 7.",
    ]);
    expect(answered.cause).toBe(e);
  });

  it('a foreign-key violation (23503) is 422/1102', async () => {
    const e = await failure(() =>
      database.db
        .insertInto('projects')
        .values({ merchant_id: -1, name: 'orphan', jwt_secret: 'x'.repeat(32) })
        .execute(),
    );
    expect(sqlStateOf(e)).toBe('23503');
    const mapped = fromPgError(e)!;
    expect([mapped.statusCode, mapped.errorCode]).toEqual([422, 1102]);
  });

  it('data exceptions (class 22) are 422/1102 naming what was wrong', async () => {
    const outOfRange = await failure(() => sql`SELECT 2147483647::int4 + 1`.execute(database.db));
    expect(fromPgError(outOfRange)?.message).toBe('Unprocessable Entity. A number is out of range');
    const notANumber = await failure(() => sql`SELECT 'abc'::int4`.execute(database.db));
    expect(fromPgError(notANumber)?.message).toBe('Unprocessable Entity. A value is not allowed');
  });

  it('an error of an unmapped class stays unmapped (a bug, answered 500)', async () => {
    const e = await failure(() => sql`SELECT * FROM no_such_table`.execute(database.db));
    expect(sqlStateOf(e)).toBe('42P01');
    expect(fromPgError(e)).toBeUndefined();
    expect(toAppError(e)).toBe(e);
  });

  it.skipIf(testEngine !== 'postgres')(
    'a row locked by another transaction (55P03, NOWAIT) is 503 with Retry-After, not retried',
    async () => {
      const db = database.db;
      let e: unknown;
      await db.transaction().execute(async (trx) => {
        await sql`SELECT 1 FROM merchants WHERE merchant_id = ${merchantId} FOR UPDATE`.execute(trx);
        e = await failure(() =>
          sql`SELECT 1 FROM merchants WHERE merchant_id = ${merchantId} FOR UPDATE NOWAIT`.execute(db),
        );
      });
      expect(sqlStateOf(e)).toBe('55P03');
      expect(isRetryable(e)).toBe(false);
      const mapped = fromPgError(e)!;
      expect([mapped.statusCode, mapped.retryAfterSeconds]).toEqual([503, PG_CONFLICT_RETRY_AFTER_SECONDS]);
    },
  );

  it.skipIf(testEngine !== 'postgres')(
    'a serialization failure (40001) between two serializable transactions is retryable and 503',
    async () => {
      const db = database.db;
      const name = `pg-errors-skew-${Date.now()}`;
      const a = await db.startTransaction().setIsolationLevel('serializable').execute();
      const b = await db.startTransaction().setIsolationLevel('serializable').execute();
      try {
        // each reads that no merchant has the name, then adds one: one of them must fail
        for (const t of [a, b]) await sql`SELECT count(*) FROM merchants WHERE name = ${name}`.execute(t);
        await a.insertInto('merchants').values({ name }).execute();
        await a.commit().execute();
        const e = await failure(async () => {
          await b.insertInto('merchants').values({ name }).execute();
          await b.commit().execute();
        });
        expect(sqlStateOf(e)).toBe('40001');
        expect(isRetryable(e)).toBe(true);
        expect(fromPgError(e)?.statusCode).toBe(503);
      } finally {
        if (!b.isCommitted && !b.isRolledBack) await b.rollback().execute();
      }
    },
  );
});

describe('classes one connection cannot provoke', () => {
  it('serialization failures and deadlocks are retryable, also wrapped as the cause of an AppError', () => {
    for (const code of ['40001', '40P01']) {
      const e = dbError(code);
      expect(isRetryable(e)).toBe(true);
      const mapped = fromPgError(e)!;
      expect([mapped.statusCode, mapped.errorCode, mapped.retryAfterSeconds]).toEqual([503, 0, 1]);
      expect(isRetryable(mapped)).toBe(true);
    }
  });

  it('lock and statement timeouts are 503 but not retried by the unit of work', () => {
    for (const code of ['55P03', '57014']) {
      expect(isRetryable(dbError(code))).toBe(false);
      expect(fromPgError(dbError(code))?.statusCode).toBe(503);
    }
  });

  it('errors that are not from the database are never mapped (a node error with a five-letter code)', () => {
    const pipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    expect(fromPgError(pipe)).toBeUndefined();
    expect(isRetryable(pipe)).toBe(false);
  });
});

describe('what a client receives when a database error escapes a route', () => {
  const app = Fastify();
  beforeAll(async () => {
    installErrorHandlers(app);
    app.get('/serialization', () => Promise.reject(dbError('40001')));
    app.get('/deadlock', () => Promise.reject(dbError('40P01')));
    app.get('/unique', () => Promise.reject(dbError('23505')));
    await app.ready();
  });
  afterAll(() => app.close());

  it.each(['/serialization', '/deadlock'])(
    '%s: 503 with Retry-After in the envelope, never 500',
    async (url) => {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe(String(PG_CONFLICT_RETRY_AFTER_SECONDS));
      expect(res.json()).toMatchObject({ statusCode: 503, errorCode: 0 });
    },
  );

  it('an unanswered unique violation: 422/1102', async () => {
    const res = await app.inject({ method: 'GET', url: '/unique' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ statusCode: 422, errorCode: 1102 });
  });
});
