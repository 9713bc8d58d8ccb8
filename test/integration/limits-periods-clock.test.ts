/**
 * Rules that depend on time, with an injected clock: a per-user limit with a recurrent schedule resets at its
 * reset instant (counts of the ended window no longer count); sale periods are enforced on purchase (order,
 * virtual-currency and free purchases, cart put), not only on listing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGet, testApp } from '../helpers/app.js';
import { shopFixture, type ShopFixture } from './orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;
let now = Date.parse('2031-03-10T12:00:00Z');

beforeAll(async () => {
  app = await testApp({}, { clock: () => now });
  f = await shopFixture(app);
});
afterAll(async () => app.close());

const create = async (body: Record<string, unknown>) => {
  const res = await f.t.adminCall('POST', '/admin/items/virtual_items', body);
  expect(res.statusCode, res.body).toBe(201);
};

describe('recurrent per-user limits', () => {
  it('a daily limit resets at its hour in its time zone', async () => {
    await create({
      sku: 'daily_chest',
      name: { en: 'Daily chest' },
      inventory_options: { consumable: { usages_count: 1 } },
      vc_prices: [{ sku: 'gold', amount: 1 }],
      // 02:00 at +03:00 = 23:00 UTC
      limits: {
        per_user: 1,
        recurrent_schedule: { per_user: { interval_type: 'daily', time: '02:00:00+03:00' } },
      },
    });
    await f.credit('sam', 10);
    const buy = () => f.user('sam', 'POST', '/payment/item/daily_chest/virtual/gold', {});
    expect((await buy()).statusCode).toBe(200);
    expect((await buy()).statusCode).toBe(422);
    const token = await f.token('sam');
    const view = await catalogGet(app, f.t.projectId, '/items/virtual_items/sku/daily_chest', token);
    expect(view.json().limits.per_user).toMatchObject({
      total: 1,
      available: 0,
      recurrent_schedule: {
        interval_type: 'daily',
        reset_next_date: Date.parse('2031-03-10T23:00:00Z') / 1000,
      },
    });
    expect(view.json().can_be_bought).toBe(false);
    now = Date.parse('2031-03-10T22:59:59Z');
    expect((await buy()).statusCode).toBe(422);
    now = Date.parse('2031-03-10T23:00:00Z');
    const admin = await f.t.adminCall('GET', '/admin/user/limit/item/sku/daily_chest?user_external_id=sam');
    expect(admin.json()).toEqual({ per_user: { total: 1, available: 1 } });
    expect((await buy()).statusCode).toBe(200);
    expect((await buy()).statusCode).toBe(422);
    expect(await f.held('sam', 'daily_chest')).toBe(2);
  });
});

describe('sale periods on purchase', () => {
  it('an item outside its period cannot be bought on any path', async () => {
    const period = [{ date_from: '2031-04-01T00:00:00+00:00', date_until: '2031-04-02T00:00:00+00:00' }];
    await create({
      sku: 'spring_hat',
      name: { en: 'Spring hat' },
      prices: [{ amount: 2, currency: 'USD', is_default: true }],
      vc_prices: [{ sku: 'gold', amount: 1 }],
      periods: period,
    });
    await create({ sku: 'spring_gift', name: { en: 'Spring gift' }, is_free: true, periods: period });
    await f.credit('tia', 10);
    now = Date.parse('2031-03-31T23:59:59Z');
    const attempts = async () => [
      (await f.user('tia', 'POST', '/payment/item/spring_hat', {})).statusCode,
      (await f.user('tia', 'POST', '/payment/item/spring_hat/virtual/gold', {})).statusCode,
      (await f.user('tia', 'POST', '/free/item/spring_gift', {})).statusCode,
    ];
    expect(await attempts()).toEqual([422, 422, 422]);
    const put = await f.user('tia', 'PUT', '/cart/item/spring_hat', { quantity: 1 });
    expect(put.statusCode).toBeGreaterThanOrEqual(400);
    expect(put.statusCode).toBeLessThan(500);
    expect(await f.gold('tia')).toBe(10);
    now = Date.parse('2031-04-01T10:00:00Z');
    expect(await attempts()).toEqual([200, 200, 200]);
    expect((await f.user('tia', 'PUT', '/cart/item/spring_hat', { quantity: 1 })).statusCode).toBe(204);
    now = Date.parse('2031-04-02T00:00:00Z'); // date_until is exclusive
    expect(await attempts()).toEqual([422, 422, 422]);
  });
});

describe('limits in carts', () => {
  it('putting more than the user may still buy is 422/1411', async () => {
    await create({
      sku: 'cart_limited',
      name: { en: 'Limited' },
      prices: [{ amount: 1, currency: 'USD', is_default: true }],
      limits: { per_user: 2, per_item: 5 },
    });
    const over = await f.user('uma', 'PUT', '/cart/item/cart_limited', { quantity: 3 });
    expect(over.statusCode, over.body).toBe(422);
    expect(over.json().errorCode).toBe(1411);
    expect((await f.user('uma', 'PUT', '/cart/item/cart_limited', { quantity: 2 })).statusCode).toBe(204);
    const order = await f.user('uma', 'POST', '/payment/cart', {});
    expect(order.statusCode, order.body).toBe(200);
    expect((await f.user('uma', 'PUT', '/cart/item/cart_limited', { quantity: 1 })).statusCode).toBe(422);
  });
});
