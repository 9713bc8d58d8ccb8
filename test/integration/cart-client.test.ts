/**
 * Client carts (spec group cart-client-side, docs/decisions/0017-carts.md): the current cart and carts by id,
 * fill (replaces the whole content), put / delete an item, clear; unit prices and totals as two-decimal strings
 * in one currency, localized names; what a cart refuses; guests (game keys only); carts surviving a restart;
 * Idempotency-Key replays; concurrent writes on one cart.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';
import {
  cartCall,
  cartCatalog,
  contentOf,
  guestOf,
  userOf,
  type CartBody,
  type Caller,
} from './cart-helpers.js';

let app: FastifyInstance;
let t: Tenant;
let n = 0;
/** A fresh user of the tenant (every test its own cart). */
const freshUser = () => userOf(t, `cart-user-${++n}`);

beforeAll(async () => {
  app = await testApp();
  t = await cartCatalog(app);
});
afterAll(async () => app.close());

const call = (caller: Caller, method: 'GET' | 'PUT' | 'DELETE', path: string, payload?: unknown) =>
  cartCall(app, t, caller, method, path, payload);
const getCart = async (caller: Caller, path = '/cart') => {
  const res = await call(caller, 'GET', path);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as CartBody;
};
const fill = async (caller: Caller, items: { sku: string; quantity: number }[], path = '/cart/fill') => {
  const res = await call(caller, 'PUT', path, { items });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as CartBody;
};

describe('the current cart', () => {
  it('is created empty on first read and keeps its id', async () => {
    const u = await freshUser();
    const first = await getCart(u);
    expect(first).toEqual({ cart_id: first.cart_id, price: null, is_free: false, items: [], promotions: [] });
    expect(typeof first.cart_id).toBe('string');
    expect(first.cart_id.length).toBeGreaterThan(0);
    expect((await getCart(u)).cart_id).toBe(first.cart_id);
    expect((await getCart(u, `/cart/${first.cart_id}`)).cart_id).toBe(first.cart_id);
  });

  it('is one per user and per project: the same user id in another project has another cart', async () => {
    const userId = `cart-user-${++n}`;
    const here = await fill(await userOf(t, userId), [{ sku: 'sword', quantity: 1 }]);
    const other = await createTenant(app);
    const there = await app.inject({
      method: 'GET',
      url: `/api/v2/project/${other.projectId}/cart/${here.cart_id}`,
      headers: { authorization: `Bearer ${await other.userToken(userId)}` },
    });
    expect(there.statusCode).toBe(404);
    const own = await app.inject({
      method: 'GET',
      url: `/api/v2/project/${other.projectId}/cart`,
      headers: { authorization: `Bearer ${await other.userToken(userId)}` },
    });
    expect(own.json().cart_id).not.toBe(here.cart_id);
    expect(own.json().items).toEqual([]);
  });

  it('is one per user', async () => {
    const a = await getCart(await freshUser());
    const b = await getCart(await freshUser());
    expect(a.cart_id).not.toBe(b.cart_id);
  });
});

describe('fill', () => {
  it('replaces the whole content; a sku given twice keeps its last quantity; 0 leaves it out', async () => {
    const u = await freshUser();
    const one = await fill(u, [
      { sku: 'sword', quantity: 1 },
      { sku: 'shield', quantity: 3 },
      { sku: 'sword', quantity: 2 },
      { sku: 'gold-pack', quantity: 0 },
    ]);
    expect(contentOf(one)).toEqual({ shield: 3, sword: 2 });
    expect(one.warnings).toEqual([]);
    const two = await fill(u, [{ sku: 'gold-pack', quantity: 1 }]);
    expect(contentOf(two)).toEqual({ 'gold-pack': 1 });
    expect(contentOf(await getCart(u))).toEqual({ 'gold-pack': 1 });
    const empty = await fill(u, []);
    expect(empty.items).toEqual([]);
    expect(empty.price).toBeNull();
  });

  it('prices each line (unit price) and totals Σ unit × quantity as two-decimal strings', async () => {
    const u = await freshUser();
    const body = await fill(u, [
      { sku: 'sword', quantity: 2 },
      { sku: 'shield', quantity: 3 },
    ]);
    const sword = body.items.find((i) => i.sku === 'sword')!;
    const shield = body.items.find((i) => i.sku === 'shield')!;
    expect(sword.price).toEqual({ amount: '9.99', amount_without_discount: '9.99', currency: 'USD' });
    expect(shield.price).toEqual({ amount: '0.10', amount_without_discount: '0.10', currency: 'USD' });
    expect(body.price).toEqual({ amount: '20.28', amount_without_discount: '20.28', currency: 'USD' });
    expect(body.is_free).toBe(false);
    expect(sword).toMatchObject({
      name: 'Sword',
      description: 'A sharp sword',
      type: 'virtual_good',
      is_free: false,
      is_bonus: false,
      can_be_bought: true,
      quantity: 2,
      promotions: [],
      groups: [{ external_id: 'weapons', name: 'Weapons' }],
      limits: { per_user: { total: 5, available: 5 }, per_item: null },
    });
    expect(sword.virtual_prices).toEqual([
      expect.objectContaining({ sku: 'gold', amount: 100, amount_without_discount: 100, is_default: true }),
    ]);
    expect(shield.inventory_options).toEqual({ consumable: { usages_count: 3 }, expiration_period: null });
    expect(shield.virtual_item_type).toBe('consumable');
    // the same view on read
    expect(await getCart(u)).toEqual({ ...body, warnings: undefined });
  });

  it('skips what cannot be put and reports it in warnings[] with the error code', async () => {
    const u = await freshUser();
    const body = await fill(u, [
      { sku: 'sword', quantity: 1 },
      { sku: 'no-such-item', quantity: 2 },
      { sku: 'hidden', quantity: 1 },
      { sku: 'disabled', quantity: 1 },
      { sku: 'expired', quantity: 1 },
      { sku: 'potion', quantity: 1 },
      { sku: 'quest', quantity: 1 },
    ]);
    expect(contentOf(body)).toEqual({ sword: 1 });
    const codes = Object.fromEntries(body.warnings!.map((w) => [w.sku, w.errorCode]));
    expect(codes).toEqual({
      'no-such-item': 4001,
      hidden: 4001,
      disabled: 4001,
      expired: 4001,
      potion: 1421, // sold for virtual currency only
      quest: 1421, // a game: sold through its keys
    });
    const missing = body.warnings!.find((w) => w.sku === 'no-such-item')!;
    expect(missing).toEqual({
      sku: 'no-such-item',
      quantity: 2,
      errorCode: 4001,
      errorMessage: `[0401-4001]: Item with Project Id = ${t.projectId} and Sku = no-such-item not found`,
    });
  });

  it('rejects a quantity that is not a non-negative integer with 422/1102 and changes nothing', async () => {
    const u = await freshUser();
    await fill(u, [{ sku: 'sword', quantity: 1 }]);
    for (const quantity of [-1, 1.5, 1_000_001, '2']) {
      const res = await call(u, 'PUT', '/cart/fill', { items: [{ sku: 'shield', quantity }] });
      expect(res.statusCode, `${quantity}: ${res.body}`).toBe(422);
      expect(res.json()).toMatchObject({ statusCode: 422, errorCode: 1102 });
    }
    const neg = await call(u, 'PUT', '/cart/fill', { items: [{ sku: 'shield', quantity: -1 }] });
    expect(neg.json().errorMessage).toBe('[0401-1102]: Item quantity must be non-negative integer');
    expect((await call(u, 'PUT', '/cart/fill', {})).statusCode).toBe(422);
    expect(contentOf(await getCart(u))).toEqual({ sword: 1 });
  });

  it('a free item shows price null and makes a cart of free items free', async () => {
    const u = await freshUser();
    const body = await fill(u, [{ sku: 'gift', quantity: 2 }]);
    expect(body.is_free).toBe(true);
    expect(body.price).toBeNull();
    expect(body.items[0]).toMatchObject({ sku: 'gift', is_free: true, price: null, can_be_bought: true });
    const mixed = await fill(u, [
      { sku: 'gift', quantity: 1 },
      { sku: 'sword', quantity: 1 },
    ]);
    expect(mixed.is_free).toBe(false);
    expect(mixed.price).toEqual({ amount: '9.99', amount_without_discount: '9.99', currency: 'USD' });
  });
});

describe('currency, country and locale', () => {
  it('prices the cart in the requested currency; items without a price in it show price null', async () => {
    const u = await freshUser();
    await fill(u, [
      { sku: 'sword', quantity: 2 },
      { sku: 'shield', quantity: 1 },
    ]);
    const eur = await getCart(u, '/cart?currency=eur');
    expect(eur.items.find((i) => i.sku === 'sword')).toMatchObject({
      price: { amount: '8.50', amount_without_discount: '8.50', currency: 'EUR' },
      can_be_bought: true,
    });
    expect(eur.items.find((i) => i.sku === 'shield')).toMatchObject({ price: null, can_be_bought: false });
    expect(eur.price).toEqual({ amount: '17.00', amount_without_discount: '17.00', currency: 'EUR' });
    const yen = await getCart(u, '/cart?currency=JPY');
    expect(yen.price).toBeNull();
    expect(yen.items.every((i) => i.price === null && !i.can_be_bought)).toBe(true);
    expect((await call(u, 'GET', '/cart?currency=EURO')).statusCode).toBe(422);
  });

  it("without a currency, uses the currency of the first paid line's price for the buyer's country", async () => {
    const u = await freshUser();
    await fill(u, [{ sku: 'sword', quantity: 1 }]);
    expect((await getCart(u, '/cart?country=DE')).price).toEqual({
      amount: '8.50',
      amount_without_discount: '8.50',
      currency: 'EUR',
    });
    expect((await getCart(u, '/cart?country=US')).price?.currency).toBe('USD');
  });

  it('remembers the currency a fill asked for', async () => {
    const u = await freshUser();
    const filled = await call(u, 'PUT', '/cart/fill?currency=EUR', {
      items: [{ sku: 'sword', quantity: 1 }],
    });
    expect(filled.json().price.currency).toBe('EUR');
    expect((await getCart(u)).price?.currency).toBe('EUR');
    expect((await getCart(u, '/cart?currency=USD')).price?.currency).toBe('USD');
  });

  it('returns names, descriptions and group names in the requested language', async () => {
    const u = await freshUser();
    await fill(u, [{ sku: 'sword', quantity: 1 }]);
    const de = await getCart(u, '/cart?locale=de-DE');
    expect(de.items[0]).toMatchObject({
      name: 'Schwert',
      description: 'Ein scharfes Schwert',
      groups: [{ external_id: 'weapons', name: 'Waffen' }],
    });
    expect((await getCart(u, '/cart?locale=fr')).items[0].name).toBe('Sword');
  });
});

describe('put and delete an item, clear', () => {
  it('puts (sets, not adds), removes with 0, deletes and clears', async () => {
    const u = await freshUser();
    expect((await call(u, 'PUT', '/cart/item/sword', { quantity: 2 })).statusCode).toBe(204);
    expect((await call(u, 'PUT', '/cart/item/shield', { quantity: 1 })).statusCode).toBe(204);
    expect((await call(u, 'PUT', '/cart/item/sword', { quantity: 5 })).statusCode).toBe(204);
    let cart = await getCart(u);
    expect(cart.items.map((i) => [i.sku, i.quantity])).toEqual([
      ['sword', 5],
      ['shield', 1],
    ]);
    expect(cart.price?.amount).toBe('50.05');
    expect((await call(u, 'PUT', '/cart/item/sword', { quantity: 0 })).statusCode).toBe(204);
    expect(contentOf(await getCart(u))).toEqual({ shield: 1 });
    expect((await call(u, 'PUT', '/cart/item/gold-pack')).statusCode).toBe(204); // no body: one
    expect((await call(u, 'DELETE', '/cart/item/shield')).statusCode).toBe(204);
    cart = await getCart(u);
    expect(contentOf(cart)).toEqual({ 'gold-pack': 1 });
    const clear = await call(u, 'PUT', '/cart/clear');
    expect(clear.statusCode).toBe(204);
    expect(clear.body).toBe('');
    const after = await getCart(u);
    expect(after.items).toEqual([]);
    expect(after.cart_id).toBe(cart.cart_id);
  });

  it('answers 404/4001, 422/1421 and 422/1102 as the spec does, changing nothing', async () => {
    const u = await freshUser();
    await fill(u, [{ sku: 'sword', quantity: 1 }]);
    const expectError = async (path: string, body: unknown, status: number, code: number, method = 'PUT') => {
      const res = await call(u, method as 'PUT', path, body);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(status);
      expect(res.json()).toMatchObject({ statusCode: status, errorCode: code });
      return res.json() as { errorMessage: string };
    };
    const missing = await expectError('/cart/item/no-such-item', { quantity: 1 }, 404, 4001);
    expect(missing.errorMessage).toBe(
      `[0401-4001]: Item with Project Id = ${t.projectId} and Sku = no-such-item not found`,
    );
    await expectError('/cart/item/hidden', { quantity: 1 }, 404, 4001);
    await expectError('/cart/item/disabled', { quantity: 1 }, 404, 4001);
    await expectError('/cart/item/potion', { quantity: 1 }, 422, 1421);
    await expectError('/cart/item/quest', { quantity: 1 }, 422, 1421);
    const neg = await expectError('/cart/item/shield', { quantity: -2 }, 422, 1102);
    expect(neg.errorMessage).toBe('[0401-1102]: Item quantity must be non-negative integer');
    await expectError('/cart/item/shield', { quantity: 0.5 }, 422, 1102);
    await expectError('/cart/item/shield', { quantity: 'many' }, 422, 1102);
    await expectError('/cart/item/shield', [3], 422, 1102);
    await expectError('/cart/item/shield', undefined, 404, 4001, 'DELETE'); // not in the cart
    expect(contentOf(await getCart(u))).toEqual({ sword: 1 });
  });
});

describe('carts by id', () => {
  it('a by-id write to an unused id creates that cart for the caller, apart from the current cart', async () => {
    const u = await freshUser();
    const current = await fill(u, [{ sku: 'shield', quantity: 1 }]);
    const id = `my-cart-${n}`;
    const custom = await fill(u, [{ sku: 'sword', quantity: 2 }], `/cart/${id}/fill`);
    expect(custom.cart_id).toBe(id);
    expect(contentOf(custom)).toEqual({ sword: 2 });
    expect((await call(u, 'PUT', `/cart/${id}/item/gold-pack`, { quantity: 3 })).statusCode).toBe(204);
    expect((await call(u, 'DELETE', `/cart/${id}/item/sword`)).statusCode).toBe(204);
    expect(contentOf(await getCart(u, `/cart/${id}`))).toEqual({ 'gold-pack': 3 });
    expect((await call(u, 'PUT', `/cart/${id}/clear`)).statusCode).toBe(204);
    expect((await getCart(u, `/cart/${id}`)).items).toEqual([]);
    const still = await getCart(u);
    expect(still.cart_id).toBe(current.cart_id);
    expect(contentOf(still)).toEqual({ shield: 1 });
    // another unused id: put creates it too
    expect((await call(u, 'PUT', `/cart/${id}-b/item/sword`, { quantity: 1 })).statusCode).toBe(204);
    expect(contentOf(await getCart(u, `/cart/${id}-b`))).toEqual({ sword: 1 });
  });

  it('reads, clears and deletes of an unknown id answer 404/1401', async () => {
    const u = await freshUser();
    for (const [method, path] of [
      ['GET', '/cart/nobody-uses-this'],
      ['PUT', '/cart/nobody-uses-this/clear'],
      ['DELETE', '/cart/nobody-uses-this/item/sword'],
    ] as const) {
      const res = await call(u, method, path);
      expect(res.statusCode, `${method} ${path}`).toBe(404);
      expect(res.json()).toMatchObject({ statusCode: 404, errorCode: 1401 });
    }
  });
});

describe('guests (AuthForCart guest mode)', () => {
  it('keep their own cart and may put game keys only', async () => {
    const g = guestOf(`guest-${n}-${Date.now()}`);
    const cart = await getCart(g);
    expect(cart.items).toEqual([]);
    const put = await call(g, 'PUT', '/cart/item/sword', { quantity: 1 });
    expect(put.statusCode).toBe(422);
    expect(put.json()).toMatchObject({ errorCode: 1421 });
    expect((await call(g, 'PUT', '/cart/item/quest_steam', { quantity: 1 })).statusCode).toBe(204);
    const filled = await fill(g, [
      { sku: 'quest_free', quantity: 2 },
      { sku: 'sword', quantity: 1 },
    ]);
    expect(contentOf(filled)).toEqual({ quest_free: 2 });
    expect(filled.warnings).toEqual([expect.objectContaining({ sku: 'sword', errorCode: 1421 })]);
    expect(filled.items[0]).toMatchObject({ type: 'game_key', price: { amount: '14.99', currency: 'USD' } });
    expect(filled.price?.amount).toBe('29.98');
    expect((await getCart(g)).cart_id).toBe(cart.cart_id);
  });

  it('need both headers with a base64 email; otherwise 401', async () => {
    const bad: Caller[] = [
      { 'x-unauthorized-id': 'g1' },
      { 'x-user': Buffer.from('a@example.com').toString('base64') },
      { 'x-unauthorized-id': 'g1', 'x-user': Buffer.from('not an email').toString('base64') },
      {},
    ];
    for (const caller of bad) {
      const res = await call(caller, 'GET', '/cart');
      expect(res.statusCode, JSON.stringify(caller)).toBe(401);
      expect(res.json()).toMatchObject({ statusCode: 401, errorCode: 1501 });
    }
  });
});

describe('persistence, idempotency, concurrency', () => {
  it('a cart survives an app restart on the same database', async () => {
    const u = await freshUser();
    const before = await fill(u, [{ sku: 'sword', quantity: 3 }]);
    await app.close();
    app = await testApp();
    const after = await getCart(u);
    expect(after.cart_id).toBe(before.cart_id);
    expect(contentOf(after)).toEqual({ sword: 3 });
  });

  it('replays the first answer of an Idempotency-Key and refuses the key with another body', async () => {
    const u = await freshUser();
    const key = { 'idempotency-key': `fill-${n}` };
    const body = { items: [{ sku: 'sword', quantity: 1 }] };
    const first = await cartCall(app, t, u, 'PUT', '/cart/fill', body, key);
    expect(first.statusCode).toBe(200);
    expect((await call(u, 'PUT', '/cart/item/shield', { quantity: 4 })).statusCode).toBe(204);
    const replay = await cartCall(app, t, u, 'PUT', '/cart/fill', body, key);
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    expect(contentOf(await getCart(u))).toEqual({ sword: 1, shield: 4 }); // the replay changed nothing
    const other = await cartCall(app, t, u, 'PUT', '/cart/fill', { items: [] }, key);
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ errorCode: 1102 });

    const putKey = { 'idempotency-key': `put-${n}` };
    expect((await cartCall(app, t, u, 'PUT', '/cart/item/shield', { quantity: 2 }, putKey)).statusCode).toBe(
      204,
    );
    const seven = await call(u, 'PUT', '/cart/item/shield', { quantity: 7 });
    expect(seven.statusCode, seven.body).toBe(204);
    const again = await cartCall(app, t, u, 'PUT', '/cart/item/shield', { quantity: 2 }, putKey);
    expect(again.statusCode).toBe(204);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(contentOf(await getCart(u)).shield).toBe(7);
  });

  it('concurrent fills of one cart serialize: the result is exactly one of them', async () => {
    const u = await freshUser();
    await getCart(u);
    const contents = [
      [{ sku: 'sword', quantity: 1 }],
      [
        { sku: 'shield', quantity: 2 },
        { sku: 'gold-pack', quantity: 1 },
      ],
      [
        { sku: 'gold-pack', quantity: 3 },
        { sku: 'sword', quantity: 4 },
        { sku: 'shield', quantity: 5 },
      ],
    ];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => call(u, 'PUT', '/cart/fill', { items: contents[i % 3] })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(12).fill(200));
    const final = contentOf(await getCart(u));
    const candidates = contents.map((c) => Object.fromEntries(c.map((l) => [l.sku, l.quantity])));
    expect(candidates).toContainEqual(final);
  });

  it('concurrent puts of different items into one new cart all land', async () => {
    const u = await freshUser();
    const skus = ['sword', 'shield', 'gold-pack', 'gift'];
    const results = await Promise.all(
      skus.map((sku) => call(u, 'PUT', `/cart/item/${sku}`, { quantity: 2 })),
    );
    expect(results.map((r) => r.statusCode)).toEqual([204, 204, 204, 204]);
    const cart = await getCart(u);
    expect(contentOf(cart)).toEqual({ sword: 2, shield: 2, 'gold-pack': 2, gift: 2 });
    expect((await getCart(u)).cart_id).toBe(cart.cart_id); // one current cart, not one per racing request
  });
});
