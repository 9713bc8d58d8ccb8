/**
 * Server-side cart fills (spec group cart-server-side, docs/decisions/0017-carts.md): the studio's server fills
 * the cart of a user named by `x-user-for` (a user JWT or a payment token) or `x-user-id` (its own id; game keys
 * only), with the body's `currency` and `country`; 404/5008 when no user is named; those carts are the user's.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, testApp, type Tenant } from '../helpers/app.js';
import { adminFill, cartCall, cartCatalog, contentOf, userOf, type CartBody } from './cart-helpers.js';

let app: FastifyInstance;
let t: Tenant;
let n = 0;

beforeAll(async () => {
  app = await testApp();
  t = await cartCatalog(app);
});
afterAll(async () => app.close());

const sword = (quantity = 1) => ({ sku: 'sword', quantity });

describe('admin-cart-fill', () => {
  it('fills the current cart of the user of x-user-for (a user JWT); the user sees it as theirs', async () => {
    const userId = `srv-user-${++n}`;
    const res = await adminFill(
      app,
      t,
      { 'x-user-for': await t.userToken(userId) },
      {
        items: [sword(2), { sku: 'nope', quantity: 1 }],
      },
    );
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as CartBody;
    expect(contentOf(body)).toEqual({ sword: 2 });
    expect(body.warnings).toEqual([expect.objectContaining({ sku: 'nope', errorCode: 4001 })]);
    expect(body.price).toEqual({ amount: '19.98', amount_without_discount: '19.98', currency: 'USD' });
    const mine = await cartCall(app, t, await userOf(t, userId), 'GET', '/cart');
    expect(mine.json().cart_id).toBe(body.cart_id);
    expect(contentOf(mine.json())).toEqual({ sword: 2 });
  });

  it("prices in the body's currency and country and remembers them; localizes with ?locale", async () => {
    const userId = `srv-user-${++n}`;
    const res = await adminFill(
      app,
      t,
      { 'x-user-for': `Bearer ${await t.userToken(userId)}` },
      { items: [sword(1)], currency: 'EUR', country: 'de' },
      undefined,
      '?locale=de',
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items[0]).toMatchObject({
      name: 'Schwert',
      price: { amount: '8.50', currency: 'EUR' },
    });
    const later = await cartCall(app, t, await userOf(t, userId), 'GET', '/cart');
    expect(later.json().price).toEqual({ amount: '8.50', amount_without_discount: '8.50', currency: 'EUR' });
  });

  it('accepts an unexpired payment token of the project in x-user-for', async () => {
    const userId = `srv-user-${++n}`;
    const { db } = app.services.database;
    const order = await db
      .insertInto('orders')
      .values({ project_id: t.projectId, user_id: userId, currency_type: 'real', source: 'cart' })
      .returning('order_id')
      .executeTakeFirstOrThrow();
    const token = `tok-${t.projectId}-${userId}`; // tokens are unique across projects (the database outlives runs)
    await db
      .insertInto('payment_tokens')
      .values([
        {
          token,
          project_id: t.projectId,
          order_id: order.order_id,
          expires_at: new Date(Date.now() + 60_000),
        },
        {
          token: `${token}-old`,
          project_id: t.projectId,
          order_id: order.order_id,
          expires_at: new Date(Date.now() - 60_000),
        },
      ])
      .execute();
    const res = await adminFill(app, t, { 'x-user-for': token }, { items: [sword(3)] });
    expect(res.statusCode, res.body).toBe(200);
    const mine = await cartCall(app, t, await userOf(t, userId), 'GET', '/cart');
    expect(contentOf(mine.json())).toEqual({ sword: 3 });
    const expired = await adminFill(app, t, { 'x-user-for': `${token}-old` }, { items: [sword(1)] });
    expect(expired.statusCode).toBe(404);
    expect(expired.json()).toMatchObject({ errorCode: 5008 });
  });

  it("x-user-id names the studio's own user; such carts take game keys only", async () => {
    const userId = `studio-${++n}`;
    const res = await adminFill(
      app,
      t,
      { 'x-user-id': userId },
      {
        items: [sword(1), { sku: 'quest_steam', quantity: 1 }],
      },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(contentOf(res.json())).toEqual({ quest_steam: 1 });
    expect(res.json().warnings).toEqual([expect.objectContaining({ sku: 'sword', errorCode: 1421 })]);
    const same = await cartCall(app, t, await userOf(t, userId), 'GET', '/cart');
    expect(same.json().cart_id).toBe(res.json().cart_id);
  });

  it('answers 404/5008 when the headers name no user, and writes nothing', async () => {
    const expired = await app.services.tenancy.mintUserToken(
      (await app.services.tenancy.getProject(t.projectId))!,
      'someone',
      { ttlSeconds: -60 },
    );
    for (const headers of [
      {},
      { 'x-user-for': 'not-a-token' },
      { 'x-user-for': expired },
      { 'x-user-id': '  ' },
    ]) {
      const res = await adminFill(app, t, headers as Record<string, string>, { items: [sword()] });
      expect(res.statusCode, JSON.stringify(headers)).toBe(404);
      expect(res.json()).toEqual({
        statusCode: 404,
        errorCode: 5008,
        errorMessage: '[0401-5008]: Could not find User',
        transactionId: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
    }
    const someone = await cartCall(app, t, await userOf(t, 'someone'), 'GET', '/cart');
    expect(someone.json().items).toEqual([]);
  });

  it('validates the body as the spec does (at least one item, quantity ≥ 1, no unknown fields): 422', async () => {
    const headers = { 'x-user-id': `studio-${++n}` };
    for (const body of [
      { items: [] },
      { items: [{ sku: 'quest_steam', quantity: 0 }] },
      { items: [{ sku: 'quest_steam', quantity: 1.5 }] },
      { items: [{ sku: 'quest_steam' }] },
      { items: [{ sku: 'quest_steam', quantity: 1 }], coupon: 'x' },
      { items: [{ sku: 'quest_steam', quantity: 1 }], currency: 'EURO' },
      {},
    ]) {
      const res = await adminFill(app, t, headers, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.json()).toMatchObject({ statusCode: 422, errorCode: 1102 });
    }
    const long = await adminFill(app, t, { 'x-user-id': 'x'.repeat(33) }, { items: [sword()] });
    expect(long.statusCode).toBe(422);
  });

  it('needs the project key: 401/1020 otherwise', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: `/api/v2/admin/project/${t.projectId}/cart/fill`,
      headers: { authorization: basic(t.projectId, 'wrong'), 'x-user-id': 'u' },
      payload: { items: [sword()] },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ errorCode: 1020 });
  });

  it('scopes an Idempotency-Key to the named user: the same request for another user is not a replay', async () => {
    const key = { 'idempotency-key': `srv-${++n}` };
    const body = { items: [{ sku: 'quest_steam', quantity: 1 }] };
    const a = await adminFill(app, t, { 'x-user-id': `studio-a-${n}`, ...key }, body);
    const a2 = await adminFill(app, t, { 'x-user-id': `studio-a-${n}`, ...key }, body);
    const b = await adminFill(app, t, { 'x-user-id': `studio-b-${n}`, ...key }, body);
    expect(a2.headers['idempotent-replayed']).toBe('true');
    expect(a2.json()).toEqual(a.json());
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.json().cart_id).not.toBe(a.json().cart_id);
  });
});

describe('admin-fill-cart-by-id', () => {
  it("fills the user's cart by id (an unused id becomes theirs); another user's cart is 404/1401", async () => {
    const owner = `srv-owner-${++n}`;
    const id = `srv-cart-${n}`;
    const res = await adminFill(
      app,
      t,
      { 'x-user-for': await t.userToken(owner) },
      { items: [sword(4)] },
      id,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().cart_id).toBe(id);
    const mine = await cartCall(app, t, await userOf(t, owner), 'GET', `/cart/${id}`);
    expect(contentOf(mine.json())).toEqual({ sword: 4 });
    const again = await adminFill(
      app,
      t,
      { 'x-user-for': await t.userToken(owner) },
      { items: [sword(1)] },
      id,
    );
    expect(contentOf(again.json())).toEqual({ sword: 1 });

    const intruder = await adminFill(
      app,
      t,
      { 'x-user-for': await t.userToken('intruder') },
      { items: [sword(9)] },
      id,
    );
    expect(intruder.statusCode).toBe(404);
    expect(intruder.json()).toMatchObject({ errorCode: 1401 });
    expect(contentOf((await cartCall(app, t, await userOf(t, owner), 'GET', `/cart/${id}`)).json())).toEqual({
      sword: 1,
    });
  });
});
