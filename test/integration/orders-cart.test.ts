/**
 * Orders from carts: create-order (current cart), create-order-by-cart-id, and the free variants; guests of
 * AuthForCart (game keys only); the cross-user matrix of every order route with a `{cart_id}` or `{order_id}`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { guestUserId } from '../../src/http/auth.js';
import { testApp } from '../helpers/app.js';
import { orderOf, shopFixture, swordOrder, type ShopFixture } from './orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;

beforeAll(async () => {
  app = await testApp();
  f = await shopFixture(app);
});
afterAll(async () => app.close());

const fill = async (userId: string, items: { sku: string; quantity: number }[], cartId?: string) => {
  const res = await f.user(userId, 'PUT', cartId ? `/cart/${cartId}/fill` : '/cart/fill', { items });
  expect(res.statusCode, res.body).toBe(200);
};

describe('create-order (current cart)', () => {
  it('turns the cart into a new order with its lines and total, and starts an empty cart', async () => {
    await fill('ann', [
      { sku: 'sword', quantity: 3 },
      { sku: 'quest_steam', quantity: 1 },
    ]);
    const res = await f.user('ann', 'POST', '/payment/cart', { currency: 'USD', sandbox: true });
    expect(res.statusCode, res.body).toBe(200);
    const { order_id, token } = res.json();
    expect(token).toMatch(/^[A-Za-z0-9]{32}$/);
    const order = (await orderOf(f, 'ann', order_id)).json();
    expect(order.status).toBe('new');
    expect(order.content.price).toEqual({
      amount: '49.96',
      amount_without_discount: '49.96',
      currency: 'USD',
    });
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
    const again = await f.user('ann', 'POST', '/payment/cart', {});
    expect(again.statusCode).toBe(422);
    expect(again.json().errorCode).toBe(1417);
  });

  it('pays and delivers the whole cart, one game code per key unit', async () => {
    await fill('ben', [
      { sku: 'sword', quantity: 1 },
      { sku: 'quest_steam', quantity: 1 },
    ]);
    const { order_id, token } = (await f.user('ben', 'POST', '/payment/cart', {})).json();
    expect((await f.anon('POST', `/paystation/${token}/pay`)).statusCode).toBe(200);
    expect((await orderOf(f, 'ben', order_id)).json().status).toBe('done');
    expect(await f.held('ben', 'sword')).toBe(1);
    const codes = await app.services.database.db
      .selectFrom('game_codes')
      .select('code')
      .where('order_id', '=', order_id)
      .execute();
    expect(codes).toHaveLength(1);
  });

  it('answers 422/1417 for an empty cart and 422/1401 for a cart with a free item', async () => {
    const empty = await f.user('cid', 'POST', '/payment/cart', {});
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errorCode).toBe(1417);
    await fill('cid', [
      { sku: 'sword', quantity: 1 },
      { sku: 'potion', quantity: 1 },
    ]);
    const mixed = await f.user('cid', 'POST', '/payment/cart', {});
    expect(mixed.statusCode, mixed.body).toBe(422);
    expect(mixed.json()).toMatchObject({ errorCode: 1401, errorMessage: '[0401-1401]: Invalid cart' });
    // nothing was ordered: the cart is still there
    const cart = await f.user('cid', 'GET', '/cart');
    expect(cart.json().items).toHaveLength(2);
  });
});

describe('create-order-by-cart-id', () => {
  it("orders the user's cart by id; another user's cart id answers 404", async () => {
    await fill('dan', [{ sku: 'sword', quantity: 2 }], 'dans-cart');
    const foreign = await f.user('eve', 'POST', '/payment/cart/dans-cart', {});
    expect(foreign.statusCode, foreign.body).toBe(404);
    const foreignFree = await f.user('eve', 'POST', '/free/cart/dans-cart', {});
    expect(foreignFree.statusCode, foreignFree.body).toBe(404);
    const res = await f.user('dan', 'POST', '/payment/cart/dans-cart', {});
    expect(res.statusCode, res.body).toBe(200);
    const order = (await orderOf(f, 'dan', res.json().order_id)).json();
    expect(order.content.items).toMatchObject([{ sku: 'sword', quantity: 2 }]);
  });
});

describe('free orders from carts', () => {
  it('create-free-order: a cart of free items is done and delivered at once', async () => {
    await fill('fay', [{ sku: 'potion', quantity: 2 }]);
    const res = await f.user('fay', 'POST', '/free/cart', {});
    expect(res.statusCode, res.body).toBe(200);
    expect(Object.keys(res.json())).toEqual(['order_id']);
    const order = (await orderOf(f, 'fay', res.json().order_id)).json();
    expect(order).toEqual({
      order_id: res.json().order_id,
      status: 'done',
      content: { is_free: true, items: [{ sku: 'potion', quantity: 2, is_free: true }] },
    });
    expect(await f.held('fay', 'potion')).toBe(2);
  });

  it('create-free-order-by-cart-id; a paid item in a free cart is 422/1401 and nothing is delivered', async () => {
    await fill('gus', [{ sku: 'potion', quantity: 1 }], 'gus-free');
    const ok = await f.user('gus', 'POST', '/free/cart/gus-free', {});
    expect(ok.statusCode, ok.body).toBe(200);
    await fill(
      'gus',
      [
        { sku: 'potion', quantity: 1 },
        { sku: 'sword', quantity: 1 },
      ],
      'gus-mixed',
    );
    const mixed = await f.user('gus', 'POST', '/free/cart/gus-mixed', {});
    expect(mixed.statusCode).toBe(422);
    expect(mixed.json().errorCode).toBe(1401);
    expect(await f.held('gus', 'sword')).toBe(0);
    expect(await f.held('gus', 'potion')).toBe(1);
  });
});

describe('guests (AuthForCart guest mode)', () => {
  it('may order and pay a cart of game keys and see their order; others may not', async () => {
    const put = await f.guest('guest-1', 'buyer@example.com', 'PUT', '/cart/item/quest_steam', {
      quantity: 1,
    });
    expect(put.statusCode, put.body).toBe(204);
    const res = await f.guest('guest-1', 'buyer@example.com', 'POST', '/payment/cart', {});
    expect(res.statusCode, res.body).toBe(200);
    const { order_id, token } = res.json();
    const row = await app.services.database.db
      .selectFrom('orders')
      .select(['user_id', 'user_email'])
      .where('order_id', '=', order_id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      user_id: guestUserId('guest-1', 'buyer@example.com'),
      user_email: 'buyer@example.com',
    });
    const paid = (await f.anon('POST', `/paystation/${token}/pay`)).json();
    expect(paid.status).toBe('done');
    expect(paid.game_codes).toEqual([{ sku: 'quest_steam', code: expect.stringMatching(/^KEY-\d$/) }]);
    const receipt = await app.inject({ method: 'GET', url: `/paystation4/?token=${token}` });
    expect(receipt.body).toContain(`<code>${paid.game_codes[0].code}</code>`);
    const mine = await f.guest('guest-1', 'buyer@example.com', 'GET', `/order/${order_id}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().status).toBe('done');
    expect((await f.guest('guest-2', 'other@example.com', 'GET', `/order/${order_id}`)).statusCode).toBe(404);
    // the id alone is not the guest: the same x-unauthorized-id with another email sees nothing (ADR 0048)
    expect((await f.guest('guest-1', 'other@example.com', 'GET', `/order/${order_id}`)).statusCode).toBe(404);
    expect((await f.guest('guest-1', 'BUYER@example.com', 'GET', `/order/${order_id}`)).statusCode).toBe(200);
    expect((await orderOf(f, 'guest-1', order_id)).statusCode).toBe(404); // a JWT user of the same name is not the guest
  });
});

describe('cross-user matrix: every order route with {cart_id} or {order_id}', () => {
  it("user B gets 404 on user A's cart and order, and changes nothing", async () => {
    await fill('owner', [{ sku: 'sword', quantity: 1 }], 'owner-cart');
    const { order_id } = await swordOrder(f, 'owner');
    const routes: [string, string][] = [
      ['POST', '/payment/cart/owner-cart'],
      ['POST', '/free/cart/owner-cart'],
      ['GET', `/order/${order_id}`],
    ];
    for (const [method, path] of routes) {
      const res = await f.user(
        'intruder',
        method as 'GET' | 'POST',
        path,
        method === 'POST' ? {} : undefined,
      );
      expect(res.statusCode, `${method} ${path}: ${res.body}`).toBe(404);
      expect(res.json().statusCode).toBe(404);
    }
    // the owner's cart is intact and still orderable
    const own = await f.user('owner', 'POST', '/payment/cart/owner-cart', {});
    expect(own.statusCode, own.body).toBe(200);
    expect((await orderOf(f, 'owner', order_id)).json().status).toBe('new');
  });
});
