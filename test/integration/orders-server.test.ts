/**
 * Server-side order calls: admin-create-payment-token (v3), admin-order-search (v3), and the Itemshop extensions
 * an operator's backend uses — mark an order paid (payment provider confirmation), refund, read one order with
 * its history — with the order_paid / order_canceled webhooks written to the outbox in the same transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { basic, testApp } from '../helpers/app.js';
import { orderOf, shopFixture, swordOrder, type ShopFixture } from './orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;

beforeAll(async () => {
  app = await testApp({ webhookWorker: false }); // the outbox is inspected, not delivered
  f = await shopFixture(app);
  const hook = await f.t.adminCall('PUT', '/admin/webhook', {
    url: 'http://127.0.0.1:9/webhook',
    secret: 'test-secret',
    is_enabled: true,
  });
  expect(hook.statusCode, hook.body).toBeLessThan(300);
});
afterAll(async () => app.close());

const tokenBody = (extra: Record<string, unknown> = {}) => ({
  user: {
    id: { value: 'srv-user' },
    email: { value: 'srv@example.com' },
    name: { value: 'Server User' },
    country: { value: 'US' },
  },
  purchase: {
    items: [
      { sku: 'sword', quantity: 2 },
      { sku: 'quest_steam', quantity: 1 },
      { sku: 'sword', quantity: 1 },
    ],
  },
  ...extra,
});

const outbox = (orderId: number) =>
  app.services.database.db
    .selectFrom('webhook_outbox')
    .select(['notification_type'])
    .where('order_id', '=', orderId)
    .orderBy('event_id')
    .execute();

describe('admin-create-payment-token', () => {
  it('creates an order for the described user and answers 201 {token, order_id}', async () => {
    const res = await f.t.adminCall(
      'POST',
      '/api/v3/project/' + f.t.projectId + '/admin/payment/token',
      tokenBody({ sandbox: true }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const { token, order_id } = res.json();
    expect(token).toMatch(/^[A-Za-z0-9]{32}$/);
    const order = (await orderOf(f, 'srv-user', order_id)).json();
    expect(order.status).toBe('new');
    expect(order.content.items).toEqual([
      {
        sku: 'sword',
        quantity: 3,
        is_free: false,
        price: { amount: '9.99', amount_without_discount: '9.99', currency: 'USD' },
      },
      {
        sku: 'quest_steam',
        quantity: 1,
        is_free: false,
        price: { amount: '19.99', amount_without_discount: '19.99', currency: 'USD' },
      },
    ]);
    expect(order.content.price.amount).toBe('49.96');
    const row = await app.services.database.db
      .selectFrom('orders')
      .select(['user_email', 'user_name', 'user_country', 'mode', 'source'])
      .where('order_id', '=', order_id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      user_email: 'srv@example.com',
      user_name: 'Server User',
      user_country: 'US',
      mode: 'sandbox',
      source: 'server_token',
    });
  });

  it('needs user.country.value or X-User-Ip: 422/1102 with the real message', async () => {
    const body = tokenBody();
    delete (body.user as Record<string, unknown>).country;
    const url = `/api/v3/project/${f.t.projectId}/admin/payment/token`;
    const res = await f.t.adminCall('POST', url, body);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      statusCode: 422,
      errorCode: 1102,
      errorMessage: '[0401-1102]: The parameter user.country.value or the header X-User-Ip must be specified',
    });
    const withIp = await app.inject({
      method: 'POST',
      url,
      headers: { ...f.t.admin, 'x-user-ip': '203.0.113.7' },
      payload: body,
    });
    expect(withIp.statusCode, withIp.body).toBe(201);
  });

  it('422/1421 for a free item, 422/1401 for an unknown sku; 422/1102 for an invalid body', async () => {
    const url = `/api/v3/project/${f.t.projectId}/admin/payment/token`;
    const free = await f.t.adminCall(
      'POST',
      url,
      tokenBody({ purchase: { items: [{ sku: 'potion', quantity: 1 }] } }),
    );
    expect(free.statusCode).toBe(422);
    expect(free.json()).toMatchObject({ errorCode: 1421, errorMessage: '[0401-1421]: Item is free' });
    const unknown = await f.t.adminCall(
      'POST',
      url,
      tokenBody({ purchase: { items: [{ sku: 'nothing', quantity: 1 }] } }),
    );
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errorCode).toBe(1401);
    const vcOnly = await f.t.adminCall(
      'POST',
      url,
      tokenBody({ purchase: { items: [{ sku: 'shield', quantity: 1 }] } }),
    );
    expect(vcOnly.json().errorCode).toBe(1401);
    for (const body of [
      { purchase: { items: [] } },
      { user: {} },
      { purchase: { items: [{ sku: 'sword', quantity: 0 }] } },
    ]) {
      const res = await f.t.adminCall('POST', url, { ...tokenBody(), ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.json().errorCode).toBe(1102);
    }
  });

  it('rejects a key of another project (401/1020)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v3/project/${f.t.projectId}/admin/payment/token`,
      headers: { authorization: basic(f.t.projectId, 'wrong') },
      payload: tokenBody(),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().errorCode).toBe(1020);
  });
});

describe('admin-order-search', () => {
  it('lists the orders of a period ascending by creation, 10 at most per page', async () => {
    const g = await shopFixture(app); // a project of its own: nothing else in it
    const from = new Date(Date.now() - 1000).toISOString();
    const created: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await g.user(`s-${i % 3}`, 'POST', '/payment/item/sword', { quantity: 1 + i });
      created.push(res.json().order_id);
    }
    const url = `/api/v3/project/${g.t.projectId}/admin/order/search`;
    const page1 = await g.t.adminCall('POST', url, { created_date_from: from, limit: 50 });
    expect(page1.statusCode, page1.body).toBe(200);
    const b1 = page1.json();
    expect(b1.total_items_count).toBe(12);
    expect(b1.has_more).toBe(true);
    expect(b1.orders.map((o: { order_id: number }) => o.order_id)).toEqual(created.slice(0, 10));
    const page2 = (
      await g.t.adminCall('POST', url, { created_date_from: from, offset: 10, limit: 10 })
    ).json();
    expect(page2.orders.map((o: { order_id: number }) => o.order_id)).toEqual(created.slice(10));
    expect(page2.has_more).toBe(false);
    expect(b1.orders[1]).toMatchObject({
      project_id: g.t.projectId,
      status: 'new',
      mode: 'default',
      is_free: false,
      price: { amount: '19.9800', currency: 'USD', is_virtual_currency: false },
      user: { id: 's-1' },
      items: [{ sku: 'sword', type: 'virtual_good', quantity: 2, description: { name: 'Sword' } }],
    });
    const none = (
      await g.t.adminCall('POST', url, { created_date_until: '2001-01-01T00:00:00+00:00' })
    ).json();
    expect(none).toEqual({ orders: [], total_items_count: 0, has_more: false });
    const all = (await g.t.adminCall('POST', url)).json();
    expect(all.total_items_count).toBe(12);
    const bad = await g.t.adminCall('POST', url, { created_date_from: 'yesterday' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errorCode).toBe(1102);
  });
});

describe('mark order paid (extension) and refund (extension)', () => {
  const ext = (orderId: number, what = '') =>
    `/api/itemshop/v1/project/${f.t.projectId}/admin/order/${orderId}${what}`;

  it('mark paid: new → done with delivery, one order_paid webhook, invoice id kept; repeat changes nothing', async () => {
    const { order_id } = await swordOrder(f, 'pam');
    const res = await f.t.adminCall('POST', ext(order_id, '/paid'), { invoice_id: 'psp-42' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ order_id, status: 'done', invoice_id: 'psp-42' });
    expect(res.json().history.map((h: { type: string }) => h.type)).toEqual(['created', 'paid', 'done']);
    expect(await f.held('pam', 'sword')).toBe(1);
    expect(await outbox(order_id)).toEqual([{ notification_type: 'order_paid' }]);
    const again = await f.t.adminCall('POST', ext(order_id, '/paid'), {});
    expect(again.statusCode).toBe(200);
    expect(await f.held('pam', 'sword')).toBe(1);
    expect(await outbox(order_id)).toHaveLength(1);
  });

  it('refund: done → canceled, the item taken back, one order_canceled webhook; a second refund is 409', async () => {
    const { order_id, token } = await swordOrder(f, 'rob');
    await f.anon('POST', `/paystation/${token}/pay`);
    expect(await f.held('rob', 'sword')).toBe(1);
    const res = await f.t.adminCall('POST', ext(order_id, '/refund'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('canceled');
    expect((await orderOf(f, 'rob', order_id)).json().status).toBe('canceled');
    expect(await f.held('rob', 'sword')).toBe(0);
    expect(await outbox(order_id)).toEqual([
      { notification_type: 'order_paid' },
      { notification_type: 'order_canceled' },
    ]);
    const again = await f.t.adminCall('POST', ext(order_id, '/refund'));
    expect(again.statusCode).toBe(409);
    expect(await outbox(order_id)).toHaveLength(2);
  });

  it('refund of an unpaid order is 409; paying a canceled order is 409; other projects get 404', async () => {
    const { order_id, token } = await swordOrder(f, 'sue');
    expect((await f.t.adminCall('POST', ext(order_id, '/refund'))).statusCode).toBe(409);
    await f.anon('POST', `/paystation/${token}/cancel`);
    const pay = await f.t.adminCall('POST', ext(order_id, '/paid'), {});
    expect(pay.statusCode).toBe(409);
    expect(pay.json()).toMatchObject({ statusCode: 409 });
    const g = await shopFixture(app);
    const foreign = await g.t.adminCall(
      'POST',
      `/api/itemshop/v1/project/${g.t.projectId}/admin/order/${order_id}/paid`,
      {},
    );
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().errorCode).toBe(9001);
    expect(
      (await g.t.adminCall('GET', `/api/itemshop/v1/project/${g.t.projectId}/admin/order/${order_id}`))
        .statusCode,
    ).toBe(404);
  });

  it('a payment is never refused for a code handed out meanwhile: the order delivers the code it reserved', async () => {
    const res = await f.user('tim', 'POST', '/payment/item/quest_steam', {});
    expect(res.statusCode, res.body).toBe(200);
    const { order_id } = res.json();
    // every free code of the key is handed out meanwhile: the order's own code was reserved at creation (ADR 0040)
    await app.services.database.db
      .updateTable('game_codes')
      .set({ claimed_at: new Date(), claimed_by: 'someone-else' })
      .where('project_id', '=', f.t.projectId)
      .where('claimed_at', 'is', null)
      .execute();
    const pay = await f.t.adminCall('POST', ext(order_id, '/paid'), {});
    expect(pay.statusCode, pay.body).toBe(200);
    expect(pay.json()).toMatchObject({ status: 'done', undelivered: [] });
    expect(await app.services.inventory.codesOfOrder(undefined, order_id)).toHaveLength(1);
    expect(await outbox(order_id)).toEqual([{ notification_type: 'order_paid' }]);
  });

  it('free and virtual-currency orders also queue one order_paid webhook each', async () => {
    const free = await f.user('val', 'POST', '/free/item/potion', {});
    expect(free.statusCode, free.body).toBe(200);
    await f.credit('val', 10);
    const vc = await f.user('val', 'POST', '/payment/item/sword/virtual/gold', {});
    expect(vc.statusCode, vc.body).toBe(200);
    expect(await outbox(free.json().order_id)).toEqual([{ notification_type: 'order_paid' }]);
    expect(await outbox(vc.json().order_id)).toEqual([{ notification_type: 'order_paid' }]);
  });

  it('admin-get-order shows the history, including failed attempts', async () => {
    const { order_id, token } = await swordOrder(f, 'uma');
    await f.anon('POST', `/paystation/${token}/fail`);
    await f.anon('POST', `/paystation/${token}/pay`);
    const res = await f.t.adminCall('GET', ext(order_id));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().history.map((h: { type: string; actor: string }) => `${h.type}:${h.actor}`)).toEqual([
      'created:user',
      'payment_failed:paystation',
      'paid:paystation',
      'done:system',
    ]);
  });
});
