/**
 * Service tier (issue 14 §6): the unit of work over the real test database, without an app. What a service relies
 * on: one transaction per run, hooks only after commit, bounded retries of serialization failures and deadlocks,
 * Idempotency-Key replays, and a pool that refuses statements that bypass the transaction.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.js';
import { UnitOfWork } from '../../src/db/unit-of-work.js';
import { testDatabase } from '../helpers/db.js';

let database: Database;
let uow: UnitOfWork;
const tag = randomBytes(4).toString('hex');
const hookErrors: unknown[] = [];

beforeAll(async () => {
  database = await testDatabase();
  uow = new UnitOfWork(database.db, (e) => hookErrors.push(e));
});

/** Merchants named `uow-<tag>-<name>` (a table any test may write to). */
const rows = async (name: string) =>
  (
    await database.db
      .selectFrom('merchants')
      .select('name')
      .where('name', '=', `uow-${tag}-${name}`)
      .execute()
  ).length;

const serializationFailure = () =>
  Object.assign(new Error('could not serialize access'), { code: '40001', severity: 'ERROR' });

describe('UnitOfWork.run', () => {
  it('commits the work and then runs its after-commit hooks, in order', async () => {
    const seen: string[] = [];
    const result = await uow.run({}, async ({ trx, afterCommit }) => {
      await trx
        .insertInto('merchants')
        .values({ name: `uow-${tag}-a` })
        .execute();
      afterCommit(async () => {
        seen.push(`hook sees ${await rows('a')} row`);
      });
      afterCommit(() => void seen.push('second hook'));
      return 'answer';
    });
    expect(result).toBe('answer');
    expect(seen).toEqual(['hook sees 1 row', 'second hook']);
  });

  it('rolls everything back on an error and never runs the hooks', async () => {
    let hooked = false;
    await expect(
      uow.run({}, async ({ trx, afterCommit }) => {
        await trx
          .insertInto('merchants')
          .values({ name: `uow-${tag}-b` })
          .execute();
        afterCommit(() => void (hooked = true));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await rows('b')).toBe(0);
    expect(hooked).toBe(false);
  });

  it('retries a serialization failure or deadlock, with the hooks of the committed attempt only', async () => {
    let attempts = 0;
    let hooks = 0;
    const result = await uow.run({}, async ({ trx, afterCommit }) => {
      attempts += 1;
      await trx
        .insertInto('merchants')
        .values({ name: `uow-${tag}-c` })
        .execute();
      afterCommit(() => void (hooks += 1));
      if (attempts === 1) throw serializationFailure();
      if (attempts === 2)
        throw Object.assign(new Error('deadlock detected'), { code: '40P01', severity: 'ERROR' });
      return attempts;
    });
    expect(result).toBe(3);
    expect(hooks).toBe(1);
    expect(await rows('c')).toBe(1);
  });

  it('gives up after four attempts and lets the last failure through', async () => {
    let attempts = 0;
    await expect(
      uow.run({}, async () => {
        attempts += 1;
        throw serializationFailure();
      }),
    ).rejects.toMatchObject({ code: '40001' });
    expect(attempts).toBe(4);
  });

  it('does not retry other errors', async () => {
    let attempts = 0;
    await expect(
      uow.run({}, async () => {
        attempts += 1;
        throw Object.assign(new Error('unique'), { code: '23505', severity: 'ERROR' });
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(attempts).toBe(1);
  });

  it('refuses a statement that bypasses the transaction through the pool (PGlite would wait forever)', async () => {
    await expect(
      uow.run({}, async () => database.db.selectFrom('merchants').select('name').limit(1).execute()),
    ).rejects.toThrow(/unit of work used the pool/);
    // the pool still serves statements outside a unit of work
    expect(Array.isArray(await database.db.selectFrom('merchants').select('name').limit(1).execute())).toBe(
      true,
    );
  });

  it('replays the stored result of an Idempotency-Key without running the work again', async () => {
    const key = { scope: `uow-${tag}`, idempotencyKey: 'k1', requestHash: 'h1' };
    let runs = 0;
    let replays = 0;
    const work = async ({ trx }: { trx: Parameters<Parameters<UnitOfWork['run']>[1]>[0]['trx'] }) => {
      runs += 1;
      await trx
        .insertInto('merchants')
        .values({ name: `uow-${tag}-d` })
        .execute();
      return { order_id: 7, runs };
    };
    const first = await uow.run({ ...key, onReplay: () => (replays += 1) }, work);
    const again = await uow.run({ ...key, onReplay: () => (replays += 1) }, work);
    expect(again).toEqual(first);
    expect(runs).toBe(1);
    expect(replays).toBe(1);
    expect(await rows('d')).toBe(1);
    await expect(uow.run({ ...key, requestHash: 'other' }, work)).rejects.toMatchObject({
      statusCode: 422,
      errorCode: 1102,
    });
  });

  it('reports a failing after-commit hook without failing the committed write', async () => {
    const before = hookErrors.length;
    await uow.run({}, async ({ trx, afterCommit }) => {
      await trx
        .insertInto('merchants')
        .values({ name: `uow-${tag}-e` })
        .execute();
      afterCommit(() => {
        throw new Error('hook failed');
      });
    });
    expect(await rows('e')).toBe(1);
    expect(hookErrors.length).toBe(before + 1);
  });
});
