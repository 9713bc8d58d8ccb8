/**
 * Guest carts and their orders belong to the pair (x-unauthorized-id, email) (issue 13 §5, ADR 0048). A guest
 * (AuthForCart guest mode) fills a cart of game keys and orders it; a second client sends the same
 * x-unauthorized-id with another email — as if it had learnt or guessed the id. Every AuthForCart operation of the
 * operations table is tried by it on the guest's cart and order: each either answers 404 or acts on the second
 * client's own (empty) cart, and the guest's cart and order stay exactly as they were.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../src/http/operations.js';
import { testApp } from '../helpers/app.js';
import { shopFixture, type ShopFixture } from '../integration/orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;
const GUEST_ID = 'a-guest-id-the-client-chose';
const OWNER = 'owner@example.com';
const INTRUDER = 'intruder@example.com';
let ownerCartId: string;
let orderId: number;

const CART_OPERATIONS = operations.filter((op) => op.auth === 'cart');

beforeAll(async () => {
  app = await testApp();
  f = await shopFixture(app);
  const put = await f.guest(GUEST_ID, OWNER, 'PUT', '/cart/item/quest_steam', { quantity: 1 });
  expect(put.statusCode, put.body).toBe(204);
  const order = await f.guest(GUEST_ID, OWNER, 'POST', '/payment/cart', {});
  expect(order.statusCode, order.body).toBe(200);
  orderId = order.json().order_id;
  // a second cart of the guest, left open (its id is what an intruder would try)
  const fill = await f.guest(GUEST_ID, OWNER, 'PUT', '/cart/fill', {
    items: [{ sku: 'quest_steam', quantity: 2 }],
  });
  expect(fill.statusCode, fill.body).toBe(200);
  ownerCartId = fill.json().cart_id;
});
afterAll(async () => app.close());

/** What the guest sees of its own cart and order. */
async function ownerState() {
  const cart = await f.guest(GUEST_ID, OWNER, 'GET', `/cart/${ownerCartId}`);
  const order = await f.guest(GUEST_ID, OWNER, 'GET', `/order/${orderId}`);
  expect(cart.statusCode, cart.body).toBe(200);
  expect(order.statusCode, order.body).toBe(200);
  const { items } = cart.json() as { items: { sku: string; quantity: number }[] };
  return { cart: items.map((i) => [i.sku, i.quantity]), order: order.json() };
}

const bodyOf = (path: string, method: string): object | undefined => {
  if (method === 'GET' || method === 'DELETE') return undefined;
  if (path.endsWith('/fill')) return { items: [{ sku: 'quest_steam', quantity: 5 }] };
  if (path.includes('/item/')) return { quantity: 5 };
  return {};
};

describe('the same x-unauthorized-id with another email', () => {
  it('is not the guest: its own order list view, cart and the order by id are not the guest’s', async () => {
    expect((await f.guest(GUEST_ID, INTRUDER, 'GET', `/order/${orderId}`)).statusCode).toBe(404);
    const cart = await f.guest(GUEST_ID, INTRUDER, 'GET', '/cart');
    expect(cart.statusCode).toBe(200);
    expect(cart.json().cart_id).not.toBe(ownerCartId);
    expect(cart.json().items).toEqual([]);
    // the guest itself (email case aside) still is
    expect((await f.guest(GUEST_ID, OWNER.toUpperCase(), 'GET', `/order/${orderId}`)).statusCode).toBe(200);
  });

  describe.each(CART_OPERATIONS.map((op) => [`${op.method} ${op.path} (${op.docSlug})`, op] as const))(
    '%s',
    (_name, op) => {
      it("never reaches the guest's cart or order", async () => {
        const before = await ownerState();
        const path = op.path
          .replace('/v2/project/{project_id}', '')
          .replace('{cart_id}', ownerCartId)
          .replace('{order_id}', String(orderId))
          .replace('{item_sku}', 'quest_steam');
        const res = await f.guest(
          GUEST_ID,
          INTRUDER,
          op.method as InjectOptions['method'],
          path,
          bodyOf(op.path, op.method),
        );
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (op.path.includes('{cart_id}') || op.path.includes('{order_id}')) {
          expect(res.statusCode, res.body).toBe(404);
          expect(res.json().errorMessage).toMatch(/^\[0401-\d+\]: /);
        }
        expect(await ownerState()).toEqual(before);
      });
    },
  );
});
