/**
 * Orders of one item (create-order-with-item), get-order, and paying through the pay station's JSON endpoints:
 * a `new` order with an opaque token, paid → delivered → `done`, only its owner sees it, statuses move by
 * compare-and-set, Idempotency-Key replays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp } from '../helpers/app.js';
import { orderOf, shopFixture, swordOrder, type ShopFixture } from './orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;

beforeAll(async () => {
  app = await testApp();
  f = await shopFixture(app);
});
afterAll(async () => app.close());

describe('create-order-with-item', () => {
  it('creates a new order with an opaque 32-character token and a 32-bit id', async () => {
    const { order_id, token } = await swordOrder(f, 'alice', { quantity: 2 });
    expect(Number.isInteger(order_id) && order_id > 0 && order_id <= 2 ** 31 - 1).toBe(true);
    expect(token).toMatch(/^[A-Za-z0-9]{32}$/);
    const res = await orderOf(f, 'alice', order_id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      order_id,
      status: 'new',
      content: {
        price: { amount: '19.98', amount_without_discount: '19.98', currency: 'USD' },
        is_free: false,
        items: [
          {
            sku: 'sword',
            quantity: 2,
            is_free: false,
            price: { amount: '9.99', amount_without_discount: '9.99', currency: 'USD' },
          },
        ],
      },
    });
  });

  it('prices in the requested currency when the item has it, else in its default', async () => {
    const eur = await swordOrder(f, 'alice', { currency: 'EUR' });
    expect((await orderOf(f, 'alice', eur.order_id)).json().content.price.currency).toBe('EUR');
    const gbp = await swordOrder(f, 'alice', { currency: 'GBP' });
    expect((await orderOf(f, 'alice', gbp.order_id)).json().content.price).toMatchObject({
      amount: '9.99',
      currency: 'USD',
    });
  });

  it('answers 404/4001 for an unknown sku and 422/1411 for items that cannot be bought for money', async () => {
    const missing = await f.user('alice', 'POST', '/payment/item/nothing', {});
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({
      errorCode: 4001,
      errorMessage: "[0401-4001]: Item with sku = 'nothing' not found",
    });
    for (const sku of ['potion', 'shield', 'relic', 'quest']) {
      const res = await f.user('alice', 'POST', `/payment/item/${sku}`, {});
      expect(res.statusCode, `${sku}: ${res.body}`).toBe(422);
      expect(res.json()).toMatchObject({ errorCode: 1411, errorMessage: '[0401-1411]: Invalid item' });
    }
  });

  it('accepts a request without a body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v2/project/${f.t.projectId}/payment/item/sword`,
      headers: { authorization: `Bearer ${await f.token('alice')}` },
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('rejects a bad quantity with 422/1102', async () => {
    for (const quantity of [0, -1, 1.5, 'two']) {
      const res = await f.user('alice', 'POST', '/payment/item/sword', { quantity });
      expect(res.statusCode, JSON.stringify(quantity)).toBe(422);
      expect(res.json().errorCode).toBe(1102);
    }
  });

  it('stores sandbox mode and custom parameters', async () => {
    const { order_id } = await swordOrder(f, 'alice', {
      sandbox: true,
      custom_parameters: { character_id: 'hero' },
    });
    const row = await app.services.database.db
      .selectFrom('orders')
      .select(['mode', 'custom_parameters', 'status', 'user_id'])
      .where('order_id', '=', order_id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      mode: 'sandbox',
      custom_parameters: { character_id: 'hero' },
      status: 'new',
      user_id: 'alice',
    });
  });
});

describe('get-order', () => {
  it("answers 404/9001 to anyone but the order's owner", async () => {
    const { order_id } = await swordOrder(f, 'alice');
    for (const res of [
      await orderOf(f, 'bob', order_id),
      await f.guest('g-1', 'g@example.com', 'GET', `/order/${order_id}`),
      await orderOf(f, 'alice', 999_999_999),
      await orderOf(f, 'alice', 'abc' as unknown as number),
      await orderOf(f, 'alice', 99_999_999_999),
    ]) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json()).toMatchObject({
        statusCode: 404,
        errorCode: 9001,
        errorMessage: '[0401-9001]: Order not found',
      });
    }
  });

  it('requires a user or a guest (401)', async () => {
    const res = await f.anon('GET', `/v2/project/${f.t.projectId}/order/1`);
    expect(res.statusCode).toBe(401);
  });
});

describe('paying through the pay station endpoints', () => {
  it('pay: new → done, the item is delivered once, a second pay changes nothing', async () => {
    const { order_id, token } = await swordOrder(f, 'carol');
    const view = await f.anon('GET', `/paystation/${token}`);
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json()).toMatchObject({
      order_id,
      status: 'new',
      payable: true,
      items: [{ sku: 'sword', name: 'Sword' }],
    });

    const paid = await f.anon('POST', `/paystation/${token}/pay`);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ order_id, status: 'done', payable: false });
    expect((await orderOf(f, 'carol', order_id)).json().status).toBe('done');
    expect(await f.held('carol', 'sword')).toBe(1);

    const again = await f.anon('POST', `/paystation/${token}/pay`);
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('done');
    expect(await f.held('carol', 'sword')).toBe(1);
  });

  it('fail keeps the order new and counts the attempt; cancel → canceled; then pay is 409', async () => {
    const { order_id, token } = await swordOrder(f, 'dave');
    const failed = await f.anon('POST', `/paystation/${token}/fail`);
    expect(failed.statusCode, failed.body).toBe(200);
    expect(failed.json()).toMatchObject({ status: 'new', payment_failures: 1 });
    const canceled = await f.anon('POST', `/paystation/${token}/cancel`);
    expect(canceled.json()).toMatchObject({ status: 'canceled' });
    expect((await orderOf(f, 'dave', order_id)).json().status).toBe('canceled');
    const pay = await f.anon('POST', `/paystation/${token}/pay`);
    expect(pay.statusCode).toBe(409);
    expect(await f.held('dave', 'sword')).toBe(0);
    expect((await f.anon('POST', `/paystation/${token}/fail`)).statusCode).toBe(409);
    expect((await f.anon('POST', `/paystation/${token}/cancel`)).statusCode).toBe(200);
  });

  it('answers 404 for an unknown token', async () => {
    for (const path of ['/paystation/nope', '/paystation/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/pay']) {
      const res = await f.anon(path.endsWith('pay') ? 'POST' : 'GET', path);
      expect(res.statusCode).toBe(404);
      expect(res.json().errorCode).toBe(9001);
    }
  });
});

describe('Idempotency-Key', () => {
  it('a replayed create-order-with-item answers the first order and creates one', async () => {
    const key = `create-${Date.now()}`;
    const first = await f.user(
      'erin',
      'POST',
      '/payment/item/sword',
      { quantity: 1 },
      { 'idempotency-key': key },
    );
    const second = await f.user(
      'erin',
      'POST',
      '/payment/item/sword',
      { quantity: 1 },
      { 'idempotency-key': key },
    );
    expect(first.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    const rows = await app.services.database.db
      .selectFrom('orders')
      .select('order_id')
      .where('project_id', '=', f.t.projectId)
      .where('user_id', '=', 'erin')
      .execute();
    expect(rows).toHaveLength(1);
    const other = await f.user(
      'erin',
      'POST',
      '/payment/item/sword',
      { quantity: 2 },
      { 'idempotency-key': key },
    );
    expect(other.statusCode).toBe(422);
  });
});
