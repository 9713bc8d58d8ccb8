/**
 * Balances and consumables under real parallel transactions (DESIGN §5): a charge or a consumption is ONE
 * conditional UPDATE, so racing requests never overdraw.
 *
 * On PostgreSQL (TEST_DATABASE_URL) the test opens its own pool of 25 connections: 100 parallel charges against a
 * balance that covers 60 → exactly 60 succeed, 40 get 422/5006, and the balance ends at the exact remainder (five
 * rounds); 100 parallel consumptions of 40 units → exactly 40 succeed and the quantity ends at 0; parallel consume
 * calls through the API never go below zero either. On PGlite (one connection: no parallelism exists) the same
 * charges run one after another.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DB, Executor } from '../../src/db/types.js';
import { AppError } from '../../src/errors/app-error.js';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';

const PG_URL = process.env.TEST_DATABASE_URL;
const ROUNDS = 5;
const ATTEMPTS = 100;
const COVERED = 60;
const PRICE = 7;
const REMAINDER = 5;

if (!PG_URL)
  console.warn(
    'concurrency: TEST_DATABASE_URL is not set — the parallel PostgreSQL charges are skipped; the sequential PGlite variant runs',
  );

let app: FastifyInstance;
let t: Tenant;
let goldId: number;

beforeAll(async () => {
  app = await testApp();
  t = await createTenant(app);
  for (const [path, body] of [
    ['/admin/items/virtual_currency', { sku: 'gold', name: { en: 'Gold' } }],
    [
      '/admin/items/virtual_items',
      { sku: 'potion', name: { en: 'Potion' }, inventory_options: { consumable: { usages_count: 1 } } },
    ],
  ] as const) {
    const res = await t.adminCall('POST', path, body);
    expect(res.statusCode, res.body).toBe(201);
  }
  const row = await app.services.database.db
    .selectFrom('items')
    .select('item_id')
    .where('project_id', '=', t.projectId)
    .where('sku', '=', 'gold')
    .executeTakeFirstOrThrow();
  goldId = row.item_id;
});
afterAll(async () => app.close());

type Outcome = 'ok' | 5006 | 4001;

/** Runs `n` attempts of `work` in parallel transactions of `db`, each holding its row lock a moment. */
async function race(db: Kysely<DB>, n: number, work: (trx: Executor, i: number) => Promise<unknown>) {
  let inFlight = 0;
  let maxInFlight = 0;
  const outcomes = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      db
        .transaction()
        .execute(async (trx) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          try {
            await work(trx, i);
            await sql`SELECT pg_sleep(0.002)`.execute(trx); // keep the lock: attempts overlap
            return 'ok' as Outcome;
          } finally {
            inFlight -= 1;
          }
        })
        .catch((e: unknown) => {
          if (e instanceof AppError && (e.errorCode === 5006 || e.errorCode === 4001))
            return e.errorCode as Outcome;
          throw e;
        }),
    ),
  );
  return { outcomes, maxInFlight };
}

const count = (outcomes: Outcome[], o: Outcome) => outcomes.filter((x) => x === o).length;

describe('virtual-currency charges', () => {
  it.skipIf(!PG_URL)(
    `PostgreSQL: ${ATTEMPTS} parallel charges against a balance covering ${COVERED}: exactly ${COVERED} succeed, ${ROUNDS} times`,
    async () => {
      const pool = new pg.Pool({ connectionString: PG_URL, max: 25 });
      const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
      try {
        for (let round = 0; round < ROUNDS; round++) {
          const user = `racer-${round}`;
          await app.services.inventory.creditBalance(t.projectId, user, 'gold', COVERED * PRICE + REMAINDER);
          const { outcomes, maxInFlight } = await race(db, ATTEMPTS, (trx) =>
            app.services.inventory.chargeVirtualCurrency(trx, t.projectId, user, goldId, PRICE),
          );
          expect(count(outcomes, 'ok')).toBe(COVERED);
          expect(count(outcomes, 5006)).toBe(ATTEMPTS - COVERED);
          expect(await app.services.inventory.balanceOf(undefined, t.projectId, user, goldId)).toBe(
            REMAINDER,
          );
          expect(maxInFlight).toBeGreaterThan(1); // the charges really ran in parallel transactions
        }
      } finally {
        await db.destroy();
      }
    },
  );

  it.skipIf(!!PG_URL)(
    `PGlite: ${ATTEMPTS} charges one after another against a balance covering ${COVERED}`,
    async () => {
      const user = 'sequential';
      await app.services.inventory.creditBalance(t.projectId, user, 'gold', COVERED * PRICE + REMAINDER);
      const outcomes: Outcome[] = [];
      for (let i = 0; i < ATTEMPTS; i++) {
        outcomes.push(
          await app.services.database.db
            .transaction()
            .execute(async (trx) => {
              await app.services.inventory.chargeVirtualCurrency(trx, t.projectId, user, goldId, PRICE);
              return 'ok' as Outcome;
            })
            .catch((e: AppError) => e.errorCode as Outcome),
        );
      }
      expect(count(outcomes, 'ok')).toBe(COVERED);
      expect(count(outcomes, 5006)).toBe(ATTEMPTS - COVERED);
      expect(await app.services.inventory.balanceOf(undefined, t.projectId, user, goldId)).toBe(REMAINDER);
    },
  );
});

describe('consumption', () => {
  it.skipIf(!PG_URL)(
    `PostgreSQL: ${ATTEMPTS} parallel consumptions of 40 units: exactly 40 succeed`,
    async () => {
      const pool = new pg.Pool({ connectionString: PG_URL, max: 25 });
      const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
      try {
        const user = 'eater';
        const give = await t.adminCall('POST', '/inventory/reward', [
          { user: { id: user }, items: [{ sku: 'potion', quantity: 40 }] },
        ]);
        expect(give.statusCode, give.body).toBe(200);
        const { outcomes, maxInFlight } = await race(db, ATTEMPTS, (trx) =>
          app.services.inventory.consumeIn(trx, t.projectId, user, { sku: 'potion', quantity: 1 }),
        );
        expect(count(outcomes, 'ok')).toBe(40);
        expect(count(outcomes, 4001)).toBe(ATTEMPTS - 40);
        expect(maxInFlight).toBeGreaterThan(1);
        const row = await db
          .selectFrom('inventory_items')
          .select('quantity')
          .where('project_id', '=', t.projectId)
          .where('user_id', '=', user)
          .executeTakeFirstOrThrow();
        expect(Number(row.quantity)).toBe(0);
      } finally {
        await db.destroy();
      }
    },
  );

  it('parallel consume calls through the API never go below zero', async () => {
    const user = 'api-eater';
    const give = await t.adminCall('POST', '/inventory/reward', [
      { user: { id: user }, items: [{ sku: 'potion', quantity: 12 }] },
    ]);
    expect(give.statusCode, give.body).toBe(200);
    const token = await t.userToken(user);
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        app.inject({
          method: 'POST',
          url: `/api/v2/project/${t.projectId}/user/inventory/item/consume`,
          headers: { authorization: `Bearer ${token}` },
          payload: { sku: 'potion', quantity: 1 },
        }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(12);
    const refused = results.filter((r) => r.statusCode !== 200);
    expect(refused).toHaveLength(18);
    for (const r of refused) expect(r.json()).toMatchObject({ statusCode: 404, errorCode: 4001 });
    const inv = await app.inject({
      method: 'GET',
      url: `/api/v2/project/${t.projectId}/user/inventory/items`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(inv.json().items).toEqual([]);
  });
});
