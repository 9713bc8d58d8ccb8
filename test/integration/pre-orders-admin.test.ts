/**
 * Pre-order quantities (common-pre-orders): the six admin calls, and an item with an enabled pre-order limit
 * sells until its quantity is gone — reserved while an order is unpaid, back on cancel, sold on payment.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGet, testApp } from '../helpers/app.js';
import { shopFixture, type ShopFixture } from './orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;
const P = '/admin/items/pre_order/limit/item/sku';

beforeAll(async () => {
  app = await testApp();
  f = await shopFixture(app);
  const res = await f.t.adminCall('POST', '/admin/items/virtual_items', {
    sku: 'early_bird',
    name: { en: 'Early bird pack' },
    inventory_options: { consumable: { usages_count: 1 } },
    prices: [{ amount: 5, currency: 'USD', is_default: true }],
    vc_prices: [{ sku: 'gold', amount: 2 }],
  });
  expect(res.statusCode, res.body).toBe(201);
});
afterAll(async () => app.close());

const get = async (sku = 'early_bird') => (await f.t.adminCall('GET', `${P}/${sku}`)).json();

describe('common-pre-orders admin calls', () => {
  it('get answers zeros for an item never configured; 404/4001 for an unknown sku', async () => {
    const view = await get();
    expect(view).toEqual({
      item_id: expect.any(Number),
      sku: 'early_bird',
      is_pre_order_limit_enabled: false,
      available: 0,
      reserved: 0,
      sold: 0,
    });
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['POST', '', { quantity: 1 }],
      ['PUT', '', { quantity: 1 }],
      ['DELETE', '', { quantity: 1 }],
      ['DELETE', '/all', undefined],
      ['PUT', '/toggle', { is_pre_order_limit_enabled: true }],
    ] as const) {
      const res = await f.t.adminCall(method, `${P}/missing${suffix}`, body);
      expect(res.statusCode, `${method} ${suffix}`).toBe(404);
      expect(res.json()).toMatchObject({
        errorCode: 4001,
        errorMessage: "[0401-4001]: Item with sku = 'missing' not found",
      });
    }
  });

  it('add, set, remove, remove all and toggle change the quantity', async () => {
    expect((await f.t.adminCall('POST', `${P}/early_bird`, { quantity: 5 })).statusCode).toBe(201);
    expect(await get()).toMatchObject({ is_pre_order_limit_enabled: true, available: 5 });
    expect((await f.t.adminCall('POST', `${P}/early_bird`, { quantity: 2 })).statusCode).toBe(201);
    expect((await get()).available).toBe(7);
    expect((await f.t.adminCall('PUT', `${P}/early_bird`, { quantity: 4 })).statusCode).toBe(204);
    expect((await get()).available).toBe(4);
    expect((await f.t.adminCall('DELETE', `${P}/early_bird`, { quantity: 10 })).statusCode).toBe(204);
    expect((await get()).available).toBe(0);
    expect((await f.t.adminCall('PUT', `${P}/early_bird`, { quantity: 3 })).statusCode).toBe(204);
    expect((await f.t.adminCall('DELETE', `${P}/early_bird/all`)).statusCode).toBe(204);
    expect((await get()).available).toBe(0);
    const off = await f.t.adminCall('PUT', `${P}/early_bird/toggle`, { is_pre_order_limit_enabled: false });
    expect(off.statusCode).toBe(204);
    expect((await get()).is_pre_order_limit_enabled).toBe(false);
    const bad = await f.t.adminCall('PUT', `${P}/early_bird`, { quantity: -1 });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errorCode).toBe(1102);
  });
});

describe('selling a pre-order quantity', () => {
  it('sells until the quantity is gone; cancel gives back, payment sells', async () => {
    await f.t.adminCall('PUT', `${P}/early_bird`, { quantity: 3 });
    await f.t.adminCall('PUT', `${P}/early_bird/toggle`, { is_pre_order_limit_enabled: true });
    const a = await f.user('pia', 'POST', '/payment/item/early_bird', { quantity: 2 });
    expect(a.statusCode, a.body).toBe(200);
    expect(await get()).toMatchObject({ available: 1, reserved: 2, sold: 0 });
    const tooMany = await f.user('quinn', 'POST', '/payment/item/early_bird', { quantity: 2 });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().errorCode).toBe(1411);
    expect((await f.anon('POST', `/paystation/${a.json().token}/cancel`)).statusCode).toBe(200);
    expect(await get()).toMatchObject({ available: 3, reserved: 0, sold: 0 });
    const b = await f.user('quinn', 'POST', '/payment/item/early_bird', { quantity: 2 });
    expect((await f.anon('POST', `/paystation/${b.json().token}/pay`)).statusCode).toBe(200);
    expect(await get()).toMatchObject({ available: 1, reserved: 0, sold: 2 });
    await f.credit('rae', 10);
    expect((await f.user('rae', 'POST', '/payment/item/early_bird/virtual/gold', {})).statusCode).toBe(200);
    expect(await get()).toMatchObject({ available: 0, reserved: 0, sold: 3 });
    const sold = await f.user('rae', 'POST', '/payment/item/early_bird/virtual/gold', {});
    expect(sold.statusCode).toBe(422);
    expect(await f.gold('rae')).toBe(8); // the refused purchase charged nothing
    const item = await catalogGet(app, f.t.projectId, '/items/virtual_items/sku/early_bird');
    expect(item.json().can_be_bought).toBe(false);
    // disabling the limit lets the item sell again
    await f.t.adminCall('PUT', `${P}/early_bird/toggle`, { is_pre_order_limit_enabled: false });
    expect((await f.user('rae', 'POST', '/payment/item/early_bird/virtual/gold', {})).statusCode).toBe(200);
  });
});
