/**
 * Helpers of the inventory tests: a small catalog with every deliverable kind (a currency, a package, a
 * consumable, a non-consumable, a time-limited item, nested bundles, a game with a Steam key and codes), orders
 * written straight into the orders tables (as the orders module would after payment), and delivery / refund run
 * the way the purchase flow runs them: in one transaction, after-commit hooks after it.
 */
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { WriteContext } from '../../src/db/unit-of-work.js';
import type { Tenant } from '../helpers/app.js';
import { uploadCodes, usd } from './games-helpers.js';

/** Item ids of the fixture catalog, by sku. */
export type Catalog = Map<string, number>;

/** Creates the fixture catalog in the tenant's project; `codes` codes are uploaded for `quest_steam`. */
export async function buildInventoryCatalog(app: FastifyInstance, t: Tenant, codes = 3): Promise<Catalog> {
  const create = async (path: string, body: object) => {
    const res = await t.adminCall('POST', path, body);
    expect(res.statusCode, `${path}: ${res.body}`).toBe(201);
  };
  await create('/admin/items/virtual_currency', {
    sku: 'gold',
    name: { en: 'Gold', de: 'Gold' },
    description: { en: 'Shiny coins' },
    prices: usd(0.01),
  });
  await create('/admin/items/virtual_currency', { sku: 'gems', name: { en: 'Gems' }, is_enabled: false });
  await create('/admin/items/virtual_currency/package', {
    sku: 'gold_pack',
    name: { en: 'Gold pack' },
    description: { en: '100 gold' },
    prices: usd(0.99),
    content: [{ sku: 'gold', quantity: 100 }],
  });
  await create('/admin/items/virtual_items', {
    sku: 'potion',
    name: { en: 'Potion', de: 'Trank' },
    description: { en: 'Heals' },
    prices: usd(0.5),
    vc_prices: [{ sku: 'gold', amount: 10, is_default: true }],
    inventory_options: { consumable: { usages_count: 1 } },
    attributes: [
      {
        external_id: 'rarity',
        name: { en: 'Rarity' },
        values: [{ external_id: 'common', value: { en: 'Common' } }],
      },
    ],
  });
  await create('/admin/items/virtual_items', {
    sku: 'sword',
    name: { en: 'Sword' },
    prices: usd(5),
    inventory_options: { consumable: null },
  });
  await create('/admin/items/virtual_items', {
    sku: 'vip',
    name: { en: 'VIP pass' },
    prices: usd(9.99),
    inventory_options: { expiration_period: { type: 'day', value: 30 } },
  });
  await create('/admin/items/bundle', {
    sku: 'mini',
    name: { en: 'Mini bundle' },
    description: { en: 'A sword and a potion' },
    prices: usd(4),
    content: [
      { sku: 'sword', quantity: 1 },
      { sku: 'potion', quantity: 1 },
    ],
  });
  await create('/admin/items/bundle', {
    sku: 'starter',
    name: { en: 'Starter bundle' },
    description: { en: 'Everything' },
    prices: usd(9),
    content: [
      { sku: 'potion', quantity: 2 },
      { sku: 'gold', quantity: 10 },
      { sku: 'gold_pack', quantity: 1 },
      { sku: 'mini', quantity: 2 },
    ],
  });
  await create('/admin/items/game', {
    sku: 'quest',
    name: { en: 'Quest' },
    unit_items: [{ sku: 'quest_steam', drm_sku: 'steam_key_1', prices: usd(19.99) }],
  });
  if (codes > 0) {
    const up = await uploadCodes(
      app,
      t,
      'sku/quest_steam',
      Array.from({ length: codes }, (_, i) => `QUEST-${t.projectId}-${i}`),
    );
    expect(up.statusCode, up.body).toBe(200);
  }
  await create('/admin/items/bundle', {
    sku: 'game_bundle',
    name: { en: 'Game bundle' },
    description: { en: 'The game and some gold' },
    prices: usd(21),
    content: [
      { sku: 'quest_steam', quantity: 1 },
      { sku: 'gold', quantity: 5 },
    ],
  });
  const rows = await app.services.database.db
    .selectFrom('items')
    .select(['item_id', 'sku'])
    .where('project_id', '=', t.projectId)
    .execute();
  return new Map(rows.map((r) => [r.sku, r.item_id]));
}

/**
 * Writes a paid order of `userId` with `lines` (as the orders module stores it) and returns its id. Nothing is
 * delivered yet.
 */
export async function paidOrder(
  app: FastifyInstance,
  t: Tenant,
  catalog: Catalog,
  userId: string,
  lines: { sku: string; quantity: number }[],
  mode: 'default' | 'sandbox' = 'default',
): Promise<number> {
  const { db } = app.services.database;
  const types = new Map(
    (
      await db.selectFrom('items').select(['sku', 'type']).where('project_id', '=', t.projectId).execute()
    ).map((r) => [r.sku, r.type]),
  );
  return db.transaction().execute(async (trx) => {
    const { order_id } = await trx
      .insertInto('orders')
      .values({
        project_id: t.projectId,
        user_id: userId,
        status: 'paid',
        mode,
        currency_type: 'real',
        currency: 'USD',
        amount: '1.00',
        source: 'cart',
      })
      .returning('order_id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('order_items')
      .values(
        lines.map((l, i) => ({
          order_id,
          position: i,
          item_id: catalog.get(l.sku)!,
          sku: l.sku,
          type: types.get(l.sku)!,
          quantity: l.quantity,
          amount: '1.00',
        })),
      )
      .execute();
    return order_id;
  });
}

/** Runs `work` as the purchase flow does: one transaction, then its after-commit hooks. */
export async function inTransaction<T>(app: FastifyInstance, work: (ctx: WriteContext) => Promise<T>) {
  const hooks: (() => void | Promise<void>)[] = [];
  const result = await app.services.database.db
    .transaction()
    .execute((trx) => work({ trx, afterCommit: (fn) => hooks.push(fn) }));
  for (const fn of hooks) await fn();
  return result;
}

export const deliver = (app: FastifyInstance, orderId: number) =>
  inTransaction(app, (ctx) => app.services.inventory.deliverOrder(ctx, orderId));

export const refund = (app: FastifyInstance, orderId: number) =>
  inTransaction(app, (ctx) => app.services.inventory.revokeOrder(ctx, orderId));

/** A user call of the tenant's project. */
export async function userCall(
  app: FastifyInstance,
  t: Tenant,
  userId: string,
  method: 'GET' | 'POST',
  path: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method,
    url: `/api/v2/project/${t.projectId}${path}`,
    headers: { authorization: `Bearer ${await t.userToken(userId)}`, ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/** The user's inventory as `sku → quantity` (through get-user-inventory). */
export async function holdings(
  app: FastifyInstance,
  t: Tenant,
  userId: string,
): Promise<Record<string, number>> {
  const res = await userCall(app, t, userId, 'GET', '/user/inventory/items');
  expect(res.statusCode, res.body).toBe(200);
  return Object.fromEntries(
    (res.json().items as { sku: string; quantity: number }[]).map((i) => [i.sku, i.quantity]),
  );
}
