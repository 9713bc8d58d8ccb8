/**
 * Purchase limits enforced on every purchase path (docs/decisions/0018-purchase-limits-pre-orders.md): per-user limits
 * (with and without a reset schedule), global `per_item` stock and its reserved/sold accounting, release on
 * cancel and expiry, voiding of a user's other unpaid orders when one is paid, no restore on refund, and the
 * live catalog view (anonymous and personalized).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGet, testApp } from '../helpers/app.js';
import { shopFixture, type ShopFixture } from './orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;

beforeAll(async () => {
  app = await testApp();
  f = await shopFixture(app);
});
afterAll(async () => app.close());

const base = {
  inventory_options: { consumable: { usages_count: 1 } },
  prices: [{ amount: 1, currency: 'USD', is_default: true }],
  vc_prices: [{ sku: 'gold', amount: 1 }],
};
async function limited(sku: string, limits: unknown, extra: Record<string, unknown> = {}) {
  const res = await f.t.adminCall('POST', '/admin/items/virtual_items', {
    sku,
    name: { en: sku },
    ...base,
    limits,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
}
const adminItem = async (sku: string) =>
  (await f.t.adminCall('GET', `/admin/items/virtual_items/sku/${sku}`)).json();
const buyVc = (user: string, sku: string) => f.user(user, 'POST', `/payment/item/${sku}/virtual/gold`, {});
const order = (user: string, sku: string, quantity = 1) =>
  f.user(user, 'POST', `/payment/item/${sku}`, { quantity });
const statusOf = async (orderId: number) =>
  (
    await app.services.database.db
      .selectFrom('orders')
      .select('status')
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow()
  ).status;

describe('per-user limits', () => {
  it("concurrent catalog reads of many users each show that user's own count (lookups batched)", async () => {
    await limited('torch', { per_user: 5 });
    const users = Array.from({ length: 12 }, (_, i) => `batch_${i}`);
    for (const [i, u] of users.entries()) {
      await f.credit(u, 10);
      for (let k = 0; k < i % 4; k++) expect((await buyVc(u, 'torch')).statusCode).toBe(200);
    }
    const tokens = await Promise.all(users.map((u) => f.token(u)));
    const pages = await Promise.all(
      [...tokens, ...tokens].map((t) => catalogGet(app, f.t.projectId, '/items/virtual_items/sku/torch', t)),
    );
    pages.forEach((res, n) => {
      const i = n % users.length;
      expect(res.statusCode).toBe(200);
      expect(res.json().limits.per_user, users[i]).toMatchObject({ total: 5, available: 5 - (i % 4) });
    });
  });

  it('a user buys up to the limit; the next purchase is 422/1411 and changes nothing', async () => {
    await limited('badge', { per_user: 2 });
    await f.credit('ann', 100);
    expect((await buyVc('ann', 'badge')).statusCode).toBe(200);
    expect((await buyVc('ann', 'badge')).statusCode).toBe(200);
    const third = await buyVc('ann', 'badge');
    expect(third.statusCode, third.body).toBe(422);
    expect(third.json()).toMatchObject({ statusCode: 422, errorCode: 1411 });
    expect(third.json().errorMessage).toMatch(/^\[0401-1411\]: Invalid item/);
    expect(await f.gold('ann')).toBe(98);
    expect(await f.held('ann', 'badge')).toBe(2);
    // another user has their own count
    await f.credit('bob', 5);
    expect((await buyVc('bob', 'badge')).statusCode).toBe(200);
  });

  it('counts unpaid orders, releases them on cancel, and refuses a quantity above the limit', async () => {
    await limited('cape', { per_user: { total: 3 } });
    expect((await order('cid', 'cape', 4)).statusCode).toBe(422);
    const a = await order('cid', 'cape', 2);
    expect(a.statusCode, a.body).toBe(200);
    expect((await order('cid', 'cape', 2)).statusCode).toBe(422);
    const one = await order('cid', 'cape', 1);
    expect(one.statusCode).toBe(200);
    // the buyer cancels the first order in the pay station: its 2 come back
    const cancel = await f.anon('POST', `/paystation/${a.json().token}/cancel`);
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(await statusOf(a.json().order_id)).toBe('canceled');
    expect((await order('cid', 'cape', 2)).statusCode).toBe(200);
  });

  it('the user-limit admin calls read and change what a user may still buy', async () => {
    await limited('helm', { per_user: 5 });
    await f.credit('dan', 10);
    await buyVc('dan', 'helm');
    const path = '/admin/user/limit/item/sku/helm';
    const get = await f.t.adminCall('GET', `${path}?user_external_id=dan`);
    expect(get.statusCode).toBe(200);
    expect(get.json()).toEqual({ per_user: { total: 5, available: 4 } });
    expect(
      (await f.t.adminCall('POST', path, { user: { user_external_id: 'dan' }, available: 1 })).json(),
    ).toEqual({
      per_user: { total: 5, available: 5 },
    });
    const over = await f.t.adminCall('POST', path, { user: { user_external_id: 'dan' }, available: 1 });
    expect(over.statusCode).toBe(422);
    expect(over.json().errorCode).toBe(4510);
    expect(
      (await f.t.adminCall('DELETE', path, { user: { user_external_id: 'dan' }, available: 5 })).json(),
    ).toEqual({
      per_user: { total: 5, available: 0 },
    });
    expect((await buyVc('dan', 'helm')).statusCode).toBe(422);
    expect(
      (await f.t.adminCall('PUT', path, { user: { user_external_id: 'dan' }, available: 2 })).json(),
    ).toEqual({
      per_user: { total: 5, available: 2 },
    });
    const tooMany = await f.t.adminCall('PUT', path, { user: { user_external_id: 'dan' }, available: 6 });
    expect(tooMany.json().errorCode).toBe(4510);
    expect(
      (await f.t.adminCall('DELETE', `${path}/all`, { user: { user_external_id: 'dan' } })).statusCode,
    ).toBe(200);
    expect((await f.t.adminCall('GET', `${path}?user_external_id=dan`)).json().per_user.available).toBe(5);
    await buyVc('dan', 'helm');
    expect(
      (await f.t.adminCall('DELETE', '/admin/user/limit/item/all', { user: { user_external_id: 'dan' } }))
        .statusCode,
    ).toBe(200);
    expect((await f.t.adminCall('GET', `${path}?user_external_id=dan`)).json().per_user.available).toBe(5);
    // an item without a per-user limit: 4508; an unknown sku: 4001
    const none = await f.t.adminCall('GET', '/admin/user/limit/item/sku/sword?user_external_id=dan');
    expect(none.statusCode).toBe(422);
    expect(none.json()).toMatchObject({
      errorCode: 4508,
      errorMessage: '[0401-4508]: Item does not have configured user limits.',
    });
    expect(
      (await f.t.adminCall('GET', '/admin/user/limit/item/sku/nope?user_external_id=dan')).json().errorCode,
    ).toBe(4001);
  });
});

describe('global stock (per_item)', () => {
  it('reserves at order creation, releases on expiry, sells on payment — available/reserved/sold stay exact', async () => {
    await limited('relic_box', { per_item: 3 });
    const a = await order('eve', 'relic_box', 2);
    expect(a.statusCode, a.body).toBe(200);
    expect((await adminItem('relic_box')).limits.per_item).toEqual({
      total: 3,
      available: 1,
      reserved: 2,
      sold: 0,
    });
    expect((await order('fay', 'relic_box', 2)).statusCode).toBe(422);
    // expire eve's order: the 2 come back
    await app.services.database.db
      .updateTable('orders')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('order_id', '=', a.json().order_id)
      .execute();
    expect(await app.services.orders.expireDue()).toBeGreaterThanOrEqual(1);
    expect((await adminItem('relic_box')).limits.per_item).toEqual({
      total: 3,
      available: 3,
      reserved: 0,
      sold: 0,
    });
    await f.credit('fay', 10);
    expect((await buyVc('fay', 'relic_box')).statusCode).toBe(200);
    expect((await adminItem('relic_box')).limits.per_item).toEqual({
      total: 3,
      available: 2,
      reserved: 0,
      sold: 1,
    });
  });

  it('the catalog shows the live stock and can_be_bought: false once it is gone', async () => {
    await limited('last_one', { per_item: 1 });
    const before = await catalogGet(app, f.t.projectId, '/items/virtual_items/sku/last_one');
    expect(before.json()).toMatchObject({
      can_be_bought: true,
      limits: { per_item: { total: 1, available: 1 } },
    });
    await f.credit('gus', 5);
    expect((await buyVc('gus', 'last_one')).statusCode).toBe(200);
    const after = await catalogGet(app, f.t.projectId, '/items/virtual_items/sku/last_one');
    expect(after.json()).toMatchObject({
      can_be_bought: false,
      limits: { per_item: { total: 1, available: 0 } },
    });
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const list = await catalogGet(app, f.t.projectId, '/items/virtual_items?limit=50');
    expect(list.json().items.find((i: { sku: string }) => i.sku === 'last_one')).toMatchObject({
      can_be_bought: false,
    });
  });
});

describe('admin PUT of a limited item', () => {
  it('keeps what unpaid orders reserved and what was sold', async () => {
    await limited('banner', { per_item: 3 });
    expect((await order('jon', 'banner', 2)).statusCode).toBe(200);
    const put = await f.t.adminCall('PUT', '/admin/items/virtual_items/sku/banner', {
      sku: 'banner',
      name: { en: 'Banner' },
      ...base,
      limits: { per_item: 5 },
    });
    expect(put.statusCode, put.body).toBe(204);
    expect((await adminItem('banner')).limits.per_item).toEqual({
      total: 5,
      available: 3,
      reserved: 2,
      sold: 0,
    });
  });
});

describe('paying voids the other unpaid orders; refunds do not restore', () => {
  it("paying one order for a limited item cancels the same user's other unpaid orders for it", async () => {
    await limited('crown', { per_user: 5 });
    const a = (await order('hal', 'crown', 1)).json();
    const b = (await order('hal', 'crown', 1)).json();
    const pay = await f.anon('POST', `/paystation/${a.token}/pay`);
    expect(pay.statusCode, pay.body).toBe(200);
    expect(await statusOf(a.order_id)).toBe('done');
    expect(await statusOf(b.order_id)).toBe('canceled');
    const get = await f.t.adminCall('GET', '/admin/user/limit/item/sku/crown?user_external_id=hal');
    expect(get.json().per_user).toEqual({ total: 5, available: 4 });
    // a refund does not restore the limit (spec/NOTES.md)
    const refund = await f.t.adminCall(
      'POST',
      `/api/itemshop/v1/project/${f.t.projectId}/admin/order/${a.order_id}/refund`,
    );
    expect(refund.statusCode, refund.body).toBe(200);
    expect(await statusOf(a.order_id)).toBe('canceled');
    const again = await f.t.adminCall('GET', '/admin/user/limit/item/sku/crown?user_external_id=hal');
    expect(again.json().per_user).toEqual({ total: 5, available: 4 });
  });
});

describe('personalized catalog', () => {
  it('shows per_user.available to the user; hides an exhausted item without reset schedule', async () => {
    await limited('ring', {
      per_user: 2,
      recurrent_schedule: { per_user: { interval_type: 'daily', time: '02:00:00+03:00' } },
    });
    await limited('amulet', { per_user: 1 });
    await limited('gem', {
      per_user: { total: 1, limit_exceeded_visibility: 'hide' },
      recurrent_schedule: { per_user: { interval_type: 'weekly', time: '00:00:00+00:00' } },
    });
    await f.credit('ivy', 10);
    for (const sku of ['ring', 'amulet', 'gem']) expect((await buyVc('ivy', sku)).statusCode).toBe(200);
    const token = await f.token('ivy');
    const ring = await catalogGet(app, f.t.projectId, '/items/virtual_items/sku/ring', token);
    expect(ring.json()).toMatchObject({
      can_be_bought: true,
      limits: { per_user: { total: 2, available: 1 } },
    });
    expect(ring.json().limits.per_user.recurrent_schedule.interval_type).toBe('daily');
    expect(typeof ring.json().limits.per_user.recurrent_schedule.reset_next_date).toBe('number');
    const anon = await catalogGet(app, f.t.projectId, '/items/virtual_items/sku/ring');
    expect(anon.json().limits.per_user).toMatchObject({ total: 2, available: 2 });
    await buyVc('ivy', 'ring');
    const list = await catalogGet(app, f.t.projectId, '/items/virtual_items?limit=50', token);
    const skus = list.json().items.map((i: { sku: string }) => i.sku);
    expect(skus).toContain('ring'); // show (default) with a schedule: listed, cannot be bought
    expect(list.json().items.find((i: { sku: string }) => i.sku === 'ring')).toMatchObject({
      can_be_bought: false,
      limits: { per_user: { available: 0 } },
    });
    expect(skus).not.toContain('amulet'); // no schedule: not listed once exhausted
    expect(skus).not.toContain('gem'); // hide
    expect((await catalogGet(app, f.t.projectId, '/items/virtual_items/sku/gem', token)).statusCode).toBe(
      404,
    );
    // anonymous readers still see all three
    const anonList = (await catalogGet(app, f.t.projectId, '/items/virtual_items?limit=50'))
      .json()
      .items.map((i: { sku: string }) => i.sku);
    expect(anonList).toEqual(expect.arrayContaining(['ring', 'amulet', 'gem']));
  });
});
