/**
 * Fixture of the order, payment and pay station tests: a tenant with a small catalog — a virtual currency
 * (`gold`), a sword for USD (and EUR) or 10 gold, consumable arrows for 0.50 USD or 10 gold, a free potion
 * (consumable), a shield sold only for gold, a disabled relic, a game with a Steam key (three codes) — and the
 * calls a client makes.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createTenant, type Tenant } from '../helpers/app.js';
import { gameBody, uploadCodes } from './games-helpers.js';

export interface ShopFixture {
  app: FastifyInstance;
  t: Tenant;
  /** Creates (once per id) and returns a user JWT. */
  token(userId: string): Promise<string>;
  /** A call as user `userId` (Bearer JWT) to `/api/v2/project/<id><path>`. */
  user(
    userId: string,
    method: InjectOptions['method'],
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** A call as an AuthForCart guest. */
  guest(
    guestId: string,
    email: string,
    method: InjectOptions['method'],
    path: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse>;
  /** A call to `/api<path>` without credentials (pay station JSON endpoints). */
  anon(method: InjectOptions['method'], path: string, body?: unknown): Promise<LightMyRequestResponse>;
  /** Credits `amount` gold to `userId`. */
  credit(userId: string, amount: number): Promise<void>;
  /** The user's gold balance (0 when none). */
  gold(userId: string): Promise<number>;
  /** Quantity of `sku` in the user's inventory (0 when absent). */
  held(userId: string, sku: string): Promise<number>;
}

const must = (res: LightMyRequestResponse, status: number, what: string) =>
  expect(res.statusCode, `${what}: ${res.body}`).toBe(status);

/** Builds the catalog of the fixture in a fresh tenant of `app`. */
export async function shopFixture(app: FastifyInstance): Promise<ShopFixture> {
  const t = await createTenant(app);
  const post = async (path: string, body: unknown) => must(await t.adminCall('POST', path, body), 201, path);
  await post('/admin/items/virtual_currency', { sku: 'gold', name: { en: 'Gold' } });
  await post('/admin/items/virtual_items', {
    sku: 'sword',
    name: { en: 'Sword', de: 'Schwert' },
    prices: [
      { amount: 9.99, currency: 'USD', is_default: true },
      { amount: 8.99, currency: 'EUR' },
    ],
    vc_prices: [{ sku: 'gold', amount: 10, is_default: true }],
  });
  await post('/admin/items/virtual_items', {
    sku: 'potion',
    name: { en: 'Potion' },
    is_free: true,
    inventory_options: { consumable: { usages_count: 1 } },
  });
  await post('/admin/items/virtual_items', {
    sku: 'arrows',
    name: { en: 'Arrows' },
    inventory_options: { consumable: { usages_count: 1 } },
    prices: [{ amount: 0.5, currency: 'USD', is_default: true }],
    vc_prices: [{ sku: 'gold', amount: 10, is_default: true }],
  });
  await post('/admin/items/virtual_items', {
    sku: 'shield',
    name: { en: 'Shield' },
    vc_prices: [{ sku: 'gold', amount: 25, is_default: true }],
  });
  await post('/admin/items/virtual_items', {
    sku: 'relic',
    name: { en: 'Relic' },
    is_enabled: false,
    prices: [{ amount: 1, currency: 'USD', is_default: true }],
  });
  await post('/admin/items/game', gameBody('quest'));
  must(await uploadCodes(app, t, 'sku/quest_steam', ['KEY-1', 'KEY-2', 'KEY-3']), 200, 'upload codes');

  const tokens = new Map<string, string>();
  const token = async (userId: string) => {
    if (!tokens.has(userId)) tokens.set(userId, await t.userToken(userId));
    return tokens.get(userId)!;
  };
  const call = (
    method: InjectOptions['method'],
    url: string,
    headers: Record<string, string>,
    body?: unknown,
  ) => app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
  const base = `/api/v2/project/${t.projectId}`;
  const fixture: ShopFixture = {
    app,
    t,
    token,
    async user(userId, method, path, body, headers = {}) {
      return call(
        method,
        `${base}${path}`,
        { authorization: `Bearer ${await token(userId)}`, ...headers },
        body,
      );
    },
    guest(guestId, email, method, path, body) {
      const headers = { 'x-unauthorized-id': guestId, 'x-user': Buffer.from(email).toString('base64') };
      return call(method, `${base}${path}`, headers, body);
    },
    anon(method, path, body) {
      return call(method, `/api${path}`, {}, body);
    },
    async credit(userId, amount) {
      await app.services.inventory.creditBalance(t.projectId, userId, 'gold', amount);
    },
    async gold(userId) {
      const res = await fixture.user(userId, 'GET', '/user/virtual_currency_balance');
      must(res, 200, 'balance');
      const gold = (res.json().items as { sku: string; amount: number }[]).find((i) => i.sku === 'gold');
      return Number(gold?.amount ?? 0);
    },
    async held(userId, sku) {
      const res = await fixture.user(userId, 'GET', '/user/inventory/items?limit=50');
      must(res, 200, 'inventory');
      const item = (res.json().items as { sku: string; quantity: number | null }[]).find(
        (i) => i.sku === sku,
      );
      return item ? Number(item.quantity ?? 1) : 0;
    },
  };
  return fixture;
}

/** `{order_id, token}` of a paid order of `quantity` swords for `userId` (asserts 200). */
export async function swordOrder(f: ShopFixture, userId: string, body: Record<string, unknown> = {}) {
  const res = await f.user(userId, 'POST', '/payment/item/sword', body);
  must(res, 200, 'create-order-with-item');
  return res.json() as { order_id: number; token: string };
}

/** GET /order/{id} as `userId`. */
export async function orderOf(f: ShopFixture, userId: string, orderId: number) {
  return f.user(userId, 'GET', `/order/${orderId}`);
}
