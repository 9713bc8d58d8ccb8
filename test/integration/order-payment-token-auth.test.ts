/**
 * The payment token as the Bearer of get-order (issue 11 item 5): after opening the pay station the Unreal SDK and
 * the Cocos samples poll `GET /v2/project/{project_id}/order/{order_id}` with `Authorization: Bearer <payment
 * token>` (the spec's overview: "a token for opening the payment UI" instead of a user JWT). The token opens its
 * own order only — another order is 404/9001 — and an unknown or expired token is 401 with the envelope.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.js';
import { shopFixture, swordOrder, type ShopFixture } from './orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;
let now = Date.now();

beforeAll(async () => {
  app = await testApp({ paymentTokenTtlSeconds: 3600 }, { clock: () => now });
  f = await shopFixture(app);
});
afterAll(async () => app.close());

const poll = (orderId: number, bearer: string, projectId = f.t.projectId) =>
  app.inject({
    method: 'GET',
    url: `/api/v2/project/${projectId}/order/${orderId}`,
    headers: { authorization: `Bearer ${bearer}` },
  });

describe('GET /order/{order_id} with the payment token as Bearer', () => {
  it('reads the token’s order, and follows it to `done` after the pay station', async () => {
    const { order_id, token } = await swordOrder(f, 'unreal-user', { quantity: 2 });
    const before = await poll(order_id, token);
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json()).toMatchObject({ order_id, status: 'new' });
    expect(before.json().content.price).toEqual({
      amount: '19.98',
      amount_without_discount: '19.98',
      currency: 'USD',
    });
    expect((await f.anon('POST', `/paystation/${token}/pay`)).statusCode).toBe(200);
    const after = await poll(order_id, token);
    expect(after.statusCode).toBe(200);
    expect(after.json().status).toBe('done');
    // the same answer the user's JWT gets
    expect((await f.user('unreal-user', 'GET', `/order/${order_id}`)).json()).toEqual(after.json());
  });

  it('a token of order A reads only A: B of the same user, and B of another user, are 404/9001', async () => {
    const a = await swordOrder(f, 'alice');
    const b = await swordOrder(f, 'alice');
    const c = await swordOrder(f, 'bob');
    for (const other of [b.order_id, c.order_id, 999_999_999]) {
      const res = await poll(other, a.token);
      expect(res.statusCode, `order ${other}`).toBe(404);
      expect(res.json()).toMatchObject({ statusCode: 404, errorCode: 9001 });
    }
  });

  it('an unknown token is 401/1501 with the envelope', async () => {
    const { order_id } = await swordOrder(f, 'carol');
    const res = await poll(order_id, 'A'.repeat(32));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ statusCode: 401, errorCode: 1501 });
    expect(res.json().errorMessage).toContain('payment token');
    expect(res.json().transactionId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a token of another project is 401', async () => {
    const { order_id, token } = await swordOrder(f, 'dave');
    const other = await shopFixture(app);
    expect((await poll(order_id, token, other.t.projectId)).statusCode).toBe(401);
  });

  it('an expired token is 401', async () => {
    const { order_id, token } = await swordOrder(f, 'erin');
    now += 3601 * 1000;
    try {
      const res = await poll(order_id, token);
      expect(res.statusCode).toBe(401);
      expect(res.json().errorCode).toBe(1501);
    } finally {
      now -= 3601 * 1000;
    }
  });

  it('does not open anything else: a user route with the payment token is 401', async () => {
    const { token } = await swordOrder(f, 'frank');
    const res = await app.inject({
      method: 'GET',
      url: `/api/v2/project/${f.t.projectId}/user/inventory/items`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(401);
  });
});
