/**
 * Flash sale (issue "Purchase limits…", docs/decisions/0018-purchase-limits-pre-orders.md): thousands of purchase attempts
 * on one limited SKU sell exactly the stock and never one more, because stock and per-user counts move only by
 * conditional updates (DESIGN §5).
 *
 * On PostgreSQL (TEST_DATABASE_URL) the app gets its own pool of 25 connections and, ten rounds in a row:
 * 200 buyers make 5,000 virtual-currency purchase attempts through the HTTP API (app.inject) at a stock of
 * 1,000 (`limits.per_item`) → exactly 1,000 succeed, every other attempt is a clean 422/1411, available 0,
 * reserved 0, sold 1,000, every order `done`, 1,000 units in inventories and the exact gold spent; and one user
 * making 50 parallel attempts at a per-user limit of 3 → exactly 3. On PGlite (one connection) a small
 * sequential variant checks the same invariants.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDb, type Database } from '../../src/db/index.js';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';

const PG_URL = process.env.TEST_DATABASE_URL;
const ROUNDS = PG_URL ? Number(process.env.FLASH_SALE_ROUNDS ?? 10) : 1;
const STOCK = PG_URL ? 1000 : 20;
const BUYERS = PG_URL ? 200 : 5;
const ATTEMPTS = PG_URL ? 5000 : 40;
const PER_USER = 3;
const PER_USER_ATTEMPTS = PG_URL ? 50 : 10;
const GOLD_EACH = 100;

if (!PG_URL)
  console.warn(
    'flash-sale: TEST_DATABASE_URL is not set — the parallel PostgreSQL rounds are skipped; a sequential PGlite variant runs',
  );

let app: FastifyInstance;
let own: Database | undefined;

beforeAll(async () => {
  if (PG_URL) {
    own = await createDb({ databaseUrl: PG_URL, dataDir: '', dbPoolSize: 25 });
    const config = loadConfig(
      {},
      {
        dataDir: 'memory://',
        logLevel: 'silent',
        databaseUrl: PG_URL,
        dbPoolSize: 25,
        webhookWorker: false,
        rateLimitClientMax: 0,
        rateLimitAdminMax: 0,
      },
    );
    app = await buildApp(config, { database: own });
  } else app = await testApp({ webhookWorker: false, rateLimitClientMax: 0, rateLimitAdminMax: 0 });
});
afterAll(async () => {
  await app.close();
  await own?.close();
});

/** Runs `tasks` with at most `width` in flight. */
async function pool<T>(width: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, lane));
  return out;
}

async function shop(
  limits: unknown,
): Promise<{ t: Tenant; buy: (token: string) => Promise<LightMyRequestResponse> }> {
  const t = await createTenant(app);
  for (const [path, body] of [
    ['/admin/items/virtual_currency', { sku: 'gold', name: { en: 'Gold' } }],
    [
      '/admin/items/virtual_items',
      {
        sku: 'flash',
        name: { en: 'Flash sale sword' },
        inventory_options: { consumable: { usages_count: 1 } },
        vc_prices: [{ sku: 'gold', amount: 1, is_default: true }],
        limits,
      },
    ],
  ] as const) {
    const res = await t.adminCall('POST', path, body);
    expect(res.statusCode, res.body).toBe(201);
  }
  const buy = (token: string) =>
    app.inject({
      method: 'POST',
      url: `/api/v2/project/${t.projectId}/payment/item/flash/virtual/gold`,
      headers: { authorization: `Bearer ${token}` },
      payload: {},
    });
  return { t, buy };
}

/** Status → count, with 422s split by errorCode. */
function tally(results: LightMyRequestResponse[]) {
  const m = new Map<string, number>();
  for (const r of results) {
    const key = r.statusCode === 422 ? `422/${r.json().errorCode}` : String(r.statusCode);
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return Object.fromEntries(m);
}

async function invariants(t: Tenant, sold: number) {
  const db = app.services.database.db;
  const orders = await db
    .selectFrom('orders')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .where('project_id', '=', t.projectId)
    .groupBy('status')
    .execute();
  // every successful attempt is one done order; nothing is left new or paid (half-done)
  expect(Object.fromEntries(orders.map((o) => [o.status, o.n]))).toEqual(sold ? { done: sold } : {});
  const open = await db
    .selectFrom('limit_reservations')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('project_id', '=', t.projectId)
    .where('state', '=', 'reserved')
    .executeTakeFirstOrThrow();
  expect(open.n).toBe(0);
  const held = await sql<{ n: number }>`
    SELECT coalesce(sum(quantity), 0)::int AS n FROM inventory_items WHERE project_id = ${t.projectId}`.execute(
    db,
  );
  expect(held.rows[0].n).toBe(sold);
}

describe('flash sale', () => {
  it(
    `${ATTEMPTS} attempts by ${BUYERS} buyers at a stock of ${STOCK} sell exactly ${STOCK} (${ROUNDS} rounds)`,
    async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const { t, buy } = await shop({ per_item: STOCK });
        const tokens: string[] = [];
        for (let b = 0; b < BUYERS; b++) {
          const user = `buyer-${b}`;
          await app.services.inventory.creditBalance(t.projectId, user, 'gold', GOLD_EACH);
          tokens.push(await t.userToken(user));
        }
        const attempts = Array.from({ length: ATTEMPTS }, (_, i) => () => buy(tokens[i % BUYERS]));
        const results = await pool(PG_URL ? BUYERS : 1, attempts);
        expect(tally(results), `round ${round}`).toEqual({ '200': STOCK, '422/1411': ATTEMPTS - STOCK });
        const item = await t.adminCall('GET', '/admin/items/virtual_items/sku/flash');
        expect(item.json().limits.per_item).toEqual({ total: STOCK, available: 0, reserved: 0, sold: STOCK });
        await invariants(t, STOCK);
        const gold = await sql<{ n: number }>`
        SELECT coalesce(sum(amount), 0)::int AS n FROM balances WHERE project_id = ${t.projectId}`.execute(
          app.services.database.db,
        );
        expect(gold.rows[0].n).toBe(BUYERS * GOLD_EACH - STOCK);
      }
    },
    ROUNDS * 150_000,
  );

  it(
    `${PER_USER_ATTEMPTS} parallel attempts by one user at a per-user limit of ${PER_USER} buy exactly ${PER_USER}`,
    async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const { t, buy } = await shop({ per_user: PER_USER });
        await app.services.inventory.creditBalance(t.projectId, 'solo', 'gold', GOLD_EACH);
        const token = await t.userToken('solo');
        const attempts = Array.from({ length: PER_USER_ATTEMPTS }, () => () => buy(token));
        const results = await pool(PG_URL ? PER_USER_ATTEMPTS : 1, attempts);
        expect(tally(results), `round ${round}`).toEqual({
          '200': PER_USER,
          '422/1411': PER_USER_ATTEMPTS - PER_USER,
        });
        await invariants(t, PER_USER);
        const limit = await t.adminCall('GET', '/admin/user/limit/item/sku/flash?user_external_id=solo');
        expect(limit.json()).toEqual({ per_user: { total: PER_USER, available: 0 } });
      }
    },
    ROUNDS * 30_000,
  );
});
