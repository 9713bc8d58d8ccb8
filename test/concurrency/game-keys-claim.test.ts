/**
 * The key pool never hands one code to two buyers (DESIGN §5): `claimCode` under real parallel transactions.
 *
 * On PostgreSQL (TEST_DATABASE_URL) the test opens its own pool of 25 connections and, 20 times over a fresh batch
 * of 100 codes, runs 200 claims in parallel transactions: exactly 100 distinct codes come back, 100 claims get
 * null, no code twice, and the database agrees. It also races 20 users redeeming one code through the API. On PGlite
 * (one connection: no parallelism exists) the same claims run one after another.
 */
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DB, Executor } from '../../src/db/types.js';
import { gamesRepository } from '../../src/modules/games/repository.js';
import { claimCode } from '../../src/modules/games/service.js';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';

const PG_URL = process.env.TEST_DATABASE_URL;
const ROUNDS = 20;
const CODES = 100;
const CLAIMS = 200;

if (!PG_URL)
  console.warn(
    'concurrency: TEST_DATABASE_URL is not set — the parallel PostgreSQL claims are skipped; the sequential PGlite variant runs',
  );

let app: FastifyInstance;
let t: Tenant;
let keyId: number;

beforeAll(async () => {
  app = await testApp();
  t = await createTenant(app);
  const res = await t.adminCall('POST', '/admin/items/game', {
    sku: 'race',
    name: { en: 'Race' },
    unit_items: [
      {
        sku: 'race_free',
        drm_sku: 'drmfree',
        prices: [{ amount: 1, currency: 'USD', is_default: true, is_enabled: true }],
      },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  keyId = (await t.adminCall('GET', '/admin/items/game/sku/race')).json().unit_items[0].item_id;
});
afterAll(async () => app.close());

/** Adds `CODES` fresh codes to the key; returns them. */
async function freshCodes(ex: Executor, round: number): Promise<string[]> {
  const tag = randomBytes(3).toString('hex');
  const codes = Array.from({ length: CODES }, (_, i) => `R${round}-${tag}-${i}`);
  const inserted = await gamesRepository.insertCodes(ex, {
    projectId: t.projectId,
    itemId: keyId,
    regionId: null,
    sessionId: `round-${round}`,
    codes,
  });
  expect(inserted).toBe(CODES);
  return codes;
}

/** Asserts the outcome of one round: each code once, the rest null, and the rows say the same. */
async function expectRound(
  ex: Executor,
  codes: string[],
  results: ({ code: string } | null)[],
  users: string[],
) {
  const got = results.filter((r) => r !== null).map((r) => r.code);
  expect(got).toHaveLength(CODES);
  expect(new Set(got).size).toBe(CODES);
  expect([...got].sort()).toEqual([...codes].sort());
  expect(results.filter((r) => r === null)).toHaveLength(CLAIMS - CODES);
  const rows = await ex
    .selectFrom('game_codes')
    .select(['code', 'claimed_by', 'claimed_at'])
    .where('item_id', '=', keyId)
    .where('code', '=', sql<string>`any(${codes})`)
    .execute();
  expect(rows.every((r) => r.claimed_at !== null)).toBe(true);
  const winners = results.flatMap((r, i) => (r ? [[r.code, users[i]] as const] : []));
  expect(new Map(rows.map((r) => [r.code, r.claimed_by]))).toEqual(new Map(winners));
}

describe('claimCode', () => {
  it.skipIf(!PG_URL)(
    `PostgreSQL: ${CLAIMS} parallel claims on ${CODES} codes give each code once, ${ROUNDS} times`,
    async () => {
      const pool = new pg.Pool({ connectionString: PG_URL, max: 25 });
      const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
      try {
        let inFlight = 0;
        let maxInFlight = 0;
        for (let round = 0; round < ROUNDS; round++) {
          const codes = await freshCodes(db, round);
          const users = Array.from({ length: CLAIMS }, (_, i) => `user-${round}-${i}`);
          const results = await Promise.all(
            users.map((userId, i) =>
              db.transaction().execute(async (trx) => {
                inFlight += 1;
                maxInFlight = Math.max(maxInFlight, inFlight);
                try {
                  const code = await claimCode(trx, { unitItemId: keyId, userId, orderId: i + 1 });
                  await sql`SELECT pg_sleep(0.001)`.execute(trx); // hold the row lock a moment: claims overlap
                  return code;
                } finally {
                  inFlight -= 1;
                }
              }),
            ),
          );
          await expectRound(db, codes, results, users);
        }
        expect(maxInFlight).toBeGreaterThan(1); // the claims really ran in parallel transactions
      } finally {
        await db.destroy();
      }
    },
  );

  it.skipIf(!!PG_URL)(`PGlite: ${CLAIMS} claims one after another on ${CODES} codes`, async () => {
    const { db } = app.services.database;
    const codes = await freshCodes(db, 0);
    const users = Array.from({ length: CLAIMS }, (_, i) => `seq-${i}`);
    const results: ({ code: string } | null)[] = [];
    for (const userId of users) {
      results.push(await db.transaction().execute((trx) => claimCode(trx, { unitItemId: keyId, userId })));
    }
    await expectRound(db, codes, results, users);
  });

  it('a rolled-back claim puts the code back', async () => {
    const { db } = app.services.database;
    const codes = await freshCodes(db, 99);
    await expect(
      db.transaction().execute(async (trx) => {
        const code = await claimCode(trx, { unitItemId: keyId, userId: 'ghost' });
        expect(code?.code).toBe(codes[0]);
        throw new Error('payment failed');
      }),
    ).rejects.toThrow('payment failed');
    const again = await db
      .transaction()
      .execute((trx) => claimCode(trx, { unitItemId: keyId, userId: 'buyer' }));
    expect(again?.code).toBe(codes[0]);
  });
});

describe('redeem-game-pin-code', () => {
  it('lets exactly one of 20 racing users redeem a code (5107 for the others)', async () => {
    const { db } = app.services.database;
    for (let round = 0; round < 3; round++) {
      const [code] = await freshCodes(db, 200 + round);
      const tokens = await Promise.all(
        Array.from({ length: 20 }, (_, i) => t.userToken(`racer-${round}-${i}`)),
      );
      const results = await Promise.all(
        tokens.map((token) =>
          app.inject({
            method: 'POST',
            url: `/api/v2/project/${t.projectId}/entitlement/redeem`,
            headers: { authorization: `Bearer ${token}` },
            payload: { code },
          }),
        ),
      );
      expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
      const losers = results.filter((r) => r.statusCode !== 201);
      expect(losers).toHaveLength(19);
      for (const r of losers) expect(r.json()).toMatchObject({ statusCode: 422, errorCode: 5107 });
    }
  });
});
