/**
 * Contract of carts (endpoints.tsv groups cart-client-side and cart-server-side, 12 operations): every response
 * of every operation — carts holding every kind of item (a virtual good with attributes, limits, periods and
 * virtual prices, a consumable sold for virtual currency only refused, a currency, a package, a game key, a free
 * item), fills with warnings, the errors the spec documents — is validated against the official spec for its
 * status. Statuses the spec does not list (401 of the client calls, 404 of an unknown cart id) are checked
 * against the error envelope only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { basic, testApp } from '../helpers/app.js';
import { gameBody, uploadCodes } from '../integration/games-helpers.js';
import { ContractRecorder, type ContractGroup } from './contract.js';
import { buildCatalog, type CatalogFixture } from './fixture.js';
import { SKIP_NOTE, specAvailable } from './spec.js';

if (!specAvailable) console.warn(SKIP_NOTE);

const GROUPS: ContractGroup[] = ['cart-client-side', 'cart-server-side'];

describe.skipIf(!specAvailable)('contract: carts', () => {
  let app: FastifyInstance;
  let f: CatalogFixture;
  let userToken: string;
  const rec = new ContractRecorder();

  const call = (method: InjectOptions['method'], path: string, payload?: unknown, headers?: object) =>
    app.inject({
      method,
      url: `/api/v2/project/${f.t.projectId}${path}`,
      headers: { authorization: `Bearer ${userToken}`, ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const adminFill = (path: string, payload: unknown, headers: object = {}) =>
    app.inject({
      method: 'PUT',
      url: `/api/v2/admin/project/${f.t.projectId}${path}`,
      headers: { ...f.t.admin, 'x-user-for': userToken, ...headers },
      payload: payload as object,
    });
  const full = [
    { sku: 'sword', quantity: 2 },
    { sku: 'gold', quantity: 100 },
    { sku: 'gold-pack', quantity: 1 },
    { sku: 'quest_steam', quantity: 1 },
    { sku: 'gift', quantity: 1 },
  ];

  beforeAll(async () => {
    app = await testApp();
    f = await buildCatalog(app, rec);
    const game = await f.t.adminCall('POST', '/admin/items/game', gameBody('quest'));
    expect(game.statusCode, game.body).toBe(201);
    expect((await uploadCodes(app, f.t, 'sku/quest_steam', ['K-1', 'K-2'])).statusCode).toBeLessThan(300);
    const gift = await f.t.adminCall('POST', '/admin/items/virtual_items', {
      sku: 'gift',
      name: { en: 'Gift' },
      is_free: true,
    });
    expect(gift.statusCode, gift.body).toBe(201);
    userToken = await f.t.userToken('contract-cart-user');
  });
  afterAll(async () => app?.close());

  it('get-user-cart: an empty cart, then a cart with every kind of item, localized and in two currencies', async () => {
    const empty = await call('GET', '/cart');
    expect(empty.statusCode).toBe(200);
    rec.check('get-user-cart', empty);
    const filled = await call('PUT', '/cart/fill', { items: full });
    expect(filled.statusCode, filled.body).toBe(200);
    for (const q of ['', '?locale=de', '?currency=EUR&country=DE', '?currency=JPY']) {
      const res = await call('GET', `/cart${q}`);
      expect(res.statusCode).toBe(200);
      const body = rec.check('get-user-cart', res) as { items: unknown[] };
      expect(body.items).toHaveLength(full.length);
    }
    const anonymous = await app.inject({ method: 'GET', url: `/api/v2/project/${f.t.projectId}/cart` });
    expect(anonymous.statusCode).toBe(401);
    rec.check('get-user-cart', anonymous, { undocumented: true });
  });

  it('get-cart-by-id: own cart (200); unknown or foreign id answers 404 (envelope only)', async () => {
    const id = (await call('GET', '/cart')).json().cart_id as string;
    const res = await call('GET', `/cart/${id}?locale=de`);
    expect(res.statusCode).toBe(200);
    rec.check('get-cart-by-id', res);
    const other = await app.inject({
      method: 'GET',
      url: `/api/v2/project/${f.t.projectId}/cart/${id}`,
      headers: { authorization: `Bearer ${await f.t.userToken('someone-else')}` },
    });
    expect(other.statusCode).toBe(404);
    rec.check('get-cart-by-id', other, { undocumented: true });
  });

  it('cart-fill and cart-fill-by-id: 200 with warnings; 422 for a bad quantity (envelope only)', async () => {
    const withWarnings = [...full, { sku: 'no-such-item', quantity: 1 }, { sku: 'potion', quantity: 1 }];
    const res = await call('PUT', '/cart/fill', { items: withWarnings });
    expect(res.statusCode).toBe(200);
    const body = rec.check('cart-fill', res) as { warnings: unknown[] };
    expect(body.warnings).toHaveLength(2);
    const byId = await call('PUT', '/cart/contract-side-cart/fill?locale=de', { items: withWarnings });
    expect(byId.statusCode).toBe(200);
    rec.check('cart-fill-by-id', byId);
    const bad = await call('PUT', '/cart/fill', { items: [{ sku: 'sword', quantity: -1 }] });
    expect(bad.statusCode).toBe(422);
    rec.check('cart-fill', bad, { undocumented: true });
    const badById = await call('PUT', '/cart/contract-side-cart/fill', {
      items: [{ sku: 'sword', quantity: 0.5 }],
    });
    expect(badById.statusCode).toBe(422);
    rec.check('cart-fill-by-id', badById, { undocumented: true });
  });

  it('put-item: 204, 404 (unknown item), 422 (not for a cart; negative quantity)', async () => {
    const ok = await call('PUT', '/cart/item/sword', { quantity: 3 });
    expect(ok.statusCode).toBe(204);
    rec.check('put-item', ok);
    const missing = await call('PUT', '/cart/item/no-such-item', { quantity: 1 });
    expect(missing.statusCode).toBe(404);
    rec.check('put-item', missing);
    const vcOnly = await call('PUT', '/cart/item/potion', { quantity: 1 });
    expect(vcOnly.statusCode).toBe(422);
    expect(vcOnly.json().errorCode).toBe(1421);
    rec.check('put-item', vcOnly);
    const negative = await call('PUT', '/cart/item/sword', { quantity: -1 });
    expect(negative.statusCode).toBe(422);
    rec.check('put-item', negative);
  });

  it('put-item-by-cart-id: 204, 404 (unknown item), 422 (quantity; not for a cart)', async () => {
    const ok = await call('PUT', '/cart/contract-side-cart/item/gold-pack', { quantity: 2 });
    expect(ok.statusCode).toBe(204);
    rec.check('put-item-by-cart-id', ok);
    const missing = await call('PUT', '/cart/contract-side-cart/item/no-such-item', { quantity: 1 });
    expect(missing.statusCode).toBe(404);
    rec.check('put-item-by-cart-id', missing);
    const fractional = await call('PUT', '/cart/contract-side-cart/item/sword', { quantity: 1.5 });
    expect(fractional.statusCode).toBe(422);
    expect(fractional.json().errorMessage).toBe('[0401-1102]: Item quantity must be non-negative integer');
    rec.check('put-item-by-cart-id', fractional);
    const vcOnly = await call('PUT', '/cart/contract-side-cart/item/potion', { quantity: 1 });
    expect(vcOnly.statusCode).toBe(422);
    rec.check('put-item-by-cart-id', vcOnly);
    const view = await call('GET', '/cart/contract-side-cart');
    rec.check('get-cart-by-id', view);
  });

  it('delete-item and delete-item-by-cart-id: 204, 404 when the item is not in the cart', async () => {
    const ok = await call('DELETE', '/cart/item/sword');
    expect(ok.statusCode).toBe(204);
    rec.check('delete-item', ok);
    const again = await call('DELETE', '/cart/item/sword');
    expect(again.statusCode).toBe(404);
    rec.check('delete-item', again);
    const okById = await call('DELETE', '/cart/contract-side-cart/item/gold-pack');
    expect(okById.statusCode).toBe(204);
    rec.check('delete-item-by-cart-id', okById);
    const missingById = await call('DELETE', '/cart/contract-side-cart/item/gold-pack');
    expect(missingById.statusCode).toBe(404);
    rec.check('delete-item-by-cart-id', missingById);
  });

  it('cart-clear and cart-clear-by-id: 204; an unknown cart id is 404 (envelope only)', async () => {
    const ok = await call('PUT', '/cart/clear');
    expect(ok.statusCode).toBe(204);
    rec.check('cart-clear', ok);
    const okById = await call('PUT', '/cart/contract-side-cart/clear');
    expect(okById.statusCode).toBe(204);
    rec.check('cart-clear-by-id', okById);
    const unknown = await call('PUT', '/cart/no-such-cart/clear');
    expect(unknown.statusCode).toBe(404);
    rec.check('cart-clear-by-id', unknown, { undocumented: true });
    rec.check('get-user-cart', await call('GET', '/cart'));
  });

  it('admin-cart-fill: 200, 401 (wrong key), 404 (no user), 422 (invalid body)', async () => {
    const ok = await adminFill('/cart/fill?locale=de', { items: full, currency: 'USD', country: 'US' });
    expect(ok.statusCode, ok.body).toBe(200);
    rec.check('admin-cart-fill', ok);
    const withWarnings = await adminFill(
      '/cart/fill',
      {
        items: [
          { sku: 'quest_steam', quantity: 1 },
          { sku: 'sword', quantity: 1 },
        ],
      },
      { 'x-user-for': '', 'x-user-id': 'studio-user-1' },
    );
    expect(withWarnings.statusCode, withWarnings.body).toBe(200);
    expect(withWarnings.json().warnings).toHaveLength(1);
    rec.check('admin-cart-fill', withWarnings);
    const wrongKey = await adminFill(
      '/cart/fill',
      { items: full },
      {
        authorization: basic(f.t.projectId, 'wrong-key'),
      },
    );
    expect(wrongKey.statusCode).toBe(401);
    rec.check('admin-cart-fill', wrongKey);
    const noUser = await adminFill('/cart/fill', { items: full }, { 'x-user-for': 'not-a-token' });
    expect(noUser.statusCode).toBe(404);
    rec.check('admin-cart-fill', noUser);
    const invalid = await adminFill('/cart/fill', { items: [] });
    expect(invalid.statusCode).toBe(422);
    rec.check('admin-cart-fill', invalid);
  });

  it('admin-fill-cart-by-id: 200, 401 (wrong key), 404 (no user; a cart of another user), 422', async () => {
    const ok = await adminFill('/cart/contract-admin-cart/fill', {
      items: full,
      currency: 'EUR',
      country: 'DE',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    rec.check('admin-fill-cart-by-id', ok);
    const wrongKey = await adminFill(
      '/cart/contract-admin-cart/fill',
      { items: full },
      {
        authorization: basic(f.t.projectId, 'wrong-key'),
      },
    );
    expect(wrongKey.statusCode).toBe(401);
    rec.check('admin-fill-cart-by-id', wrongKey);
    const noUser = await adminFill(
      '/cart/contract-admin-cart/fill',
      { items: full },
      { 'x-user-for': 'nope' },
    );
    expect(noUser.statusCode).toBe(404);
    rec.check('admin-fill-cart-by-id', noUser);
    const foreign = await adminFill(
      '/cart/contract-admin-cart/fill',
      { items: full },
      {
        'x-user-for': await f.t.userToken('another-user'),
      },
    );
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().errorCode).toBe(1401);
    rec.check('admin-fill-cart-by-id', foreign);
    const invalid = await adminFill('/cart/contract-admin-cart/fill', {
      items: [{ sku: 'sword', quantity: 0 }],
    });
    expect(invalid.statusCode).toBe(422);
    rec.check('admin-fill-cart-by-id', invalid);
  });

  it('covers every operation of the two groups and every documented status', () => {
    rec.expectCovered(GROUPS);
  });
});
