/**
 * What the catalog lists and in which order (seed-details §8 rules 5–7): `order` asc with newer items first on
 * ties; disabled and hidden items never listed; items outside their sale `periods` listed only with
 * `show_inactive_time_limited_items=1`, and then not buyable; a period that starts or ends takes effect at that
 * instant (DESIGN §4: the snapshot expires at period boundaries).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp();
});
afterAll(async () => app.close());

const price = [{ amount: 2, currency: 'USD', is_default: true }];
const item = (sku: string, extra: Record<string, unknown> = {}) => ({
  sku,
  name: { en: sku },
  prices: price,
  ...extra,
});

async function create(t: Tenant, body: object, path = '/admin/items/virtual_items') {
  const res = await t.adminCall('POST', path, body);
  expect(res.statusCode, res.body).toBe(201);
}

const skus = (res: { json(): { items: { sku: string }[] } }) => res.json().items.map((i) => i.sku);

describe('catalog order', () => {
  let t: Tenant;
  beforeAll(async () => {
    t = await createTenant(app);
    for (const [sku, order] of [
      ['a', 2],
      ['b', 1],
      ['c', 1],
      ['d', 3],
      ['e', 1],
      ['f', 0],
    ] as const) {
      await create(t, item(sku, { order }));
    }
  });

  it('lists by `order` ascending, newer items first when equal', async () => {
    expect(skus(await catalogGet(app, t.projectId, '/items/virtual_items'))).toEqual([
      'f',
      'e',
      'c',
      'b',
      'a',
      'd',
    ]);
    expect(skus(await catalogGet(app, t.projectId, '/items'))).toEqual(['f', 'e', 'c', 'b', 'a', 'd']);
  });

  it('returns `order` only when asked through additional_fields[]', async () => {
    const plain = (await catalogGet(app, t.projectId, '/items/virtual_items')).json();
    expect(plain.items[0]).not.toHaveProperty('order');
    const withOrder = (
      await catalogGet(app, t.projectId, '/items/virtual_items?additional_fields[]=order')
    ).json();
    expect(withOrder.items.map((i: { order: number }) => i.order)).toEqual([0, 1, 1, 1, 2, 3]);
  });

  it('moves an item when an admin changes its order, keeping its age for ties', async () => {
    const res = await t.adminCall('PUT', '/admin/items/virtual_items/sku/b', item('b', { order: 0 }));
    expect(res.statusCode, res.body).toBe(204);
    // b is older than f: equal order 0 → f (newer) first.
    expect(skus(await catalogGet(app, t.projectId, '/items/virtual_items'))).toEqual([
      'f',
      'b',
      'e',
      'c',
      'a',
      'd',
    ]);
  });

  it('interleaves item types in one order in the sellable list', async () => {
    await create(t, { sku: 'gems', name: { en: 'Gems' }, order: 1 }, '/admin/items/virtual_currency');
    const all = skus(await catalogGet(app, t.projectId, '/items'));
    expect(all).toEqual(['f', 'b', 'gems', 'e', 'c', 'a', 'd']);
    expect(skus(await catalogGet(app, t.projectId, '/items/virtual_items'))).not.toContain('gems');
  });
});

describe('catalog visibility', () => {
  let t: Tenant;
  beforeAll(async () => {
    t = await createTenant(app);
    await create(t, item('visible'));
    await create(t, item('disabled', { is_enabled: false }));
    await create(t, item('not_in_store', { is_show_in_store: false }));
    await create(
      t,
      item('disabled_timed', {
        is_enabled: false,
        periods: [{ date_from: '2020-01-01T00:00:00+00:00', date_until: '2020-02-01T00:00:00+00:00' }],
      }),
    );
    await create(
      t,
      item('expired', {
        periods: [{ date_from: '2020-01-01T00:00:00+03:00', date_until: '2021-01-01T00:00:00+03:00' }],
      }),
    );
    await create(
      t,
      item('upcoming', { periods: [{ date_from: '2098-01-01T00:00:00-05:00', date_until: null }] }),
    );
    await create(
      t,
      item('running', {
        periods: [{ date_from: '2020-01-01T00:00:00+00:00', date_until: '2098-01-01T00:00:00+00:00' }],
      }),
    );
    await create(
      t,
      item('open_start', { periods: [{ date_from: null, date_until: '2098-01-01T00:00:00+00:00' }] }),
    );
    await create(
      t,
      item('second_period', {
        periods: [
          { date_from: '2019-01-01T00:00:00+00:00', date_until: '2019-02-01T00:00:00+00:00' },
          { date_from: '2020-01-01T00:00:00+00:00', date_until: null },
        ],
      }),
    );
    await create(
      t,
      { sku: 'hidden_vc', name: { en: 'Hidden VC' }, is_show_in_store: false },
      '/admin/items/virtual_currency',
    );
    await create(
      t,
      { sku: 'off_vc', name: { en: 'Off VC' }, is_enabled: false },
      '/admin/items/virtual_currency',
    );
  });

  it('lists only enabled, shown, currently sold items', async () => {
    const listed = skus(await catalogGet(app, t.projectId, '/items/virtual_items')).sort();
    expect(listed).toEqual(['open_start', 'running', 'second_period', 'visible']);
    expect(skus(await catalogGet(app, t.projectId, '/items')).sort()).toEqual(listed);
    expect(skus(await catalogGet(app, t.projectId, '/items/virtual_currency'))).toEqual([]);
    const all = (await catalogGet(app, t.projectId, '/items/virtual_items/all')).json();
    expect(all.items.map((i: { sku: string }) => i.sku).sort()).toEqual(listed);
  });

  it('marks listed items buyable', async () => {
    for (const i of (await catalogGet(app, t.projectId, '/items/virtual_items')).json().items) {
      expect(i.can_be_bought, i.sku).toBe(true);
    }
  });

  it('adds out-of-period items, not buyable, with show_inactive_time_limited_items=1', async () => {
    const res = await catalogGet(app, t.projectId, '/items/virtual_items?show_inactive_time_limited_items=1');
    const bySku = new Map(res.json().items.map((i: { sku: string; can_be_bought: boolean }) => [i.sku, i]));
    expect([...bySku.keys()].sort()).toEqual([
      'expired',
      'open_start',
      'running',
      'second_period',
      'upcoming',
      'visible',
    ]);
    expect(bySku.get('expired')).toMatchObject({ can_be_bought: false });
    expect(bySku.get('upcoming')).toMatchObject({ can_be_bought: false });
    expect(bySku.get('running')).toMatchObject({ can_be_bought: true });
    // Periods come back in the offset they were entered in.
    expect(bySku.get('expired')).toMatchObject({
      periods: [{ date_from: '2020-01-01T00:00:00+03:00', date_until: '2021-01-01T00:00:00+03:00' }],
    });
    expect(bySku.get('upcoming')).toMatchObject({
      periods: [{ date_from: '2098-01-01T00:00:00-05:00', date_until: null }],
    });
    const zero = await catalogGet(
      app,
      t.projectId,
      '/items/virtual_items?show_inactive_time_limited_items=0',
    );
    expect(skus(zero).sort()).toEqual(['open_start', 'running', 'second_period', 'visible']);
  });

  it('never shows disabled or hidden items, even with show_inactive_time_limited_items=1', async () => {
    const listed = skus(await catalogGet(app, t.projectId, '/items?show_inactive_time_limited_items=1'));
    for (const sku of ['disabled', 'not_in_store', 'disabled_timed', 'hidden_vc', 'off_vc'])
      expect(listed).not.toContain(sku);
  });

  it('answers 404/4001 for a disabled or out-of-period item by sku, and finds it with the flag', async () => {
    for (const sku of ['disabled', 'expired', 'upcoming', 'off_vc']) {
      const path = sku.endsWith('_vc')
        ? `/items/virtual_currency/sku/${sku}`
        : `/items/virtual_items/sku/${sku}`;
      const res = await catalogGet(app, t.projectId, path);
      expect(res.statusCode, sku).toBe(404);
      expect(res.json(), sku).toMatchObject({ statusCode: 404, errorCode: 4001 });
    }
    const expired = await catalogGet(
      app,
      t.projectId,
      '/items/virtual_items/sku/expired?show_inactive_time_limited_items=1',
    );
    expect(expired.statusCode).toBe(200);
    expect(expired.json()).toMatchObject({ sku: 'expired', can_be_bought: false });
    expect((await catalogGet(app, t.projectId, '/items/sku/visible')).json()).toMatchObject({
      sku: 'visible',
      can_be_bought: true,
    });
  });

  it('shows an item again once an admin enables it', async () => {
    const res = await t.adminCall(
      'PUT',
      '/admin/items/virtual_items/sku/disabled',
      item('disabled', { is_enabled: true }),
    );
    expect(res.statusCode).toBe(204);
    expect(skus(await catalogGet(app, t.projectId, '/items/virtual_items'))).toContain('disabled');
  });
});

describe('sale periods over time', () => {
  let clockApp: FastifyInstance;
  let now = Date.parse('2030-06-01T11:00:00Z');
  let t: Tenant;

  beforeAll(async () => {
    clockApp = await testApp({}, { clock: () => now });
    t = await createTenant(clockApp);
    const body = (sku: string, periods: unknown) => ({ sku, name: { en: sku }, prices: price, periods });
    for (const [sku, periods] of [
      ['flash', [{ date_from: '2030-06-01T15:00:00+03:00', date_until: '2030-06-01T16:00:00+03:00' }]], // 12:00–13:00 UTC
      ['always', null],
    ] as const) {
      const res = await t.adminCall('POST', '/admin/items/virtual_items', body(sku, periods));
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => clockApp.close());

  const list = async () => skus(await catalogGet(clockApp, t.projectId, '/items/virtual_items'));

  it('lists an item exactly while its period runs', async () => {
    expect(await list()).toEqual(['always']);
    now = Date.parse('2030-06-01T11:59:59.999Z');
    expect(await list()).toEqual(['always']);
    now = Date.parse('2030-06-01T12:00:00Z');
    expect(await list()).toEqual(['always', 'flash']); // always is newer
    const one = await catalogGet(clockApp, t.projectId, '/items/virtual_items/sku/flash');
    expect(one.json()).toMatchObject({ can_be_bought: true });
    now = Date.parse('2030-06-01T12:59:59Z');
    expect(await list()).toEqual(['always', 'flash']); // always is newer
    now = Date.parse('2030-06-01T13:00:00Z');
    expect(await list()).toEqual(['always']);
    expect((await catalogGet(clockApp, t.projectId, '/items/virtual_items/sku/flash')).statusCode).toBe(404);
  });
});

describe('recurrent limit resets over time', () => {
  let clockApp: FastifyInstance;
  let now = Date.parse('2030-06-01T11:00:00Z');
  let t: Tenant;

  beforeAll(async () => {
    clockApp = await testApp({}, { clock: () => now });
    t = await createTenant(clockApp);
    const res = await t.adminCall('POST', '/admin/items/virtual_items', {
      sku: 'daily_chest',
      name: { en: 'Daily chest' },
      prices: price,
      limits: {
        per_user: { total: 2 },
        recurrent_schedule: { per_user: { interval_type: 'daily', time: '15:00:00+03:00' } },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
  });
  afterAll(async () => clockApp.close());

  const resetDate = async (path: string) => {
    const res = await catalogGet(clockApp, t.projectId, path);
    const body = res.json();
    const item = body.items ? body.items[0] : body;
    return item.limits.per_user.recurrent_schedule.reset_next_date as number;
  };

  it('always shows the next reset date, never one that has passed', async () => {
    for (const path of ['/items/virtual_items', '/items/virtual_items/sku/daily_chest']) {
      now = Date.parse('2030-06-01T11:00:00Z');
      expect(await resetDate(path), path).toBe(Date.parse('2030-06-01T12:00:00Z') / 1000);
      now = Date.parse('2030-06-01T11:59:59Z');
      expect(await resetDate(path), path).toBe(Date.parse('2030-06-01T12:00:00Z') / 1000);
      now = Date.parse('2030-06-01T12:00:00Z');
      expect(await resetDate(path), path).toBe(Date.parse('2030-06-02T12:00:00Z') / 1000);
      now = Date.parse('2030-06-03T18:00:00Z');
      expect(await resetDate(path), path).toBe(Date.parse('2030-06-04T12:00:00Z') / 1000);
    }
  });
});
