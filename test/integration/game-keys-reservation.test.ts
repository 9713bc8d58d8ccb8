/**
 * Game keys are reserved when the order is created (issue 13 §1, docs/decisions/0040-game-keys-reserved-at-order-creation.md):
 * every purchase path that can hold a game key (one item, cart, cart by id, guest cart, server-side token, bundle,
 * free, virtual currency) takes the codes from the pool in the order's transaction and is refused with 422/1411
 * when the pool cannot cover them; `has_keys` and the admin counters count reserved codes as taken; expiry,
 * cancellation and voiding give them back; payment delivers exactly the reserved codes. A payment already taken is
 * never refused: when a reserved code or the key itself was deleted while the order was open, the order still
 * settles and the missing delivery is in the admin view, the webhook's `order.comment` and an `error` log line.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { catalogGet, testApp } from '../helpers/app.js';
import { gameBody, keyCounters, uploadCodes, usd } from './games-helpers.js';
import { shopFixture, type ShopFixture } from './orders-fixture.js';
import { waitFor, WebhookReceiver } from './webhooks-helpers.js';

let now = Date.now();
let app: FastifyInstance;
let f: ShopFixture;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await WebhookReceiver.start(() => 204);
  app = await testApp(
    { orderTtlSeconds: 600, orderSweepIntervalSeconds: 0, webhookPollIntervalMs: 50 },
    { clock: () => now },
  );
  await app.ready();
  f = await shopFixture(app);
  const hook = await f.t.adminCall('PUT', '/admin/webhook', {
    url: receiver.url,
    secret: 'keys-secret',
    is_enabled: true,
  });
  expect(hook.statusCode, hook.body).toBe(204);
});
afterAll(async () => {
  await app.close();
  await receiver.close();
});

let games = 0;
/** A new game `g<n>` whose Steam key `g<n>_steam` has `codes` codes (extra fields go to the key); its key sku. */
async function gameWithCodes(codes: number, key: Record<string, unknown> = {}): Promise<string> {
  const sku = `g${++games}`;
  const body = gameBody(sku);
  body.unit_items = [{ ...body.unit_items[0], ...key }];
  const res = await f.t.adminCall('POST', '/admin/items/game', body);
  expect(res.statusCode, res.body).toBe(201);
  if (codes > 0) {
    const codeList = Array.from({ length: codes }, (_, i) => `${sku}-CODE-${i}`);
    const up = await uploadCodes(app, f.t, `sku/${sku}_steam`, codeList);
    expect(up.statusCode, up.body).toBe(200);
  }
  return `${sku}_steam`;
}

const gameOf = (keySku: string) => keySku.replace(/_steam$/, '');
const counters = (keySku: string) => keyCounters(f.t, gameOf(keySku), keySku);
const hasKeys = async (keySku: string) =>
  (await catalogGet(app, f.t.projectId, `/items/game/key/sku/${keySku}`)).json().has_keys as boolean;
const catalogVersion = async () =>
  Number(
    (
      await app.services.database.db
        .selectFrom('projects')
        .select('catalog_version')
        .where('project_id', '=', f.t.projectId)
        .executeTakeFirstOrThrow()
    ).catalog_version,
  );
const buy = (userId: string, sku: string, quantity = 1) =>
  f.user(userId, 'POST', `/payment/item/${sku}`, { quantity });
const adminOrder = (orderId: number) =>
  f.t.adminCall('GET', `/api/itemshop/v1/project/${f.t.projectId}/admin/order/${orderId}`);
const markPaid = (orderId: number) =>
  f.t.adminCall('POST', `/api/itemshop/v1/project/${f.t.projectId}/admin/order/${orderId}/paid`, {});

/**
 * 422/1411 Invalid item: from the reservation (`No game codes left for sku = …`) when the catalog still believed
 * the key had codes, or from the catalog check when it already knew (`has_keys: false`). Either way nothing is
 * written.
 */
function refusedForCodes(res: LightMyRequestResponse, sku: string) {
  expect(res.statusCode, res.body).toBe(422);
  expect(res.json()).toMatchObject({ statusCode: 422, errorCode: 1411 });
  expect(res.json().errorMessage).toMatch(
    new RegExp(
      `^\\[0401-1411\\]: Invalid item(\\. No game codes left for sku = '${sku}'|\\. Item ${sku} cannot be bought now)?$`,
    ),
  );
}

/** The order_paid webhooks received for `orderId` (waits for the first). */
const webhooksOf = (orderId: number) =>
  waitFor('the order_paid webhook', () => (receiver.of(orderId).length ? receiver.of(orderId) : null));

/** Codes held by the order, as the pool rows say. */
async function codesHeldBy(orderId: number) {
  return app.services.database.db
    .selectFrom('game_codes')
    .select(['code', 'reserved', 'claimed_by'])
    .where('order_id', '=', orderId)
    .orderBy('code_id')
    .execute();
}

describe('reservation at order creation', () => {
  it('takes the code when the order is created: has_keys and the counters follow, the next buyer is refused', async () => {
    const key = await gameWithCodes(1);
    expect(await hasKeys(key)).toBe(true);
    const first = await buy('res-ann', key);
    expect(first.statusCode, first.body).toBe(200);
    const orderId = first.json().order_id as number;
    expect(await codesHeldBy(orderId)).toEqual([
      { code: 'g1-CODE-0', reserved: true, claimed_by: 'res-ann' },
    ]);
    expect(await counters(key)).toMatchObject({ total: 1, available: 0, used: 1 });
    expect(await hasKeys(key)).toBe(false);
    refusedForCodes(await buy('res-bob', key), key);
    // paying delivers exactly the reserved code
    const paid = await markPaid(orderId);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'done', undelivered: [] });
    expect(await app.services.inventory.codesOfOrder(undefined, orderId)).toEqual([
      { sku: key, code: 'g1-CODE-0' },
    ]);
    expect(await codesHeldBy(orderId)).toEqual([
      { code: 'g1-CODE-0', reserved: false, claimed_by: 'res-ann' },
    ]);
  });

  it('refuses an order that needs more codes than are left, and reserves nothing', async () => {
    const key = await gameWithCodes(2);
    refusedForCodes(await buy('res-cy', key, 3), key);
    expect(await counters(key)).toMatchObject({ available: 2, used: 0 });
    expect((await buy('res-cy', key, 2)).statusCode).toBe(200);
    expect(await counters(key)).toMatchObject({ available: 0, used: 2 });
  });

  it('expiry of an unpaid order gives its code to the next buyer', async () => {
    const key = await gameWithCodes(1);
    const first = (await buy('res-dan', key)).json();
    refusedForCodes(await buy('res-eve', key), key);
    now += 601_000; // past ORDER_TTL_SECONDS
    expect((await f.user('res-dan', 'GET', `/order/${first.order_id}`)).json().status).toBe('expired');
    expect(await codesHeldBy(first.order_id)).toEqual([]);
    expect(await hasKeys(key)).toBe(true);
    const second = await buy('res-eve', key);
    expect(second.statusCode, second.body).toBe(200);
    const pay = await f.anon('POST', `/paystation/${second.json().token}/pay`);
    expect(pay.statusCode, pay.body).toBe(200);
    expect(await app.services.inventory.codesOfOrder(undefined, second.json().order_id)).toEqual([
      { sku: key, code: 'g3-CODE-0' },
    ]);
    // the expired order cannot be paid any more
    expect((await f.anon('POST', `/paystation/${first.token}/pay`)).statusCode).toBe(409);
  });

  it('cancellation in the pay station gives the code back', async () => {
    const key = await gameWithCodes(1);
    const first = (await buy('res-fay', key)).json();
    expect((await f.anon('POST', `/paystation/${first.token}/cancel`)).statusCode).toBe(200);
    expect(await counters(key)).toMatchObject({ available: 1, used: 0 });
    expect(await hasKeys(key)).toBe(true);
    expect((await buy('res-gus', key)).statusCode).toBe(200);
  });

  it('a paid order voids the buyer’s other unpaid order of a limited key, and its code goes back', async () => {
    const key = await gameWithCodes(3, { limits: { per_user: 2 } });
    const a = (await buy('res-hal', key)).json();
    const b = (await buy('res-hal', key)).json();
    expect(await counters(key)).toMatchObject({ available: 1, used: 2 });
    expect((await markPaid(a.order_id)).statusCode).toBe(200);
    expect((await f.user('res-hal', 'GET', `/order/${b.order_id}`)).json().status).toBe('canceled');
    expect(await codesHeldBy(b.order_id)).toEqual([]);
    expect(await counters(key)).toMatchObject({ available: 2, used: 1 });
  });
});

describe('every path that can hold a game key', () => {
  it('cart: the order reserves the cart’s keys; too many is 422/1411 and the cart stays as it was', async () => {
    const key = await gameWithCodes(1);
    const put = await f.user('res-ida', 'PUT', `/cart/item/${key}`, { quantity: 2 });
    expect(put.statusCode, put.body).toBe(204);
    refusedForCodes(await f.user('res-ida', 'POST', '/payment/cart', {}), key);
    const cart = (await f.user('res-ida', 'GET', '/cart')).json();
    expect(cart.items).toEqual([expect.objectContaining({ sku: key, quantity: 2 })]);
    expect((await f.user('res-ida', 'PUT', `/cart/item/${key}`, { quantity: 1 })).statusCode).toBe(204);
    const ok = await f.user('res-ida', 'POST', `/payment/cart/${cart.cart_id}`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await codesHeldBy(ok.json().order_id)).toHaveLength(1);
  });

  it('guest cart: reserved the same way', async () => {
    const key = await gameWithCodes(1);
    const put = await f.guest('res-guest', 'g@example.com', 'PUT', `/cart/item/${key}`, { quantity: 1 });
    expect(put.statusCode, put.body).toBe(204);
    const ok = await f.guest('res-guest', 'g@example.com', 'POST', '/payment/cart', {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await codesHeldBy(ok.json().order_id)).toEqual([
      expect.objectContaining({ reserved: true, claimed_by: expect.stringMatching(/^guest:res-guest:/) }),
    ]);
    const put2 = await f.guest('res-guest2', 'h@example.com', 'PUT', `/cart/item/${key}`, { quantity: 1 });
    expect(put2.statusCode, put2.body).toBe(204);
    refusedForCodes(await f.guest('res-guest2', 'h@example.com', 'POST', '/payment/cart', {}), key);
  });

  it('server-side payment token: reserved, and refused when the pool is empty', async () => {
    const key = await gameWithCodes(1);
    const body = {
      user: { id: { value: 'res-srv' }, country: { value: 'US' } },
      purchase: { items: [{ sku: key, quantity: 1 }] },
    };
    const url = `/api/v3/project/${f.t.projectId}/admin/payment/token`;
    const ok = await f.t.adminCall('POST', url, body);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await codesHeldBy(ok.json().order_id)).toHaveLength(1);
    // this path names an item that cannot be bought as 1401 with the sku (its existing rule)
    const refused = await f.t.adminCall('POST', url, body);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({
      errorCode: 1401,
      errorMessageExtended: [{ property: 'purchase.items', message: expect.stringContaining(key) }],
    });
  });

  it('a bundle holding a game key reserves its code at creation', async () => {
    const key = await gameWithCodes(1);
    const bundle = await f.t.adminCall('POST', '/admin/items/bundle', {
      sku: `${key}_bundle`,
      name: { en: 'Key bundle' },
      description: { en: 'A key and some gold' },
      prices: usd(25),
      content: [
        { sku: key, quantity: 1 },
        { sku: 'gold', quantity: 5 },
      ],
    });
    expect(bundle.statusCode, bundle.body).toBe(201);
    const ok = await buy('res-jon', `${key}_bundle`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await codesHeldBy(ok.json().order_id)).toHaveLength(1);
    refusedForCodes(await buy('res-kim', `${key}_bundle`), key);
  });

  it('virtual currency: bought and delivered at once; refused without a code, and no currency is taken', async () => {
    const key = await gameWithCodes(1, {
      prices: [],
      vc_prices: [{ sku: 'gold', amount: 5, is_default: true }],
    });
    await f.credit('res-lea', 20);
    const ok = await f.user('res-lea', 'POST', `/payment/item/${key}/virtual/gold`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await codesHeldBy(ok.json().order_id)).toEqual([
      expect.objectContaining({ reserved: false, claimed_by: 'res-lea' }),
    ]);
    refusedForCodes(await f.user('res-lea', 'POST', `/payment/item/${key}/virtual/gold`, {}), key);
    expect(await f.gold('res-lea')).toBe(15);
  });

  it('free: delivered at once; refused without a code', async () => {
    const key = await gameWithCodes(1, { prices: [], is_free: true });
    const ok = await f.user('res-max', 'POST', `/free/item/${key}`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await codesHeldBy(ok.json().order_id)).toEqual([expect.objectContaining({ reserved: false })]);
    refusedForCodes(await f.user('res-ned', 'POST', `/free/item/${key}`, {}), key);
  });
});

describe('a payment already taken is never refused', () => {
  it('the game deleted while the order was open: the order settles, the missing key is recorded and reported', async () => {
    const key = await gameWithCodes(1);
    const order = (await buy('res-oli', key)).json();
    expect((await f.t.adminCall('DELETE', `/admin/items/game/sku/${gameOf(key)}`)).statusCode).toBe(204);
    const errors = vi.spyOn(app.log, 'error');
    try {
      const paid = await markPaid(order.order_id);
      expect(paid.statusCode, paid.body).toBe(200);
      const expected = [
        {
          position: 0,
          sku: key,
          quantity: 1,
          reason: 'item_not_found',
          message: `Item with sku = '${key}' not found`,
        },
      ];
      expect(paid.json()).toMatchObject({ status: 'done', undelivered: expected });
      const view = (await adminOrder(order.order_id)).json();
      expect(view.undelivered).toEqual(expected);
      expect(view.history.map((h: { type: string }) => h.type)).toEqual([
        'created',
        'paid',
        'undelivered',
        'done',
      ]);
      expect((await f.user('res-oli', 'GET', `/order/${order.order_id}`)).json().status).toBe('done');
      expect(errors).toHaveBeenCalledWith(
        expect.objectContaining({ orderId: order.order_id, undelivered: expected }),
        expect.stringContaining(`order ${order.order_id} was paid but could not be fully delivered`),
      );
    } finally {
      errors.mockRestore();
    }
    const [hook] = await webhooksOf(order.order_id);
    expect(hook.body.order).toMatchObject({
      status: 'paid',
      comment: `Not delivered: 1 × ${key} (Item with sku = '${key}' not found)`,
    });
  });

  it('the reserved code deleted and the pool empty: settles with the code recorded as missing', async () => {
    const key = await gameWithCodes(1);
    const order = (await buy('res-pat', key)).json();
    await app.services.database.db.deleteFrom('game_codes').where('order_id', '=', order.order_id).execute();
    const paid = await markPaid(order.order_id);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().undelivered).toEqual([
      {
        position: 0,
        sku: key,
        quantity: 1,
        reason: 'no_game_code',
        message: `No game code left for sku = '${key}'`,
      },
    ]);
    // the game was paid for: the entitlement is given, the code is what is missing
    const games = await f.user('res-pat', 'GET', '/entitlement');
    expect(games.json().items).toEqual([expect.objectContaining({ game_sku: gameOf(key) })]);
    const [hook] = await webhooksOf(order.order_id);
    expect((hook.body.order as { comment?: string | null }).comment).toBe(
      `Not delivered: 1 × ${key} (No game code left for sku = '${key}')`,
    );
  });

  it('the reserved code deleted while another is free: that one is delivered, nothing is missing', async () => {
    const key = await gameWithCodes(1);
    const order = (await buy('res-quin', key)).json();
    await app.services.database.db.deleteFrom('game_codes').where('order_id', '=', order.order_id).execute();
    const up = await uploadCodes(app, f.t, `sku/${key}`, ['LATE-CODE']);
    expect(up.statusCode, up.body).toBe(200);
    const paid = await markPaid(order.order_id);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().undelivered).toEqual([]);
    expect(await app.services.inventory.codesOfOrder(undefined, order.order_id)).toEqual([
      { sku: key, code: 'LATE-CODE' },
    ]);
    const [hook] = await webhooksOf(order.order_id);
    expect((hook.body.order as { comment?: string | null }).comment).toBeNull();
  });

  it('deleting a key’s free codes keeps the codes reserved by open orders', async () => {
    const key = await gameWithCodes(2);
    const order = (await buy('res-ray', key)).json();
    const del = await f.t.adminCall(
      'DELETE',
      `/admin/items/game/key/delete/sku/${key}?user_email=ops%40example.com&reason=cleanup`,
    );
    expect(del.statusCode, del.body).toBe(200);
    expect(await codesHeldBy(order.order_id)).toHaveLength(1);
    expect((await markPaid(order.order_id)).json().undelivered).toEqual([]);
  });
});

// Last in the file: the fixtures above name their games by creation order (g1, g2, …).
describe('availability without a catalog write (issue 14 §3)', () => {
  it('shows the last key sold on the next read (has_keys, can_be_bought false) without a catalog version bump', async () => {
    const key = await gameWithCodes(1);
    const path = `/items/game/key/sku/${key}`;
    const before = await catalogGet(app, f.t.projectId, path);
    expect(before.json()).toMatchObject({ has_keys: true, can_be_bought: true });
    const version = await catalogVersion();
    const first = await buy('res-last', key);
    expect(first.statusCode, first.body).toBe(200);
    const after = await catalogGet(app, f.t.projectId, path);
    expect(after.json()).toMatchObject({ has_keys: false, can_be_bought: false });
    expect(after.headers.etag).not.toBe(before.headers.etag); // an old ETag is not answered 304
    const game = (await catalogGet(app, f.t.projectId, `/items/game/sku/${gameOf(key)}`)).json();
    expect(game.unit_items).toEqual([
      expect.objectContaining({ sku: key, has_keys: false, can_be_bought: false }),
    ]);
    expect(await catalogVersion()).toBe(version); // volatile counters are not catalog configuration
  });
});
