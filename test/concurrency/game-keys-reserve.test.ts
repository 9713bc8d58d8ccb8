/**
 * A game key is never sold without a code to deliver (issue 13 §1, docs/decisions/0040-game-keys-reserved-at-order-creation.md):
 * 400 buyers race for a key with 300 codes. Exactly 300 orders are accepted and 100 refused at creation with
 * 422/1411; every accepted order holds one reserved code; all 300 are then paid in parallel and each delivers a
 * distinct code; an unpaid order that expires gives its code to the next buyer.
 *
 * On PostgreSQL (TEST_DATABASE_URL) the app has its own pool of 25 connections, so orders really are created in
 * parallel transactions; on PGlite (one connection) the same 400 requests are sent at once and run one after
 * another. test/multiprocess/game-keys-workers.test.ts runs the same sale against `serve --workers 2`.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDb, type Database } from '../../src/db/index.js';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';
import { uploadCodes, usd } from '../integration/games-helpers.js';

const PG_URL = process.env.TEST_DATABASE_URL;
const CODES = 300;
const BUYERS = 400;

let app: FastifyInstance;
let own: Database | undefined;

beforeAll(async () => {
  const settings = { webhookWorker: false, rateLimitClientMax: 0, rateLimitAdminMax: 0 };
  if (PG_URL) {
    own = await createDb({ databaseUrl: PG_URL, dataDir: '', dbPoolSize: 25 });
    const config = loadConfig(
      {},
      { dataDir: 'memory://', logLevel: 'silent', databaseUrl: PG_URL, dbPoolSize: 25, ...settings },
    );
    app = await buildApp(config, { database: own });
  } else app = await testApp(settings);
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

function tally(results: LightMyRequestResponse[]) {
  const m = new Map<string, number>();
  for (const r of results) {
    const key = r.statusCode === 422 ? `422/${r.json().errorCode}` : String(r.statusCode);
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return Object.fromEntries(m);
}

describe('400 buyers, 300 codes', () => {
  let t: Tenant;
  const key = 'sale_steam';
  const codes = Array.from({ length: CODES }, (_, i) => `SALE-${i}`);

  beforeAll(async () => {
    t = await createTenant(app);
    const game = await t.adminCall('POST', '/admin/items/game', {
      sku: 'sale',
      name: { en: 'Sale game' },
      unit_items: [{ sku: key, drm_sku: 'steam_key_1', prices: usd(9.99) }],
    });
    expect(game.statusCode, game.body).toBe(201);
    const up = await uploadCodes(app, t, `sku/${key}`, codes);
    expect(up.json()).toMatchObject({ count_uploaded: CODES });
  });

  const buyer = (i: number) => `buyer-${i}`;
  const tokens = new Map<string, string>();
  const buy = async (userId: string) =>
    app.inject({
      method: 'POST',
      url: `/api/v2/project/${t.projectId}/payment/item/${key}`,
      headers: { authorization: `Bearer ${tokens.get(userId)}` },
      payload: {},
    });

  it(`accepts exactly ${CODES} orders, refuses ${BUYERS - CODES} at creation, pays each with a distinct code; expiry frees a code`, async () => {
    for (let i = 0; i < BUYERS; i++) tokens.set(buyer(i), await t.userToken(buyer(i)));
    const results = await pool(
      PG_URL ? 50 : BUYERS,
      Array.from({ length: BUYERS }, (_, i) => () => buy(buyer(i))),
    );
    expect(tally(results)).toEqual({ '200': CODES, '422/1411': BUYERS - CODES });
    const accepted = results.flatMap((r, i) =>
      r.statusCode === 200 ? [{ userId: buyer(i), orderId: r.json().order_id as number }] : [],
    );
    const refused = results.flatMap((r, i) => (r.statusCode === 200 ? [] : [buyer(i)]));
    const db = app.services.database.db;

    // every accepted order holds exactly one reserved code; the pool is empty and the catalog says so
    const held = await db
      .selectFrom('game_codes')
      .select(['order_id', 'claimed_by', sql<number>`count(*)::int`.as('n')])
      .where('project_id', '=', t.projectId)
      .where('reserved', '=', true)
      .groupBy(['order_id', 'claimed_by'])
      .execute();
    expect(held).toHaveLength(CODES);
    expect(held.every((h) => h.n === 1)).toBe(true);
    expect(new Map(held.map((h) => [h.order_id, h.claimed_by]))).toEqual(
      new Map(accepted.map((a) => [a.orderId, a.userId])),
    );
    const view = await catalogGet(app, t.projectId, `/items/game/key/sku/${key}`);
    expect(view.json()).toMatchObject({ has_keys: false, can_be_bought: false });

    // an unpaid order expires: its code goes to the next buyer
    const late = accepted.shift()!;
    await db
      .updateTable('orders')
      .set({ expires_at: sql<Date>`clock_timestamp() - interval '1 second'` })
      .where('order_id', '=', late.orderId)
      .execute();
    const expired = await app.inject({
      method: 'GET',
      url: `/api/v2/project/${t.projectId}/order/${late.orderId}`,
      headers: { authorization: `Bearer ${tokens.get(late.userId)}` },
    });
    expect(expired.json().status).toBe('expired');
    const next = await buy(refused[0]);
    expect(next.statusCode, next.body).toBe(200);
    accepted.push({ userId: refused[0], orderId: next.json().order_id });
    expect((await buy(refused[1])).statusCode).toBe(422);

    // every open order is paid (the server-side mark-paid of a real-money payment), in parallel
    const paid = await pool(
      PG_URL ? 25 : CODES,
      accepted.map(
        (a) => () =>
          t.adminCall('POST', `/api/itemshop/v1/project/${t.projectId}/admin/order/${a.orderId}/paid`, {}),
      ),
    );
    expect(tally(paid)).toEqual({ '200': CODES });
    expect(paid.every((p) => p.json().status === 'done' && p.json().undelivered.length === 0)).toBe(true);

    // each paid order delivered one code, all distinct, all from the pool
    const delivered = await db
      .selectFrom('inventory_grants')
      .select(['order_id', 'user_id', 'code'])
      .where('project_id', '=', t.projectId)
      .where('kind', '=', 'game_code')
      .execute();
    expect(delivered).toHaveLength(CODES);
    expect(new Set(delivered.map((d) => d.code)).size).toBe(CODES);
    expect(delivered.map((d) => d.code).sort()).toEqual([...codes].sort());
    expect(new Map(delivered.map((d) => [d.order_id, d.user_id]))).toEqual(
      new Map(accepted.map((a) => [a.orderId, a.userId])),
    );
    const pool_ = await db
      .selectFrom('game_codes')
      .select([
        sql<number>`count(*) FILTER (WHERE reserved)::int`.as('reserved'),
        sql<number>`count(*) FILTER (WHERE claimed_at IS NULL)::int`.as('free'),
      ])
      .where('project_id', '=', t.projectId)
      .executeTakeFirstOrThrow();
    expect(pool_).toEqual({ reserved: 0, free: 0 });
    const statuses = await db
      .selectFrom('orders')
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .where('project_id', '=', t.projectId)
      .groupBy('status')
      .execute();
    expect(Object.fromEntries(statuses.map((s) => [s.status, s.n]))).toEqual({ done: CODES, expired: 1 });
  }, 300_000);
});
