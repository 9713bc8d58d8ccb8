/**
 * OrdersService.onStatusChange: every status an order takes reaches the listeners once its transaction has
 * committed — created, paid, done, canceled by the buyer, refunded, expired, voided by a paid order of a limited
 * item — and nothing of a rolled-back write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp } from '../helpers/app.js';
import type { OrderStatusChange } from '../../src/modules/orders/model.js';
import { shopFixture, swordOrder, type ShopFixture } from './orders-fixture.js';

let now = Date.now();
let app: FastifyInstance;
let f: ShopFixture;
const seen: OrderStatusChange[] = [];

beforeAll(async () => {
  app = await testApp({ orderTtlSeconds: 600, orderSweepIntervalSeconds: 0 }, { clock: () => now });
  f = await shopFixture(app);
  app.services.orders.onStatusChange((c) => seen.push(c));
});
afterAll(async () => app.close());

const of = (orderId: number) =>
  seen.filter((c) => c.order.order_id === orderId).map((c) => [c.previous, c.order.status, c.actor]);

describe('order status listeners', () => {
  it('hear new, paid and done of a paid order, with its money, and the refund', async () => {
    const { order_id, token } = await swordOrder(f, 'ann');
    expect(of(order_id)).toEqual([[null, 'new', 'user']]);
    expect((await f.anon('POST', `/paystation/${token}/pay`)).statusCode).toBe(200);
    expect(of(order_id)).toEqual([
      [null, 'new', 'user'],
      ['new', 'paid', 'paystation'],
      ['paid', 'done', 'system'],
    ]);
    const paid = seen.find((c) => c.order.order_id === order_id && c.order.status === 'paid')!;
    expect(paid.order).toMatchObject({
      project_id: f.t.projectId,
      user_id: 'ann',
      currency_type: 'real',
      currency: 'USD',
    });
    expect(Number(paid.order.amount)).toBeCloseTo(9.99);
    const refund = await f.t.adminCall(
      'POST',
      `/api/itemshop/v1/project/${f.t.projectId}/admin/order/${order_id}/refund`,
    );
    expect(refund.statusCode, refund.body).toBe(200);
    expect(of(order_id).at(-1)).toEqual(['done', 'canceled', 'admin']);
  });

  it('hear a cancel on the pay station and an expiry', async () => {
    const a = await swordOrder(f, 'bob');
    await f.anon('POST', `/paystation/${a.token}/cancel`);
    expect(of(a.order_id).at(-1)).toEqual(['new', 'canceled', 'paystation']);
    const b = await swordOrder(f, 'bob');
    now += 601_000;
    expect(await app.services.orders.expireDue(new Date(now))).toBeGreaterThanOrEqual(1);
    expect(of(b.order_id).at(-1)).toEqual(['new', 'expired', 'sweeper']);
  });

  it('hear nothing of an order whose transaction rolled back', async () => {
    const before = seen.length;
    const res = await f.user('cyd', 'POST', '/payment/item/shield/virtual/gold'); // no gold: 422, rolled back
    expect(res.statusCode, res.body).toBe(422);
    expect(seen.length).toBe(before);
  });

  it('hear a virtual-currency purchase go new → paid → done at once', async () => {
    await f.credit('dee', 30);
    const res = await f.user('dee', 'POST', '/payment/item/shield/virtual/gold');
    expect(res.statusCode, res.body).toBe(200);
    expect(of(res.json().order_id).map((c) => c[1])).toEqual(['new', 'paid', 'done']);
  });
});
