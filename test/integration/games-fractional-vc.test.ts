/**
 * Game keys priced in virtual currency with a fraction (issue 11 item 6; docs/decisions/0023-fractional-vc-prices.md):
 * the spec types `unit_items[].vc_prices[].amount` as `number` and its own example sends 35.5. Create and update
 * accept it and the admin views return it as sent; a buyer pays whole units, the price rounded up — the catalog
 * and the cart show that as `amount` (with the exact price as `calculated_price`), the order charges and shows it,
 * the balance goes down by it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGet, testApp } from '../helpers/app.js';
import { uploadCodes, usd } from './games-helpers.js';
import { shopFixture, type ShopFixture } from './orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;

/** The spec's create-game example, in our words: one Steam key at 35.5 USD or 35.5 gold. */
const sagaBody = (vcAmount: number) => ({
  sku: 'saga',
  name: { en: 'Saga' },
  description: { en: 'A long game' },
  unit_items: [
    {
      sku: 'saga_steam',
      drm_sku: 'steam_key_1',
      prices: [{ amount: 35.5, currency: 'USD', is_enabled: true, is_default: true }],
      vc_prices: [{ amount: vcAmount, sku: 'gold', is_enabled: true, is_default: true }],
    },
  ],
});

beforeAll(async () => {
  app = await testApp();
  f = await shopFixture(app);
  const res = await f.t.adminCall('POST', '/admin/items/game', sagaBody(35.5));
  expect(res.statusCode, res.body).toBe(201);
  expect((await uploadCodes(app, f.t, 'sku/saga_steam', ['S-1', 'S-2', 'S-3'])).statusCode).toBe(200);
});
afterAll(async () => app.close());

describe('a fractional VC price of a game key', () => {
  it('is kept as sent in the admin view', async () => {
    const game = (await f.t.adminCall('GET', '/admin/items/game/sku/saga')).json();
    expect(game.unit_items[0].virtual_prices[0]).toMatchObject({ sku: 'gold', amount: 35.5 });
  });

  it('is shown to buyers as whole units rounded up, with the exact price as calculated_price', async () => {
    const key = (await catalogGet(app, f.t.projectId, '/items/game/key/sku/saga_steam')).json();
    expect(key.virtual_prices[0]).toMatchObject({
      sku: 'gold',
      amount: 36,
      amount_without_discount: 36,
      calculated_price: { amount: '35.50', amount_without_discount: '35.50' },
    });
    const game = (await catalogGet(app, f.t.projectId, '/items/game/sku/saga')).json();
    expect(game.unit_items[0].virtual_prices[0].amount).toBe(36);
  });

  it('the cart shows the same price', async () => {
    const put = await f.user('cart-user', 'PUT', '/cart/item/saga_steam', { quantity: 1 });
    expect(put.statusCode, put.body).toBeLessThan(300);
    const cart = (await f.user('cart-user', 'GET', '/cart')).json();
    expect(cart.items[0].virtual_prices[0].amount).toBe(36);
  });

  it('charges 36 gold: the order shows 36 and the balance goes down by 36', async () => {
    await f.credit('vc-buyer', 40);
    const res = await f.user('vc-buyer', 'POST', '/payment/item/saga_steam/virtual/gold');
    expect(res.statusCode, res.body).toBe(200);
    expect(await f.gold('vc-buyer')).toBe(4);
    const order = (await f.user('vc-buyer', 'GET', `/order/${res.json().order_id}`)).json();
    expect(order.status).toBe('done');
    expect(order.content.virtual_price).toEqual({
      amount: '36',
      amount_without_discount: '36',
      currency: 'gold',
    });
  });

  it('35 gold is not enough (422/5006, nothing charged)', async () => {
    await f.credit('short', 35);
    const res = await f.user('short', 'POST', '/payment/item/saga_steam/virtual/gold');
    expect(res.statusCode).toBe(422);
    expect(res.json().errorCode).toBe(5006);
    expect(await f.gold('short')).toBe(35);
  });

  it('update accepts one too', async () => {
    const res = await f.t.adminCall('PUT', '/admin/items/game/sku/saga', sagaBody(12.25));
    expect(res.statusCode, res.body).toBeLessThan(300);
    const key = (await catalogGet(app, f.t.projectId, '/items/game/key/sku/saga_steam')).json();
    expect(key.virtual_prices[0]).toMatchObject({ amount: 13, calculated_price: { amount: '12.25' } });
  });

  it('whole amounts are unchanged; other item types keep integer VC prices (the spec types them integer)', async () => {
    const key = await f.t.adminCall('POST', '/admin/items/game', {
      ...sagaBody(20),
      sku: 'epic',
      unit_items: [{ ...sagaBody(20).unit_items[0], sku: 'epic_steam', prices: usd(5) }],
    });
    expect(key.statusCode, key.body).toBe(201);
    const view = (await f.t.adminCall('GET', '/admin/items/game/sku/epic')).json();
    expect(view.unit_items[0].virtual_prices[0].amount).toBe(20);
    const item = await f.t.adminCall('POST', '/admin/items/virtual_items', {
      sku: 'half_gem',
      name: { en: 'Half gem' },
      vc_prices: [{ sku: 'gold', amount: 1.5 }],
    });
    expect(item.statusCode).toBe(422);
  });
});
