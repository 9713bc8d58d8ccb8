/**
 * Unpaid orders expire (ORDER_TTL_SECONDS): lazily when read, and by the periodic sweeper
 * (ORDER_SWEEP_INTERVAL_SECONDS); an expired order cannot be paid. Payment tokens expire on their own
 * (PAYMENT_TOKEN_TTL_SECONDS). One app runs on an injected clock, the others on short real TTLs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp } from '../helpers/app.js';
import { orderOf, shopFixture, swordOrder, type ShopFixture } from './orders-fixture.js';

const apps: FastifyInstance[] = [];
afterAll(async () => {
  for (const a of apps) await a.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const statusInDb = async (app: FastifyInstance, orderId: number) =>
  (
    await app.services.database.db
      .selectFrom('orders')
      .select('status')
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow()
  ).status;

describe('with an injected clock', () => {
  let now = Date.now();
  let f: ShopFixture;
  beforeAll(async () => {
    const app = await testApp({ orderTtlSeconds: 600, orderSweepIntervalSeconds: 0 }, { clock: () => now });
    apps.push(app);
    f = await shopFixture(app);
  });

  it('an unpaid order is new until its expiry, then expired on read, and cannot be paid', async () => {
    const { order_id, token } = await swordOrder(f, 'xena');
    now += 599_000;
    expect((await orderOf(f, 'xena', order_id)).json().status).toBe('new');
    now += 2_000;
    const pay = await f.anon('POST', `/paystation/${token}/pay`);
    expect(pay.statusCode, pay.body).toBe(409);
    expect(pay.json().errorMessage).toContain('expired');
    expect((await orderOf(f, 'xena', order_id)).json().status).toBe('expired');
    expect(await statusInDb(f.app, order_id)).toBe('expired');
    expect(await f.held('xena', 'sword')).toBe(0);
    const view = await f.anon('GET', `/paystation/${token}`);
    expect(view.json()).toMatchObject({ status: 'expired', payable: false });
    const admin = await f.t.adminCall(
      'GET',
      `/api/itemshop/v1/project/${f.t.projectId}/admin/order/${order_id}`,
    );
    expect(admin.json().history.map((h: { type: string }) => h.type)).toEqual(['created', 'expired']);
  });

  it('a paid order never expires', async () => {
    const { order_id, token } = await swordOrder(f, 'yuri');
    await f.anon('POST', `/paystation/${token}/pay`);
    now += 10 * 24 * 3600 * 1000;
    expect((await orderOf(f, 'yuri', order_id)).json().status).toBe('done');
  });
});

describe('with short real TTLs', () => {
  it('the sweeper expires unpaid orders without anyone reading them', async () => {
    const app = await testApp({ orderTtlSeconds: 1, orderSweepIntervalSeconds: 1 });
    apps.push(app);
    await app.ready();
    const f = await shopFixture(app);
    const { order_id } = await swordOrder(f, 'zoe');
    let status = await statusInDb(app, order_id);
    for (let i = 0; i < 100 && status === 'new'; i++) {
      await sleep(100);
      status = await statusInDb(app, order_id);
    }
    expect(status).toBe('expired');
  });

  it('a payment token stops opening the pay station when it expires', async () => {
    const app = await testApp({ paymentTokenTtlSeconds: 1, orderSweepIntervalSeconds: 0 });
    apps.push(app);
    const f = await shopFixture(app);
    const { order_id, token } = await swordOrder(f, 'ada');
    expect((await f.anon('GET', `/paystation/${token}`)).statusCode).toBe(200);
    await sleep(1100);
    expect((await f.anon('GET', `/paystation/${token}`)).statusCode).toBe(404);
    expect((await f.anon('POST', `/paystation/${token}/pay`)).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/paystation4/?token=${token}` })).statusCode).toBe(404);
    expect((await orderOf(f, 'ada', order_id)).json().status).toBe('new');
  });
});
