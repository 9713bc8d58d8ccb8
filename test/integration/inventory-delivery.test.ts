/**
 * Delivery of paid orders and their refund (InventoryService.deliverOrder / revokeOrder): every item kind reaches
 * the buyer's inventory, bundles and packages expand, game keys hand out one code per unit with an entitlement,
 * and a refund takes back what the order gave — never below zero.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';
import { keyCounters } from './games-helpers.js';
import {
  buildInventoryCatalog,
  deliver,
  holdings,
  inTransaction,
  paidOrder,
  refund,
  userCall,
  type Catalog,
} from './inventory-helpers.js';

let app: FastifyInstance;
let t: Tenant;
let catalog: Catalog;
let n = 0;
const newUser = () => `buyer-${++n}`;

beforeAll(async () => {
  app = await testApp();
  t = await createTenant(app);
  catalog = await buildInventoryCatalog(app, t, 10);
});
afterAll(async () => app.close());

const grantsOf = (orderId: number) =>
  app.services.database.db
    .selectFrom('inventory_grants')
    .select(['kind', 'sku', 'quantity', 'line_position', 'code', 'revoked_at', 'revoked_quantity'])
    .where('order_id', '=', orderId)
    .orderBy('grant_id')
    .execute();

const balance = (userId: string, sku = 'gold') =>
  app.services.inventory.balanceOf(undefined, t.projectId, userId, catalog.get(sku)!);

describe('deliverOrder', () => {
  it('adds consumables by quantity and credits currency amounts', async () => {
    const user = newUser();
    const order = await paidOrder(app, t, catalog, user, [
      { sku: 'potion', quantity: 3 },
      { sku: 'gold', quantity: 250 },
    ]);
    await deliver(app, order);
    expect(await holdings(app, t, user)).toEqual({ potion: 3, gold: 250 });
    expect(await balance(user)).toBe(250);
    const again = await paidOrder(app, t, catalog, user, [{ sku: 'potion', quantity: 2 }]);
    await deliver(app, again);
    expect((await holdings(app, t, user)).potion).toBe(5);
  });

  it('gives a non-consumable once, however many are bought', async () => {
    const user = newUser();
    await deliver(app, await paidOrder(app, t, catalog, user, [{ sku: 'sword', quantity: 2 }]));
    await deliver(app, await paidOrder(app, t, catalog, user, [{ sku: 'sword', quantity: 1 }]));
    expect(await holdings(app, t, user)).toEqual({ sword: 1 });
  });

  it('starts a time-limited item for its period × quantity and extends it on a second purchase', async () => {
    const user = newUser();
    const before = Date.now();
    await deliver(app, await paidOrder(app, t, catalog, user, [{ sku: 'vip', quantity: 2 }]));
    const res = await userCall(app, t, user, 'GET', '/user/time_limited_items');
    expect(res.statusCode, res.body).toBe(200);
    const [vip] = res.json().items;
    expect(vip).toMatchObject({
      sku: 'vip',
      status: 'active',
      virtual_item_type: 'non_renewing_subscription',
    });
    const day = 24 * 3600;
    const sixty = Math.floor(before / 1000) + 60 * day;
    expect(Math.abs(vip.expired_at - sixty)).toBeLessThan(120);
    await deliver(app, await paidOrder(app, t, catalog, user, [{ sku: 'vip', quantity: 1 }]));
    const [extended] = (await userCall(app, t, user, 'GET', '/user/time_limited_items')).json().items;
    expect(extended.expired_at - vip.expired_at).toBe(30 * day);
    expect(await holdings(app, t, user)).toEqual({ vip: 1 });
  });

  it('expands a virtual-currency package into its currency × quantity', async () => {
    const user = newUser();
    const order = await paidOrder(app, t, catalog, user, [{ sku: 'gold_pack', quantity: 3 }]);
    await deliver(app, order);
    expect(await balance(user)).toBe(300);
    expect(await grantsOf(order)).toEqual([
      expect.objectContaining({ kind: 'currency', sku: 'gold', quantity: '300', line_position: 0 }),
    ]);
  });

  it('expands a standard bundle recursively, content × quantity at every level', async () => {
    const user = newUser();
    // starter ×2 = 2×(potion 2, gold 10, gold_pack 1 → gold 100, mini 2 → 2×(sword 1, potion 1))
    const order = await paidOrder(app, t, catalog, user, [{ sku: 'starter', quantity: 2 }]);
    await deliver(app, order);
    expect(await holdings(app, t, user)).toEqual({ potion: 8, sword: 1, gold: 220 });
    const grants = await grantsOf(order);
    const currency = grants.filter((g) => g.kind === 'currency');
    expect(currency).toHaveLength(1); // gold of the bundle and of the package merged per line
    expect(currency[0].quantity).toBe('220');
  });

  it('skips bundle content that was disabled (the catalog does not show it)', async () => {
    const t2 = await createTenant(app);
    const c2 = await buildInventoryCatalog(app, t2, 0);
    const sword = await t2.adminCall('GET', '/admin/items/virtual_items/sku/sword');
    const upd = await t2.adminCall('PUT', '/admin/items/virtual_items/sku/sword', {
      ...(sword.json() as object),
      is_enabled: false,
    });
    expect(upd.statusCode, upd.body).toBe(204);
    const user = newUser();
    await deliver(app, await paidOrder(app, t2, c2, user, [{ sku: 'mini', quantity: 1 }]));
    expect(await holdings(app, t2, user)).toEqual({ potion: 1 });
  });

  it('hands out one game code per game-key unit and an entitlement to the game', async () => {
    const user = newUser();
    const before = await keyCounters(t, 'quest', 'quest_steam');
    const order = await paidOrder(app, t, catalog, user, [{ sku: 'quest_steam', quantity: 2 }], 'sandbox');
    await deliver(app, order);
    const codes = await app.services.inventory.codesOfOrder(undefined, order);
    expect(codes).toHaveLength(2);
    expect(new Set(codes.map((c) => c.code)).size).toBe(2);
    expect(codes.every((c) => c.sku === 'quest_steam' && c.code.startsWith(`QUEST-${t.projectId}-`))).toBe(
      true,
    );
    const after = await keyCounters(t, 'quest', 'quest_steam');
    expect(after.available).toBe(before.available - 2);
    const claimed = await app.services.database.db
      .selectFrom('game_codes')
      .select(['claimed_by', 'order_id', 'claim_reason'])
      .where(
        'code',
        'in',
        codes.map((c) => c.code),
      )
      .execute();
    expect(
      claimed.every((c) => c.claimed_by === user && c.order_id === order && c.claim_reason === 'purchase'),
    ).toBe(true);
    const games = await userCall(app, t, user, 'GET', '/entitlement?sandbox=1');
    expect(games.statusCode, games.body).toBe(200);
    expect(games.json().items).toEqual([expect.objectContaining({ game_sku: 'quest', drm: 'steam' })]);
    const real = await userCall(app, t, user, 'GET', '/entitlement');
    expect(real.json().items).toEqual([]);
  });

  it('delivers a bundle holding a game key (code, entitlement and the currency)', async () => {
    const user = newUser();
    const order = await paidOrder(app, t, catalog, user, [{ sku: 'game_bundle', quantity: 1 }]);
    await deliver(app, order);
    expect(await app.services.inventory.codesOfOrder(undefined, order)).toHaveLength(1);
    expect(await balance(user)).toBe(5);
    const kinds = (await grantsOf(order)).map((g) => `${g.kind}:${g.sku}`).sort();
    expect(kinds).toEqual(['currency:gold', 'entitlement:quest', 'game_code:quest_steam']);
  });

  it('fails with 422/1411 and changes nothing when the key pool runs out', async () => {
    const user = newUser();
    const free = (await keyCounters(t, 'quest', 'quest_steam')).available;
    const order = await paidOrder(app, t, catalog, user, [
      { sku: 'gold', quantity: 7 },
      { sku: 'quest_steam', quantity: free + 1 },
    ]);
    await expect(deliver(app, order)).rejects.toMatchObject({ statusCode: 422, errorCode: 1411 });
    expect(await balance(user)).toBe(0);
    expect(await grantsOf(order)).toEqual([]);
    expect((await keyCounters(t, 'quest', 'quest_steam')).available).toBe(free);
  });

  it('delivers an order once, even when asked twice', async () => {
    const user = newUser();
    const order = await paidOrder(app, t, catalog, user, [{ sku: 'gold', quantity: 40 }]);
    await deliver(app, order);
    await deliver(app, order);
    expect(await balance(user)).toBe(40);
  });

  it('rolls back with the caller: a failure after delivery leaves nothing', async () => {
    const user = newUser();
    const order = await paidOrder(app, t, catalog, user, [{ sku: 'potion', quantity: 1 }]);
    await expect(
      inTransaction(app, async (ctx) => {
        await app.services.inventory.deliverOrder(ctx, order);
        throw new Error('webhook enqueue failed');
      }),
    ).rejects.toThrow('webhook enqueue failed');
    expect(await holdings(app, t, user)).toEqual({});
    expect(await grantsOf(order)).toEqual([]);
  });
});

describe('revokeOrder', () => {
  it('takes back currency, units and the entitlement of a refunded order', async () => {
    const user = newUser();
    const order = await paidOrder(app, t, catalog, user, [
      { sku: 'game_bundle', quantity: 1 },
      { sku: 'potion', quantity: 4 },
      { sku: 'sword', quantity: 1 },
    ]);
    await deliver(app, order);
    await refund(app, order);
    expect(await holdings(app, t, user)).toEqual({});
    expect((await userCall(app, t, user, 'GET', '/entitlement')).json().items).toEqual([]);
    const grants = await grantsOf(order);
    expect(grants.every((g) => g.revoked_at !== null)).toBe(true);
    // the code stays with the buyer (it was shown); nothing of it is taken back
    expect(grants.find((g) => g.kind === 'game_code')?.revoked_quantity).toBe('0');
  });

  it('never goes below zero: spent currency and consumed units stay spent', async () => {
    const user = newUser();
    const order = await paidOrder(app, t, catalog, user, [
      { sku: 'gold', quantity: 100 },
      { sku: 'potion', quantity: 5 },
    ]);
    await deliver(app, order);
    await inTransaction(app, async ({ trx }) => {
      await app.services.inventory.chargeVirtualCurrency(trx, t.projectId, user, catalog.get('gold')!, 70);
      await app.services.inventory.consumeIn(trx, t.projectId, user, { sku: 'potion', quantity: 4 });
    });
    await refund(app, order);
    expect(await balance(user)).toBe(0);
    expect(await holdings(app, t, user)).toEqual({});
    const grants = await grantsOf(order);
    expect(grants.map((g) => [g.sku, g.quantity, g.revoked_quantity])).toEqual([
      ['gold', '100', '30'],
      ['potion', '5', '1'],
    ]);
  });

  it('takes back only what that order gave, and nothing the second time', async () => {
    const user = newUser();
    const first = await paidOrder(app, t, catalog, user, [{ sku: 'gold', quantity: 10 }]);
    const second = await paidOrder(app, t, catalog, user, [{ sku: 'gold', quantity: 25 }]);
    await deliver(app, first);
    await deliver(app, second);
    await refund(app, first);
    await refund(app, first);
    expect(await balance(user)).toBe(25);
  });

  it('shortens a time-limited item by the period the order added', async () => {
    const user = newUser();
    const keep = await paidOrder(app, t, catalog, user, [{ sku: 'vip', quantity: 1 }]);
    const back = await paidOrder(app, t, catalog, user, [{ sku: 'vip', quantity: 1 }]);
    await deliver(app, keep);
    await deliver(app, back);
    const before = (await userCall(app, t, user, 'GET', '/user/time_limited_items')).json().items[0];
    await refund(app, back);
    const after = (await userCall(app, t, user, 'GET', '/user/time_limited_items')).json().items[0];
    expect(before.expired_at - after.expired_at).toBe(30 * 24 * 3600);
    expect(after.status).toBe('active');
    await refund(app, keep);
    const ended = (await userCall(app, t, user, 'GET', '/user/time_limited_items')).json().items[0];
    expect(ended.status).toBe('expired');
    expect(await holdings(app, t, user)).toEqual({});
  });

  it('keeps an entitlement the user had before the order', async () => {
    const user = newUser();
    const first = await paidOrder(app, t, catalog, user, [{ sku: 'quest_steam', quantity: 1 }]);
    await deliver(app, first);
    const second = await paidOrder(app, t, catalog, user, [{ sku: 'quest_steam', quantity: 1 }]);
    await deliver(app, second);
    await refund(app, second);
    expect((await userCall(app, t, user, 'GET', '/entitlement')).json().items).toHaveLength(1);
  });
});

describe('chargeVirtualCurrency', () => {
  it('charges exactly, and refuses more than the balance with 422/5006 changing nothing', async () => {
    const user = newUser();
    await app.services.inventory.creditBalance(t.projectId, user, 'gold', 50);
    const gold = catalog.get('gold')!;
    const left = await inTransaction(app, ({ trx }) =>
      app.services.inventory.chargeVirtualCurrency(trx, t.projectId, user, gold, 20),
    );
    expect(left).toBe(30);
    await expect(
      inTransaction(app, ({ trx }) =>
        app.services.inventory.chargeVirtualCurrency(trx, t.projectId, user, gold, 31),
      ),
    ).rejects.toMatchObject({ statusCode: 422, errorCode: 5006, message: 'Not enough virtual currency' });
    await expect(
      inTransaction(app, ({ trx }) =>
        app.services.inventory.chargeVirtualCurrency(trx, t.projectId, 'nobody', gold, 1),
      ),
    ).rejects.toMatchObject({ errorCode: 5006 });
    expect(await balance(user)).toBe(30);
  });

  it('enforces amount >= 0 in the database itself', async () => {
    const user = newUser();
    await app.services.inventory.creditBalance(t.projectId, user, 'gold', 5);
    await expect(
      app.services.database.db
        .updateTable('balances')
        .set({ amount: -1 })
        .where('project_id', '=', t.projectId)
        .where('user_id', '=', user)
        .execute(),
    ).rejects.toThrow(/check/i);
  });
});
