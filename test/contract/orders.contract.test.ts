/**
 * Contract of orders and payments (endpoints.tsv groups payment-client-side, payment-server-side, order,
 * free-item, virtual-payment — 10 operations): every response of every operation, success and each documented
 * error status, is validated against the official spec's schema for its status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { basic, testApp } from '../helpers/app.js';
import { shopFixture, type ShopFixture } from '../integration/orders-fixture.js';
import { ContractRecorder, type ContractGroup } from './contract.js';
import { SKIP_NOTE, specAvailable } from './spec.js';

if (!specAvailable) console.warn(SKIP_NOTE);

const GROUPS_COVERED: ContractGroup[] = [
  'payment-client-side',
  'payment-server-side',
  'order',
  'free-item',
  'virtual-payment',
];

describe.skipIf(!specAvailable)('contract: orders and payments', () => {
  let app: FastifyInstance;
  let f: ShopFixture;
  const rec = new ContractRecorder();
  const fill = async (userId: string, items: { sku: string; quantity: number }[], cartId?: string) => {
    const res = await f.user(userId, 'PUT', cartId ? `/cart/${cartId}/fill` : '/cart/fill', { items });
    expect(res.statusCode, res.body).toBe(200);
  };
  const v3 = (path: string) => `/api/v3/project/${f.t.projectId}${path}`;

  beforeAll(async () => {
    app = await testApp({ webhookWorker: false });
    f = await shopFixture(app);
  });
  afterAll(async () => app?.close());

  describe('payment-client-side', () => {
    it('create-order: 200, and 422 for an empty cart and a cart with a free item', async () => {
      await fill('c1', [{ sku: 'sword', quantity: 2 }]);
      const ok = await f.user('c1', 'POST', '/payment/cart', { currency: 'USD', sandbox: true });
      expect(ok.statusCode, ok.body).toBe(200);
      rec.check('create-order', ok);
      const empty = await f.user('c1', 'POST', '/payment/cart', {});
      expect(empty.statusCode).toBe(422);
      rec.check('create-order', empty);
      await fill('c1', [{ sku: 'potion', quantity: 1 }]);
      const free = await f.user('c1', 'POST', '/payment/cart', {});
      expect(free.statusCode).toBe(422);
      rec.check('create-order', free);
    });

    it('create-order-by-cart-id: 200, 422; a foreign cart is 404 (undocumented)', async () => {
      await fill('c2', [{ sku: 'arrows', quantity: 5 }], 'c2-cart');
      const foreign = await f.user('c3', 'POST', '/payment/cart/c2-cart', {});
      expect(foreign.statusCode).toBe(404);
      rec.check('create-order-by-cart-id', foreign, { undocumented: true });
      const ok = await f.user('c2', 'POST', '/payment/cart/c2-cart', {});
      expect(ok.statusCode, ok.body).toBe(200);
      rec.check('create-order-by-cart-id', ok);
      await fill('c2', [{ sku: 'potion', quantity: 1 }], 'c2-free');
      const free = await f.user('c2', 'POST', '/payment/cart/c2-free', {});
      expect(free.statusCode).toBe(422);
      rec.check('create-order-by-cart-id', free);
    });

    it('create-order-with-item: 200, 404, 422; 401 without a token (undocumented)', async () => {
      const ok = await f.user('c4', 'POST', '/payment/item/sword', { quantity: 2, currency: 'EUR' });
      expect(ok.statusCode, ok.body).toBe(200);
      rec.check('create-order-with-item', ok);
      const missing = await f.user('c4', 'POST', '/payment/item/nothing', {});
      expect(missing.statusCode).toBe(404);
      rec.check('create-order-with-item', missing);
      const free = await f.user('c4', 'POST', '/payment/item/potion', {});
      expect(free.statusCode).toBe(422);
      rec.check('create-order-with-item', free);
      const anon = await f.anon('POST', `/v2/project/${f.t.projectId}/payment/item/sword`, {});
      expect(anon.statusCode).toBe(401);
      rec.check('create-order-with-item', anon, { undocumented: true });
    });
  });

  describe('payment-server-side', () => {
    const body = (items: { sku: string; quantity: number }[], country: string | null = 'US') => ({
      user: {
        id: { value: 'srv' },
        email: { value: 'srv@example.com' },
        ...(country ? { country: { value: country } } : {}),
      },
      purchase: { items },
      settings: { currency: 'USD', external_id: 'AABBCCDD01' },
      custom_parameters: { user_os: 'windows10' },
    });

    it('admin-create-payment-token: 201, 401, and 422 (country, free item, invalid cart, invalid body)', async () => {
      const ok = await f.t.adminCall(
        'POST',
        v3('/admin/payment/token'),
        body([{ sku: 'sword', quantity: 1 }]),
      );
      expect(ok.statusCode, ok.body).toBe(201);
      rec.check('admin-create-payment-token', ok);
      const unauthorized = await app.inject({
        method: 'POST',
        url: v3('/admin/payment/token'),
        headers: { authorization: basic(f.t.projectId, 'not-the-key') },
        payload: body([{ sku: 'sword', quantity: 1 }]),
      });
      expect(unauthorized.statusCode).toBe(401);
      rec.check('admin-create-payment-token', unauthorized);
      for (const b of [
        body([{ sku: 'sword', quantity: 1 }], null),
        body([{ sku: 'potion', quantity: 1 }]),
        body([{ sku: 'nothing', quantity: 1 }]),
        { purchase: { items: [] } },
      ]) {
        const res = await f.t.adminCall('POST', v3('/admin/payment/token'), b);
        expect(res.statusCode, res.body).toBe(422);
        rec.check('admin-create-payment-token', res);
      }
    });
  });

  describe('order', () => {
    it('get-order: 200 for new, done, free and virtual-currency orders; 404 for another user', async () => {
      const paid = (await f.user('o1', 'POST', '/payment/item/sword', {})).json();
      rec.check('get-order', await f.user('o1', 'GET', `/order/${paid.order_id}`));
      await f.anon('POST', `/paystation/${paid.token}/pay`);
      const done = await f.user('o1', 'GET', `/order/${paid.order_id}`);
      expect(done.json().status).toBe('done');
      rec.check('get-order', done);
      const free = (await f.user('o1', 'POST', '/free/item/potion', {})).json();
      rec.check('get-order', await f.user('o1', 'GET', `/order/${free.order_id}`));
      await f.credit('o1', 100);
      const vc = (await f.user('o1', 'POST', '/payment/item/shield/virtual/gold', {})).json();
      rec.check('get-order', await f.user('o1', 'GET', `/order/${vc.order_id}`));
      const other = await f.user('o2', 'GET', `/order/${paid.order_id}`);
      expect(other.statusCode).toBe(404);
      rec.check('get-order', other);
    });

    it('admin-order-search: 200 (free, paid, virtual-currency and refunded orders), 401', async () => {
      const paid = (await f.user('o3', 'POST', '/payment/item/arrows', { quantity: 2 })).json();
      await f.t.adminCall(
        'POST',
        `/api/itemshop/v1/project/${f.t.projectId}/admin/order/${paid.order_id}/paid`,
        {
          invoice_id: 'inv-1',
        },
      );
      await f.t.adminCall(
        'POST',
        `/api/itemshop/v1/project/${f.t.projectId}/admin/order/${paid.order_id}/refund`,
      );
      const res = await f.t.adminCall('POST', v3('/admin/order/search'), {
        offset: 0,
        limit: 5,
        created_date_from: '2020-01-01T00:00:00+03:00',
        created_date_until: '2100-01-01T00:00:00+00:00',
      });
      expect(res.statusCode, res.body).toBe(200);
      const page = rec.check('admin-order-search', res) as {
        orders: { status: string }[];
        has_more: boolean;
      };
      expect(page.orders).toHaveLength(5);
      expect(page.has_more).toBe(true);
      const rest = await f.t.adminCall('POST', v3('/admin/order/search'), { offset: 5 });
      const more = rec.check('admin-order-search', rest) as {
        orders: { status: string }[];
        has_more: boolean;
      };
      expect(more.has_more).toBe(false);
      const statuses = new Set([...page.orders, ...more.orders].map((o) => o.status));
      expect([...statuses].sort()).toEqual(['canceled', 'done', 'new']);
      const unauthorized = await app.inject({
        method: 'POST',
        url: v3('/admin/order/search'),
        headers: { authorization: basic(f.t.projectId, 'wrong') },
        payload: {},
      });
      expect(unauthorized.statusCode).toBe(401);
      rec.check('admin-order-search', unauthorized);
    });
  });

  describe('free-item', () => {
    it('create-free-order: 200, 422', async () => {
      await fill('f1', [{ sku: 'potion', quantity: 2 }]);
      const ok = await f.user('f1', 'POST', '/free/cart', {});
      expect(ok.statusCode, ok.body).toBe(200);
      rec.check('create-free-order', ok);
      await fill('f1', [{ sku: 'sword', quantity: 1 }]);
      const paid = await f.user('f1', 'POST', '/free/cart', {});
      expect(paid.statusCode).toBe(422);
      rec.check('create-free-order', paid);
    });

    it('create-free-order-by-cart-id: 200, 422', async () => {
      await fill('f2', [{ sku: 'potion', quantity: 1 }], 'f2-cart');
      const ok = await f.user('f2', 'POST', '/free/cart/f2-cart', {});
      expect(ok.statusCode, ok.body).toBe(200);
      rec.check('create-free-order-by-cart-id', ok);
      const again = await f.user('f2', 'POST', '/free/cart/f2-cart', {});
      expect(again.statusCode).toBeGreaterThanOrEqual(400);
      await fill('f2', [{ sku: 'arrows', quantity: 1 }], 'f2-paid');
      const paid = await f.user('f2', 'POST', '/free/cart/f2-paid', {});
      expect(paid.statusCode).toBe(422);
      rec.check('create-free-order-by-cart-id', paid);
    });

    it('create-free-order-with-item: 200, 422; an unknown sku is 404 (undocumented)', async () => {
      const ok = await f.user('f3', 'POST', '/free/item/potion', { quantity: 2 });
      expect(ok.statusCode, ok.body).toBe(200);
      rec.check('create-free-order-with-item', ok);
      const paid = await f.user('f3', 'POST', '/free/item/sword', {});
      expect(paid.statusCode).toBe(422);
      rec.check('create-free-order-with-item', paid);
      const missing = await f.user('f3', 'POST', '/free/item/nothing', {});
      expect(missing.statusCode).toBe(404);
      rec.check('create-free-order-with-item', missing, { undocumented: true });
    });
  });

  describe('virtual-payment', () => {
    it('create-order-with-item-for-virtual-currency: 200, 404, 422 (not enough currency, no such price)', async () => {
      await f.credit('v1', 30);
      const ok = await f.user('v1', 'POST', '/payment/item/shield/virtual/gold', {
        custom_parameters: { int_param: 100, null_param: null },
      });
      expect(ok.statusCode, ok.body).toBe(200);
      rec.check('create-order-with-item-for-virtual-currency', ok);
      const missing = await f.user('v1', 'POST', '/payment/item/nothing/virtual/gold', {});
      expect(missing.statusCode).toBe(404);
      rec.check('create-order-with-item-for-virtual-currency', missing);
      const poor = await f.user('v1', 'POST', '/payment/item/shield/virtual/gold', {});
      expect(poor.statusCode).toBe(422);
      expect(poor.json().errorCode).toBe(5006);
      rec.check('create-order-with-item-for-virtual-currency', poor);
      const unpriced = await f.user('v1', 'POST', '/payment/item/potion/virtual/gold', {});
      expect(unpriced.statusCode).toBe(422);
      rec.check('create-order-with-item-for-virtual-currency', unpriced);
    });
  });

  it('validated every operation of its groups against the spec', () => {
    rec.expectCovered(GROUPS_COVERED);
  });
});
