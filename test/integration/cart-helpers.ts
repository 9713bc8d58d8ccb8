/**
 * Helpers of the cart tests: a store catalog built through the admin API (goods priced in USD and EUR, a good
 * sold only for virtual currency, a free good, a hidden, a disabled and an expired good, a currency package, a
 * game with a Steam key that has codes), and calls of the cart operations as a user or a guest.
 */
import { expect } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createTenant, type Tenant } from '../helpers/app.js';
import { gameBody, uploadCodes } from './games-helpers.js';

export const usd = (amount: number | string) => ({
  amount,
  currency: 'USD',
  is_default: true,
  is_enabled: true,
});

/** The catalog every cart test file starts from. */
export async function cartCatalog(app: FastifyInstance): Promise<Tenant> {
  const t = await createTenant(app);
  const create = async (path: string, body: Record<string, unknown>) => {
    const res = await t.adminCall('POST', path, body);
    expect(res.statusCode, `${path} ${String(body.sku)}: ${res.body}`).toBe(201);
  };
  await app.services.database.db
    .insertInto('item_groups')
    .values({
      project_id: t.projectId,
      external_id: 'weapons',
      name: JSON.stringify({ en: 'Weapons', de: 'Waffen' }),
      parent_group_id: null,
      image_url: null,
    })
    .execute();
  await create('/admin/items/virtual_currency', { sku: 'gold', name: { en: 'Gold' }, prices: [usd(0.99)] });
  await create('/admin/items/virtual_items', {
    sku: 'sword',
    name: { en: 'Sword', de: 'Schwert' },
    description: { en: 'A sharp sword', de: 'Ein scharfes Schwert' },
    groups: ['weapons'],
    prices: [usd(9.99), { amount: 8.5, currency: 'EUR', country_iso: 'DE', is_enabled: true }],
    vc_prices: [{ sku: 'gold', amount: 100, is_default: true }],
    limits: { per_user: 5 },
  });
  await create('/admin/items/virtual_items', {
    sku: 'shield',
    name: { en: 'Shield' },
    prices: [usd(0.1)],
    inventory_options: { consumable: { usages_count: 3 } },
  });
  await create('/admin/items/virtual_items', {
    sku: 'potion',
    name: { en: 'Potion' },
    vc_prices: [{ sku: 'gold', amount: 5, is_default: true }],
  });
  await create('/admin/items/virtual_items', { sku: 'gift', name: { en: 'Gift' }, is_free: true });
  await create('/admin/items/virtual_items', {
    sku: 'hidden',
    name: { en: 'Hidden' },
    prices: [usd(1)],
    is_show_in_store: false,
  });
  await create('/admin/items/virtual_items', {
    sku: 'disabled',
    name: { en: 'Disabled' },
    prices: [usd(1)],
    is_enabled: false,
  });
  await create('/admin/items/virtual_items', {
    sku: 'expired',
    name: { en: 'Expired' },
    prices: [usd(1)],
    periods: [{ date_from: '2020-01-01T00:00:00Z', date_until: '2021-01-01T00:00:00Z' }],
  });
  await create('/admin/items/virtual_currency/package', {
    sku: 'gold-pack',
    name: { en: 'Pile of gold' },
    description: { en: '500 gold' },
    prices: [usd(4.99)],
    content: [{ sku: 'gold', quantity: 500 }],
  });
  const game = await t.adminCall('POST', '/admin/items/game', gameBody('quest'));
  expect(game.statusCode, game.body).toBe(201);
  const upload = await uploadCodes(app, t, 'sku/quest_steam', ['AAAA-1111', 'BBBB-2222', 'CCCC-3333']);
  expect(upload.statusCode, upload.body).toBeLessThan(300);
  return t;
}

/** Auth headers of a user (JWT) or a guest (`x-unauthorized-id` + base64 `x-user`). */
export type Caller = Record<string, string>;

export async function userOf(t: Tenant, userId: string): Promise<Caller> {
  return { authorization: `Bearer ${await t.userToken(userId)}` };
}

export const guestOf = (id: string, email = `${id}@example.com`): Caller => ({
  'x-unauthorized-id': id,
  'x-user': Buffer.from(email).toString('base64'),
});

/** Calls a client cart path (`/cart…`, relative to the project) as `caller`. */
export function cartCall(
  app: FastifyInstance,
  t: Tenant,
  caller: Caller,
  method: InjectOptions['method'],
  path: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url: `/api/v2/project/${t.projectId}${path}`,
    headers: { ...caller, ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/** A server-side fill (`/admin/project/<id>/cart[/<cart_id>]/fill`) with the user headers given. */
export function adminFill(
  app: FastifyInstance,
  t: Tenant,
  userHeaders: Record<string, string>,
  payload: unknown,
  cartId?: string,
  query = '',
): Promise<LightMyRequestResponse> {
  const path = cartId === undefined ? 'cart/fill' : `cart/${cartId}/fill`;
  return app.inject({
    method: 'PUT',
    url: `/api/v2/admin/project/${t.projectId}/${path}${query}`,
    headers: { ...t.admin, ...userHeaders },
    payload: payload as object,
  });
}

/** A cart line as the tests look at it. */
export interface CartLineView {
  sku: string;
  name: string;
  quantity: number;
  is_free: boolean;
  can_be_bought: boolean;
  price: { amount: string; amount_without_discount: string; currency: string } | null;
  [k: string]: unknown;
}

export interface CartBody {
  cart_id: string;
  is_free: boolean;
  price: { amount: string; amount_without_discount: string; currency: string } | null;
  items: CartLineView[];
  warnings?: { sku: string; quantity: number; errorCode: number; errorMessage: string }[];
}

/** `{sku: quantity}` of a cart body. */
export const contentOf = (body: CartBody) => Object.fromEntries(body.items.map((i) => [i.sku, i.quantity]));
