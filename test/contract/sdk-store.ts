/**
 * A store holding every item type an official SDK decodes, built through the admin API of a fresh tenant, and
 * a buyer who has bought through every purchase path — so each answer an SDK decodes has something in it:
 *
 * - currencies: `gold` (image, description, real price) and `gems` (nothing optional: no image, no description);
 * - virtual goods: `sword` (everything: localized texts, media, attributes, groups, periods, limits with a
 *   recurrent schedule, real and virtual prices, custom attributes), `potion` (consumable, sold only for gems:
 *   `price: null`), `freebie` (free), `vip` (time-limited), `amulet` (no image, no description);
 * - a currency package `gold_pack` (no image);
 * - standard bundles `starter` (goods and a currency) and `chest` (the package and `starter`: nested package and
 *   bundle content, as the demo's `treasure_chest`); both without image;
 * - a game `quest` without image, with a Steam key (codes uploaded), a DRM-free key and a pre-order key;
 * - two groups (one nested) and an attribute on several items.
 *
 * The buyer then has bought through every path an SDK uses — items paid on the pay station (`done`), an item for
 * virtual currency, a free item, orders from the current cart, a cart by id and a free cart — and holds open
 * carts, an inventory (goods, currencies, the time-limited item) and an entitlement to `quest` (its DRM-free key).
 */
import { expect } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createTenant, type Tenant } from '../helpers/app.js';
import { uploadCodes } from '../integration/games-helpers.js';

const usd = (amount: number) => [{ amount, currency: 'USD', is_default: true, is_enabled: true }];

const rarity = {
  external_id: 'rarity',
  name: { en: 'Rarity' },
  values: [{ external_id: 'epic', value: { en: 'Epic' } }],
};

export interface SdkStore {
  app: FastifyInstance;
  t: Tenant;
  /** The buyer's id (JWT `sub`). */
  userId: string;
  /** The buyer's JWT. */
  token: string;
  /** Id of an open cart of the buyer (sword and gold_pack); the current cart holds the same. */
  cartId: string;
  /** Orders of the buyer: paid with money (done), with gems (done), free (done), from the cart (new). */
  orders: { real: number; virtual: number; free: number; cart: number };
  /** Answers of the buyer's writes (fills, order creations) by operationId, in the order they were made. */
  writes: Record<string, LightMyRequestResponse[]>;
  /** A call as the buyer to `/api/v2/project/<id><path>`. */
  user(method: InjectOptions['method'], path: string, body?: unknown): Promise<LightMyRequestResponse>;
  /** An anonymous GET of `/api/v2/project/<id><path>`. */
  anon(path: string): Promise<LightMyRequestResponse>;
}

const must = (res: LightMyRequestResponse, status: number, what: string) =>
  expect(res.statusCode, `${what}: ${res.body}`).toBe(status);

/** Builds the store and the buyer's history in a fresh tenant of `app`. */
export async function buildSdkStore(app: FastifyInstance): Promise<SdkStore> {
  const t = await createTenant(app);
  const post = async (path: string, body: object) => must(await t.adminCall('POST', path, body), 201, path);
  await post('/admin/items/groups', { external_id: 'weapons', name: { en: 'Weapons' }, order: 1 });
  await post('/admin/items/groups', {
    external_id: 'blades',
    name: { en: 'Blades' },
    parent_external_id: 'weapons',
    order: 2,
  });

  await post('/admin/items/virtual_currency', {
    sku: 'gold',
    name: { en: 'Gold' },
    description: { en: 'Shiny coins' },
    image_url: 'https://cdn.example.com/gold.png',
    prices: usd(0.01),
    groups: ['weapons'],
    attributes: [rarity],
  });
  await post('/admin/items/virtual_currency', { sku: 'gems', name: { en: 'Gems' } });
  await post('/admin/items/virtual_currency/package', {
    sku: 'gold_pack',
    name: { en: 'Gold pack' },
    description: { en: '100 gold' },
    prices: usd(0.99),
    content: [{ sku: 'gold', quantity: 100 }],
    groups: ['weapons'],
  });
  await post('/admin/items/virtual_items', {
    sku: 'sword',
    name: { en: 'Sword', de: 'Schwert' },
    description: { en: 'A sharp sword' },
    long_description: { en: 'Forged in the north' },
    image_url: 'https://cdn.example.com/sword.png',
    media_list: [{ type: 'image', url: 'https://cdn.example.com/sword-1.png' }],
    groups: ['weapons', 'blades'],
    attributes: [rarity],
    prices: usd(9.99),
    vc_prices: [{ sku: 'gold', amount: 100, is_default: true }],
    limits: {
      per_user: { total: 5 },
      per_item: 1000,
      recurrent_schedule: { per_user: { interval_type: 'weekly', day_of_week: 1, time: '02:00:00+03:00' } },
    },
    periods: [{ date_from: '2020-01-01T00:00:00+03:00', date_until: '2099-12-31T20:00:00+03:00' }],
    custom_attributes: { damage: 42 },
    order: 1,
  });
  await post('/admin/items/virtual_items', {
    sku: 'potion',
    name: { en: 'Potion' },
    groups: ['weapons'],
    vc_prices: [{ sku: 'gems', amount: 5, is_default: true }],
    inventory_options: { consumable: { usages_count: 1 } },
    limits: { per_user: { total: 50 } },
  });
  await post('/admin/items/virtual_items', { sku: 'freebie', name: { en: 'Freebie' }, is_free: true });
  await post('/admin/items/virtual_items', {
    sku: 'vip',
    name: { en: 'VIP pass' },
    prices: usd(4.99),
    groups: ['weapons'],
    inventory_options: { consumable: null, expiration_period: { type: 'day', value: 30 } },
  });
  await post('/admin/items/virtual_items', { sku: 'amulet', name: { en: 'Amulet' }, prices: usd(1) });
  await post('/admin/items/bundle', {
    sku: 'starter',
    name: { en: 'Starter kit' },
    description: { en: 'Sword, potions and gold' },
    prices: usd(12.99),
    vc_prices: [{ sku: 'gold', amount: 500, is_default: true }],
    content: [
      { sku: 'sword', quantity: 1 },
      { sku: 'potion', quantity: 3 },
      { sku: 'gold', quantity: 50 },
    ],
    attributes: [rarity],
    groups: ['weapons'],
    is_show_in_store: true,
  });
  await post('/admin/items/bundle', {
    sku: 'chest',
    name: { en: 'Treasure chest' },
    description: { en: 'Packs and kits' },
    prices: usd(29.99),
    content: [
      { sku: 'gold_pack', quantity: 10 },
      { sku: 'starter', quantity: 2 },
      { sku: 'amulet', quantity: 1 },
    ],
    is_show_in_store: true,
  });
  await post('/admin/items/game', {
    sku: 'quest',
    name: { en: 'Quest' },
    description: { en: 'A game' },
    groups: ['weapons'],
    attributes: [rarity],
    unit_items: [
      { sku: 'quest_steam', drm_sku: 'steam_key_1', prices: usd(19.99), groups: ['weapons'] },
      { sku: 'quest_free', drm_sku: 'drmfree', prices: usd(14.99) },
      {
        sku: 'quest_gog',
        drm_sku: 'gog',
        prices: usd(9.5),
        pre_order: { is_enabled: true, release_date: '2031-01-01T00:00:00+00:00', description: 'Soon' },
      },
    ],
  });
  must(await uploadCodes(app, t, 'sku/quest_steam', ['S-1', 'S-2']), 200, 'upload steam codes');
  must(await uploadCodes(app, t, 'sku/quest_free', ['F-1', 'F-2']), 200, 'upload drm-free codes');

  const userId = `buyer-${t.projectId}`;
  const token = await t.userToken(userId);
  const base = `/api/v2/project/${t.projectId}`;
  const user = (method: InjectOptions['method'], path: string, body?: unknown) =>
    app.inject({
      method,
      url: `${base}${path}`,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  const anon = (path: string) => app.inject({ method: 'GET', url: `${base}${path}` });
  const writes: Record<string, LightMyRequestResponse[]> = {};
  /** A write as the buyer, kept as an answer of `operation`; asserts 200. */
  const write = async (operation: string, method: InjectOptions['method'], path: string, body: unknown) => {
    const res = await user(method, path, body);
    must(res, 200, `${operation} ${path}`);
    (writes[operation] ??= []).push(res);
    return res.json() as Record<string, unknown>;
  };
  const pay = async (orderToken: unknown) =>
    must(await app.inject({ method: 'POST', url: `/api/paystation/${String(orderToken)}/pay` }), 200, 'pay');
  const cartBody = {
    items: [
      { sku: 'sword', quantity: 1 },
      { sku: 'gold_pack', quantity: 2 },
    ],
  };

  // the time-limited item, paid on the pay station
  let order = await write('create-order-with-item', 'POST', '/payment/item/vip', { sandbox: true });
  await pay(order.token);
  const real = order.order_id as number;
  // the DRM-free key: a code and an entitlement
  order = await write('create-order-with-item', 'POST', '/payment/item/quest_free', {});
  await pay(order.token);
  // the starter kit: goods and gold in the inventory
  order = await write('create-order-with-item', 'POST', '/payment/item/starter', {});
  await pay(order.token);
  // gems, then a potion for gems
  await app.services.inventory.creditBalance(t.projectId, userId, 'gems', 100);
  order = await write(
    'create-order-with-item-for-virtual-currency',
    'POST',
    '/payment/item/potion/virtual/gems',
    {},
  );
  const virtual = order.order_id as number;
  order = await write('create-free-order-with-item', 'POST', '/free/item/freebie', {});
  const free = order.order_id as number;
  // orders from carts: the current cart, a cart by id, a free cart (left unpaid)
  await write('cart-fill', 'PUT', '/cart/fill', cartBody);
  order = await write('create-order', 'POST', '/payment/cart', {});
  const cart = order.order_id as number;
  await write('cart-fill-by-id', 'PUT', '/cart/sdk-cart-1/fill', cartBody);
  await write('create-order-by-cart-id', 'POST', '/payment/cart/sdk-cart-1', {});
  await write('cart-fill', 'PUT', '/cart/fill', { items: [{ sku: 'freebie', quantity: 1 }] });
  await write('create-free-order', 'POST', '/free/cart', {});
  // carts left open for the reads
  await write('cart-fill', 'PUT', '/cart/fill', cartBody);
  await write('cart-fill-by-id', 'PUT', '/cart/sdk-cart-2/fill', cartBody);

  return {
    app,
    t,
    userId,
    token,
    cartId: 'sdk-cart-2',
    orders: { real, virtual, free, cart },
    writes,
    user,
    anon,
  };
}
