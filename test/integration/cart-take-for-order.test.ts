/**
 * CartService.takeForOrder, the contract the orders module builds orders on: it locks the cart, checks every
 * line against the current catalog, prices it in the cart's one currency, marks the cart ordered (the user's
 * next `/cart` is a new, empty cart) and returns the lines with unit prices — or throws 422/1417 (empty),
 * 404/1401 (not the user's cart), 422/1401 (already ordered), 422/1411 (an item that cannot be bought so).
 * Everything happens in the caller's transaction: a rollback leaves the cart as it was.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors/app-error.js';
import { guestUserId } from '../../src/http/auth.js';
import type { CartForOrder } from '../../src/modules/cart/service.js';
import type { UserIdentity } from '../../src/modules/tenancy/service.js';
import { testApp, type Tenant } from '../helpers/app.js';
import { cartCall, cartCatalog, contentOf, guestOf, usd, userOf, type CartBody } from './cart-helpers.js';

let app: FastifyInstance;
let t: Tenant;
let n = 0;

beforeAll(async () => {
  app = await testApp();
  t = await cartCatalog(app);
});
afterAll(async () => app.close());

const jwtUser = (userId: string): UserIdentity => ({ userId, claims: {} });

/** takeForOrder in its own transaction (committed unless `rollback`); the error it threw, if any. */
async function take(
  user: UserIdentity,
  cartId?: string,
  opts: { currency?: string; country?: string | null } = {},
  rollback = false,
): Promise<{ cart?: CartForOrder; error?: AppError }> {
  const { carts, database } = app.services;
  const snapshot = await carts.catalogOf(t.projectId);
  try {
    const cart = await database.db.transaction().execute(async (trx) => {
      const r = await carts.takeForOrder(trx, t.projectId, user, cartId, { ...opts, snapshot });
      if (rollback) throw new Error('rollback');
      return r;
    });
    return { cart };
  } catch (e) {
    if (e instanceof AppError) return { error: e };
    if (rollback && e instanceof Error && e.message === 'rollback') return {};
    throw e;
  }
}

async function filledUser(items: { sku: string; quantity: number }[], query = '') {
  const userId = `order-user-${++n}`;
  const caller = await userOf(t, userId);
  const res = await cartCall(app, t, caller, 'PUT', `/cart/fill${query}`, { items });
  expect(res.statusCode, res.body).toBe(200);
  return { userId, caller, cart: res.json() as CartBody };
}

describe('takeForOrder', () => {
  it('returns the lines with unit prices and the total, and starts a new cart for the user', async () => {
    const { userId, caller, cart } = await filledUser([
      { sku: 'sword', quantity: 2 },
      { sku: 'shield', quantity: 3 },
    ]);
    const { cart: taken, error } = await take(jwtUser(userId));
    expect(error).toBeUndefined();
    expect(taken).toEqual({
      cart_id: cart.cart_id,
      currency: 'USD',
      lines: [
        expect.objectContaining({
          sku: 'sword',
          type: 'virtual_good',
          quantity: 2,
          amount: '9.99',
          amount_without_discount: '9.99',
          is_free: false,
        }),
        expect.objectContaining({ sku: 'shield', quantity: 3, amount: '0.1', is_free: false }),
      ],
      amount: '20.28',
      amount_without_discount: '20.28',
      is_free: false,
    });
    expect(Number.isInteger(taken!.lines[0].item_id)).toBe(true);
    const next = await cartCall(app, t, caller, 'GET', '/cart');
    expect(next.json().cart_id).not.toBe(cart.cart_id);
    expect(next.json().items).toEqual([]);
    // the ordered cart is read-only and gone for the cart routes
    expect((await cartCall(app, t, caller, 'GET', `/cart/${cart.cart_id}`)).statusCode).toBe(404);
    const refill = await cartCall(app, t, caller, 'PUT', `/cart/${cart.cart_id}/fill`, { items: [] });
    expect(refill.statusCode).toBe(404);
    // ordering it again by id: 422/1401
    const again = await take(jwtUser(userId), cart.cart_id);
    expect(again.error).toMatchObject({ statusCode: 422, errorCode: 1401 });
  });

  it('prices in the requested currency (opts.currency) and the country', async () => {
    const { userId } = await filledUser([{ sku: 'sword', quantity: 2 }]);
    const { cart } = await take(jwtUser(userId), undefined, { currency: 'eur', country: 'DE' });
    expect(cart).toMatchObject({ currency: 'EUR', amount: '17', lines: [{ amount: '8.5' }] });
  });

  it('uses the currency a fill remembered', async () => {
    const { userId } = await filledUser([{ sku: 'sword', quantity: 1 }], '?currency=EUR');
    expect((await take(jwtUser(userId))).cart).toMatchObject({ currency: 'EUR', amount: '8.5' });
  });

  it('a line without a price in the currency makes the order impossible: 422/1411, cart unchanged', async () => {
    const { userId, caller } = await filledUser([
      { sku: 'sword', quantity: 1 },
      { sku: 'shield', quantity: 1 },
    ]);
    const { error } = await take(jwtUser(userId), undefined, { currency: 'EUR' });
    expect(error).toMatchObject({ statusCode: 422, errorCode: 1411 });
    expect(error!.message).toContain('shield');
    expect(contentOf((await cartCall(app, t, caller, 'GET', '/cart')).json())).toEqual({
      sword: 1,
      shield: 1,
    });
  });

  it('empty: 422/1417 — no current cart, an empty cart, a cart whose items were all deleted', async () => {
    expect((await take(jwtUser(`nobody-${++n}`))).error).toMatchObject({ statusCode: 422, errorCode: 1417 });
    const empty = await filledUser([]);
    expect((await take(jwtUser(empty.userId))).error).toMatchObject({ errorCode: 1417 });
    const sku = `temp-${++n}`;
    expect(
      (await t.adminCall('POST', '/admin/items/virtual_items', { sku, name: { en: 'T' }, prices: [usd(1)] }))
        .statusCode,
    ).toBe(201);
    const gone = await filledUser([{ sku, quantity: 1 }]);
    expect((await t.adminCall('DELETE', `/admin/items/virtual_items/sku/${sku}`)).statusCode).toBe(204);
    const view = await cartCall(app, t, gone.caller, 'GET', '/cart');
    expect(view.json().items).toEqual([]); // a deleted item leaves the cart's view
    expect((await take(jwtUser(gone.userId))).error).toMatchObject({ errorCode: 1417 });
  });

  it('an item disabled after it was put: 422/1411', async () => {
    const sku = `temp-${++n}`;
    const body = { sku, name: { en: 'T' }, prices: [usd(2)] };
    expect((await t.adminCall('POST', '/admin/items/virtual_items', body)).statusCode).toBe(201);
    const { userId, caller } = await filledUser([{ sku, quantity: 1 }]);
    const off = await t.adminCall('PUT', `/admin/items/virtual_items/sku/${sku}`, {
      ...body,
      is_enabled: false,
    });
    expect(off.statusCode, off.body).toBe(204);
    const line = (await cartCall(app, t, caller, 'GET', '/cart')).json().items[0];
    expect(line).toMatchObject({ sku, can_be_bought: false });
    expect((await take(jwtUser(userId))).error).toMatchObject({ statusCode: 422, errorCode: 1411 });
  });

  it('an item sold only in some regions: orderable for a buyer there, 422/1411 elsewhere', async () => {
    const region = await app.services.database.db
      .insertInto('regions')
      .values({ project_id: t.projectId, name: JSON.stringify({ en: 'US only' }), countries: ['US'] })
      .returning('region_id')
      .executeTakeFirstOrThrow();
    const sku = `regional-${++n}`;
    const created = await t.adminCall('POST', '/admin/items/virtual_items', {
      sku,
      name: { en: 'Regional' },
      prices: [usd(3)],
      regions: [{ id: region.region_id }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const { userId, caller } = await filledUser([{ sku, quantity: 1 }]);
    const fr = (await cartCall(app, t, caller, 'GET', '/cart?country=FR')).json() as CartBody;
    expect(fr.items[0]).toMatchObject({ sku, can_be_bought: false });
    expect((await take(jwtUser(userId), undefined, { country: 'FR' })).error).toMatchObject({
      errorCode: 1411,
    });
    expect((await take(jwtUser(userId), undefined, { country: 'US' })).cart).toMatchObject({ amount: '3' });
  });

  it("another user's cart id, or an unknown one: 404/1401", async () => {
    const { cart } = await filledUser([{ sku: 'sword', quantity: 1 }]);
    expect((await take(jwtUser(`thief-${++n}`), cart.cart_id)).error).toMatchObject({
      statusCode: 404,
      errorCode: 1401,
    });
    expect((await take(jwtUser(`thief-${n}`), 'no-such-cart')).error).toMatchObject({ statusCode: 404 });
  });

  it('a cart by id', async () => {
    const userId = `order-user-${++n}`;
    const caller = await userOf(t, userId);
    const res = await cartCall(app, t, caller, 'PUT', `/cart/side-${n}/fill`, {
      items: [{ sku: 'gold-pack', quantity: 2 }],
    });
    expect(res.statusCode).toBe(200);
    const { cart } = await take(jwtUser(userId), `side-${n}`);
    expect(cart).toMatchObject({
      cart_id: `side-${n}`,
      amount: '9.98',
      lines: [{ sku: 'gold-pack', type: 'bundle', quantity: 2 }],
    });
  });

  it('a free cart: is_free, currency null, zero amounts', async () => {
    const { userId } = await filledUser([{ sku: 'gift', quantity: 2 }]);
    const { cart } = await take(jwtUser(userId));
    expect(cart).toMatchObject({
      currency: null,
      amount: '0',
      is_free: true,
      lines: [{ sku: 'gift', quantity: 2, amount: '0', is_free: true }],
    });
  });

  it("a guest's cart of game keys", async () => {
    const id = `order-guest-${++n}`;
    const guest = guestOf(id);
    expect((await cartCall(app, t, guest, 'PUT', '/cart/item/quest_steam', { quantity: 2 })).statusCode).toBe(
      204,
    );
    const { cart } = await take({ userId: guestUserId(id, `${id}@example.com`), claims: {}, guest: true });
    expect(cart).toMatchObject({ amount: '39.98', lines: [{ sku: 'quest_steam', type: 'game_key' }] });
  });

  it("a rollback of the caller's transaction leaves the cart open and current", async () => {
    const { userId, caller, cart } = await filledUser([{ sku: 'sword', quantity: 1 }]);
    await take(jwtUser(userId), undefined, {}, true);
    const still = (await cartCall(app, t, caller, 'GET', '/cart')).json() as CartBody;
    expect(still.cart_id).toBe(cart.cart_id);
    expect(contentOf(still)).toEqual({ sword: 1 });
    expect((await take(jwtUser(userId))).cart?.cart_id).toBe(cart.cart_id);
  });

  it('of concurrent takes of one cart exactly one succeeds', async () => {
    const { userId, cart } = await filledUser([{ sku: 'sword', quantity: 1 }]);
    const results = await Promise.all(Array.from({ length: 6 }, () => take(jwtUser(userId), cart.cart_id)));
    expect(results.filter((r) => r.cart).length).toBe(1);
    for (const r of results.filter((x) => x.error)) expect(r.error).toMatchObject({ errorCode: 1401 });
  });
});
