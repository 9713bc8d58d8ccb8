/**
 * Free items (create-free-order-with-item) and virtual-currency purchases
 * (create-order-with-item-for-virtual-currency): charged, delivered and `done` in one transaction; not enough
 * currency is 422/5006 and nothing changes; paid-only items through the free path are 422/1411.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp } from '../helpers/app.js';
import { orderOf, shopFixture, type ShopFixture } from './orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;

beforeAll(async () => {
  app = await testApp();
  f = await shopFixture(app);
});
afterAll(async () => app.close());

const ordersOf = (userId: string) =>
  app.services.database.db
    .selectFrom('orders')
    .select(['order_id', 'status'])
    .where('project_id', '=', f.t.projectId)
    .where('user_id', '=', userId)
    .execute();

describe('create-free-order-with-item', () => {
  it('delivers a free item at once: the order is done', async () => {
    const res = await f.user('fiona', 'POST', '/free/item/potion', { quantity: 3 });
    expect(res.statusCode, res.body).toBe(200);
    const { order_id } = res.json();
    const order = await orderOf(f, 'fiona', order_id);
    expect(order.json()).toEqual({
      order_id,
      status: 'done',
      content: { is_free: true, items: [{ sku: 'potion', quantity: 3, is_free: true }] },
    });
    expect(await f.held('fiona', 'potion')).toBe(3);
  });

  it('refuses items that are not free (422/1411) and unknown skus (404/4001), writing nothing', async () => {
    for (const sku of ['sword', 'shield', 'relic', 'quest_steam']) {
      const res = await f.user('gina', 'POST', `/free/item/${sku}`, {});
      expect(res.statusCode, `${sku}: ${res.body}`).toBe(422);
      expect(res.json()).toMatchObject({ errorCode: 1411, errorMessage: '[0401-1411]: Invalid item' });
    }
    const missing = await f.user('gina', 'POST', '/free/item/nothing', {});
    expect(missing.statusCode).toBe(404);
    expect(missing.json().errorCode).toBe(4001);
    expect(await ordersOf('gina')).toEqual([]);
  });

  it('requires a user JWT (guests may not)', async () => {
    const res = await f.guest('g-9', 'g9@example.com', 'POST', '/free/item/potion', {});
    expect(res.statusCode).toBe(401);
  });
});

describe('create-order-with-item-for-virtual-currency', () => {
  it('charges the price, delivers the item and completes the order', async () => {
    await f.credit('hugo', 30);
    const res = await f.user('hugo', 'POST', '/payment/item/shield/virtual/gold', {});
    expect(res.statusCode, res.body).toBe(200);
    expect(Object.keys(res.json())).toEqual(['order_id']);
    expect(await f.gold('hugo')).toBe(5);
    expect(await f.held('hugo', 'shield')).toBe(1);
    const order = await orderOf(f, 'hugo', res.json().order_id);
    expect(order.json()).toEqual({
      order_id: res.json().order_id,
      status: 'done',
      content: {
        virtual_price: { amount: '25', amount_without_discount: '25', currency: 'gold' },
        is_free: false,
        items: [{ sku: 'shield', quantity: 1, is_free: false }],
      },
    });
  });

  it('answers 422/5006 when the balance is too low and changes nothing', async () => {
    await f.credit('ida', 24);
    const res = await f.user('ida', 'POST', '/payment/item/shield/virtual/gold', {});
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({
      statusCode: 422,
      errorCode: 5006,
      errorMessage: '[0401-5006]: Not enough virtual currency',
    });
    expect(await f.gold('ida')).toBe(24);
    expect(await f.held('ida', 'shield')).toBe(0);
    expect(await ordersOf('ida')).toEqual([]);
    const never = await f.user('ivan', 'POST', '/payment/item/shield/virtual/gold', {});
    expect(never.json().errorCode).toBe(5006);
  });

  it('404/4001 for an unknown item; 422/1411 for no price in that currency or an unbuyable item', async () => {
    await f.credit('jon', 100);
    const missing = await f.user('jon', 'POST', '/payment/item/nothing/virtual/gold', {});
    expect(missing.statusCode).toBe(404);
    expect(missing.json().errorCode).toBe(4001);
    for (const [sku, vc] of [
      ['potion', 'gold'],
      ['sword', 'silver'],
      ['sword', 'sword'],
      ['relic', 'gold'],
    ]) {
      const res = await f.user('jon', 'POST', `/payment/item/${sku}/virtual/${vc}`, {});
      expect(res.statusCode, `${sku}/${vc}: ${res.body}`).toBe(422);
      expect(res.json().errorCode).toBe(1411);
    }
    expect(await f.gold('jon')).toBe(100);
  });

  it('stores custom parameters and the platform; rejects an unknown platform (422)', async () => {
    await f.credit('kim', 10);
    const res = await f.user('kim', 'POST', '/payment/item/sword/virtual/gold?platform=google_play', {
      custom_parameters: { level: 3 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const row = await app.services.database.db
      .selectFrom('orders')
      .select(['platform', 'custom_parameters', 'currency_type', 'currency', 'amount'])
      .where('order_id', '=', res.json().order_id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      platform: 'google_play',
      custom_parameters: { level: 3 },
      currency_type: 'virtual',
      currency: 'gold',
    });
    const bad = await f.user('kim', 'POST', '/payment/item/sword/virtual/gold?platform=amiga', {});
    expect(bad.statusCode).toBe(422);
  });

  it('Idempotency-Key: a replay charges once', async () => {
    await f.credit('lea', 50);
    const headers = { 'idempotency-key': `vc-${f.t.projectId}` };
    const first = await f.user('lea', 'POST', '/payment/item/shield/virtual/gold', {}, headers);
    const second = await f.user('lea', 'POST', '/payment/item/shield/virtual/gold', {}, headers);
    expect(first.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    expect(await f.gold('lea')).toBe(25);
    expect(await ordersOf('lea')).toHaveLength(1);
  });
});
