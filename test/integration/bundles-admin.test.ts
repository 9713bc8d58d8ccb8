/**
 * Bundles admin (endpoints.tsv group bundles-admin, 9 operations; docs/decisions/0007-bundles.md): create,
 * read, list (all, by group id, by group external id), replace, delete, show/hide; the spec's body and view
 * formats (string amounts, `virtual_prices`, `quantity` and `is_show_in_store` defaults); what may be content;
 * no cycles; virtual currency packages stay out of the bundle endpoints; a failed write changes nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;

beforeAll(async () => {
  app = await testApp();
});
afterAll(async () => app.close());

const currency = (sku: string, extra: object = {}) => ({ sku, name: { en: sku }, ...extra });
const usd = (amount: number | string, extra: object = {}) => ({
  amount,
  currency: 'USD',
  is_default: true,
  is_enabled: true,
  ...extra,
});

/** A minimal valid bundle body. */
const bundle = (sku: string, content: { sku: string; quantity?: number }[], extra: object = {}) => ({
  sku,
  name: { en: `Bundle ${sku}` },
  description: { en: `About ${sku}` },
  content,
  ...extra,
});

/** A tenant with two groups, a currency, three goods and a currency package. */
async function store(): Promise<{ t: Tenant; groupIds: Record<string, number> }> {
  const t = await createTenant(app);
  const groupIds: Record<string, number> = {};
  for (const external_id of ['chests', 'empty']) {
    const row = await app.services.database.db
      .insertInto('item_groups')
      .values({
        project_id: t.projectId,
        external_id,
        name: JSON.stringify({ en: external_id }),
        parent_group_id: null,
        description: null,
        image_url: null,
      })
      .returning('group_id')
      .executeTakeFirstOrThrow();
    groupIds[external_id] = row.group_id;
  }
  const must = async (path: string, body: object) => {
    const res = await t.adminCall('POST', path, body);
    expect(res.statusCode, `${path}: ${res.body}`).toBe(201);
  };
  await must(
    '/admin/items/virtual_currency',
    currency('gold', {
      description: { en: 'Main currency' },
      image_url: 'https://cdn.example.com/gold.png',
      prices: [usd(1)],
    }),
  );
  await must('/admin/items/virtual_items', {
    sku: 'shield',
    name: { en: 'Shield', de: 'Schild' },
    prices: [usd(9.99)],
  });
  await must('/admin/items/virtual_items', { sku: 'helmet', name: { en: 'Helmet' }, prices: [usd(1.99)] });
  await must('/admin/items/virtual_items', { sku: 'boots', name: { en: 'Boots' }, prices: [usd(4.5)] });
  await must('/admin/items/virtual_currency/package', {
    sku: 'gold_pack',
    name: { en: 'Gold pack' },
    description: { en: '100 gold' },
    prices: [usd(7.99)],
    content: [{ sku: 'gold', quantity: 100 }],
  });
  return { t, groupIds };
}

describe('admin-create-bundle and admin-get-bundle', () => {
  let t: Tenant;
  beforeAll(async () => ({ t } = await store()));

  it('creates a bundle (201 {sku}) and reads it back in the spec format', async () => {
    const res = await t.adminCall(
      'POST',
      '/admin/items/bundle',
      bundle('chest', [{ sku: 'shield' }, { sku: 'helmet', quantity: 3 }, { sku: 'gold', quantity: 50 }], {
        long_description: { 'en-US': 'A chest of armour' },
        image_url: 'https://cdn.example.com/chest.png',
        groups: ['chests'],
        prices: [usd('19.99'), { amount: 17.5, currency: 'EUR', country_iso: 'DE', is_default: false }],
        vc_prices: [{ sku: 'gold', amount: 20, is_default: true }],
        custom_attributes: { rarity: 'epic' },
        order: 3,
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ sku: 'chest' });

    const got = await t.adminCall('GET', '/admin/items/bundle/sku/chest');
    expect(got.statusCode).toBe(200);
    const view = got.json();
    expect(view).toMatchObject({
      sku: 'chest',
      type: 'bundle',
      bundle_type: 'standard',
      name: { en: 'Bundle chest' },
      description: { en: 'About chest' },
      long_description: { en: 'A chest of armour' },
      image_url: 'https://cdn.example.com/chest.png',
      groups: [{ external_id: 'chests', name: { en: 'chests' } }],
      prices: [
        { amount: '19.99', currency: 'USD', is_default: true, is_enabled: true },
        { amount: '17.50', currency: 'EUR', country_iso: 'DE', is_default: false, is_enabled: true },
      ],
      virtual_prices: [
        {
          sku: 'gold',
          type: 'virtual_currency',
          name: { en: 'gold' },
          description: { en: 'Main currency' },
          image_url: 'https://cdn.example.com/gold.png',
          amount: '20',
          is_default: true,
        },
      ],
      is_enabled: true,
      is_show_in_store: false, // the spec's default for bundles
      order: 3,
      custom_attributes: { rarity: 'epic' },
      // 9.99 + 3 × 1.99 + 50 × 1.00, in the default price's currency
      total_content_price: { amount: '65.96', amount_without_discount: '65.96', currency: 'USD' },
    });
    expect(
      view.content.map((c: { sku: string; quantity: number; type: string }) => [c.sku, c.type, c.quantity]),
    ).toEqual([
      ['shield', 'virtual_good', 1],
      ['helmet', 'virtual_good', 3],
      ['gold', 'virtual_currency', 50],
    ]);
    expect(view.content[0]).toMatchObject({
      name: { en: 'Shield', de: 'Schild' },
      item_id: expect.any(Number),
    });
    expect(view).not.toHaveProperty('vc_prices');
  });

  it('accepts other bundles and packages as content, and shows is_show_in_store when asked', async () => {
    const res = await t.adminCall(
      'POST',
      '/admin/items/bundle',
      bundle(
        'treasure',
        [
          { sku: 'chest', quantity: 2 },
          { sku: 'gold_pack', quantity: 10 },
        ],
        {
          is_show_in_store: true,
          prices: [usd(99)],
        },
      ),
    );
    expect(res.statusCode, res.body).toBe(201);
    const view = (await t.adminCall('GET', '/admin/items/bundle/sku/treasure')).json();
    expect(view.is_show_in_store).toBe(true);
    expect(view.prices[0].amount).toBe('99.00');
    expect(view.content.map((c: { sku: string; type: string }) => [c.sku, c.type])).toEqual([
      ['chest', 'bundle'],
      ['gold_pack', 'bundle'],
    ]);
    // the chest counts with its own price (19.99 × 2), the pack with its own (7.99 × 10)
    expect(view.total_content_price).toEqual({
      amount: '119.88',
      amount_without_discount: '119.88',
      currency: 'USD',
    });
  });

  it('refuses a taken sku with 422/4002', async () => {
    const res = await t.adminCall('POST', '/admin/items/bundle', bundle('shield', [{ sku: 'helmet' }]));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ statusCode: 422, errorCode: 4002 });
  });

  it.each([
    ['no content', { content: undefined }, 'content'],
    ['empty content', { content: [] }, 'content'],
    ['an unknown content sku', { content: [{ sku: 'nothing' }] }, 'content[0].sku'],
    [
      'a content sku listed twice',
      { content: [{ sku: 'shield' }, { sku: 'shield', quantity: 2 }] },
      'content[1].sku',
    ],
    ['a zero quantity', { content: [{ sku: 'shield', quantity: 0 }] }, 'content[0].quantity'],
    ['the bundle itself as content', { content: [{ sku: 'new_one' }] }, 'content[0].sku'],
    ['bundle_type partner_side_content', { bundle_type: 'partner_side_content' }, 'bundle_type'],
    ['bundle_type virtual_currency_package', { bundle_type: 'virtual_currency_package' }, 'bundle_type'],
    ['a zero price', { prices: [usd('0.00')] }, 'prices[0].amount'],
    ['a price that is not a number', { prices: [usd('9,99')] }, 'prices[0].amount'],
    ['no description', { description: undefined }, 'description'],
    ['an unknown virtual currency', { vc_prices: [{ sku: 'shield', amount: 5 }] }, 'vc_prices[0].sku'],
  ])('refuses %s with 422/1102 and creates nothing', async (_what, patch, property) => {
    const body = { ...bundle('new_one', [{ sku: 'shield' }]), ...patch };
    const res = await t.adminCall('POST', '/admin/items/bundle', body);
    expect(res.statusCode, res.body).toBe(422);
    const err = res.json();
    expect(err).toMatchObject({ statusCode: 422, errorCode: 1102 });
    expect(err.errorMessage).toMatch(/^\[0401-1102\]: /);
    expect(err.errorMessageExtended?.[0]?.property ?? '').toContain(property.split('[')[0]);
    expect((await t.adminCall('GET', '/admin/items/bundle/sku/new_one')).statusCode).toBe(404);
  });

  it('refuses a game (the unit, not its keys) as content', async () => {
    await app.services.database.db
      .insertInto('items')
      .values({
        project_id: t.projectId,
        sku: 'a_game',
        type: 'game',
        unit_type: 'game',
        name: JSON.stringify({ en: 'Game' }),
        media_list: '[]',
        is_enabled: true,
        is_show_in_store: true,
        is_free: false,
        is_paid_randomized_reward: false,
        order: 1,
      })
      .execute();
    const res = await t.adminCall('POST', '/admin/items/bundle', bundle('with_game', [{ sku: 'a_game' }]));
    expect(res.statusCode).toBe(422);
    expect(res.json().errorMessageExtended[0].property).toBe('content[0].sku');
  });

  it('answers 404/4001 for an unknown sku and for a virtual currency package', async () => {
    for (const sku of ['nothing', 'gold_pack', 'shield']) {
      const res = await t.adminCall('GET', `/admin/items/bundle/sku/${sku}`);
      expect(res.statusCode, sku).toBe(404);
      expect(res.json()).toMatchObject({ statusCode: 404, errorCode: 4001 });
    }
  });
});

describe('admin-update-bundle', () => {
  let t: Tenant;
  beforeAll(async () => {
    ({ t } = await store());
    for (const b of [
      bundle('a', [{ sku: 'shield' }], {
        prices: [usd(10)],
        limits: { per_user: 2 },
        groups: ['chests'],
        is_show_in_store: true,
      }),
      bundle('b', [{ sku: 'a', quantity: 2 }]),
      bundle('c', [{ sku: 'b' }]),
    ]) {
      const res = await t.adminCall('POST', '/admin/items/bundle', b);
      expect(res.statusCode, res.body).toBe(201);
    }
  });

  it('replaces the bundle: fields left out are removed (204)', async () => {
    const res = await t.adminCall(
      'PUT',
      '/admin/items/bundle/sku/a',
      bundle('a', [{ sku: 'helmet', quantity: 4 }]),
    );
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    const view = (await t.adminCall('GET', '/admin/items/bundle/sku/a')).json();
    expect(view).toMatchObject({
      prices: [],
      groups: [],
      is_show_in_store: false,
      limits: { per_user: null, per_item: null, recurrent_schedule: null },
      // without a price of its own, the total is in the currency of the content's prices
      total_content_price: { amount: '7.96', amount_without_discount: '7.96', currency: 'USD' },
    });
    expect(view.content.map((c: { sku: string; quantity: number }) => [c.sku, c.quantity])).toEqual([
      ['helmet', 4],
    ]);
  });

  it('renames through the body sku, and refuses renaming onto a taken sku (422/4002)', async () => {
    const ok = await t.adminCall('PUT', '/admin/items/bundle/sku/c', bundle('c2', [{ sku: 'b' }]));
    expect(ok.statusCode, ok.body).toBe(204);
    expect((await t.adminCall('GET', '/admin/items/bundle/sku/c')).statusCode).toBe(404);
    expect((await t.adminCall('GET', '/admin/items/bundle/sku/c2')).statusCode).toBe(200);
    const taken = await t.adminCall('PUT', '/admin/items/bundle/sku/c2', bundle('shield', [{ sku: 'b' }]));
    expect(taken.statusCode).toBe(422);
    expect(taken.json().errorCode).toBe(4002);
  });

  it('refuses a content that would hold the bundle itself, directly or nested (422/1102), changing nothing', async () => {
    const before = (await t.adminCall('GET', '/admin/items/bundle/sku/a')).json();
    for (const content of [[{ sku: 'a' }], [{ sku: 'b' }], [{ sku: 'helmet' }, { sku: 'c2' }]]) {
      const res = await t.adminCall('PUT', '/admin/items/bundle/sku/a', bundle('a', content));
      expect(res.statusCode, JSON.stringify(content)).toBe(422);
      expect(res.json()).toMatchObject({ errorCode: 1102 });
    }
    expect((await t.adminCall('GET', '/admin/items/bundle/sku/a')).json()).toEqual(before);
  });

  it('answers 404/4001 for an unknown bundle and for a package, and keeps the package as it was', async () => {
    for (const sku of ['nothing', 'gold_pack']) {
      const res = await t.adminCall(
        'PUT',
        `/admin/items/bundle/sku/${sku}`,
        bundle(sku, [{ sku: 'shield' }]),
      );
      expect(res.statusCode, sku).toBe(404);
      expect(res.json().errorCode).toBe(4001);
    }
    const pack = (await t.adminCall('GET', '/admin/items/virtual_currency/package/sku/gold_pack')).json();
    expect(pack.bundle_type).toBe('virtual_currency_package');
    expect(pack.content.map((c: { sku: string }) => c.sku)).toEqual(['gold']);
  });

  it('refuses an invalid body with 422 and keeps the bundle', async () => {
    const before = (await t.adminCall('GET', '/admin/items/bundle/sku/b')).json();
    const res = await t.adminCall('PUT', '/admin/items/bundle/sku/b', bundle('b', [{ sku: 'nothing' }]));
    expect(res.statusCode).toBe(422);
    expect((await t.adminCall('GET', '/admin/items/bundle/sku/b')).json()).toEqual(before);
  });
});

describe('admin-delete-bundle and content deletion', () => {
  let t: Tenant;
  beforeAll(async () => {
    ({ t } = await store());
    for (const b of [
      bundle('inner', [{ sku: 'shield' }]),
      bundle('outer', [{ sku: 'inner' }, { sku: 'helmet' }]),
    ]) {
      expect((await t.adminCall('POST', '/admin/items/bundle', b)).statusCode).toBe(201);
    }
  });

  it('refuses to delete an item or a bundle while a bundle contains it (422), keeping both', async () => {
    const item = await t.adminCall('DELETE', '/admin/items/virtual_items/sku/helmet');
    expect(item.statusCode).toBe(422);
    expect(item.json().errorMessage).toContain('outer');
    const inner = await t.adminCall('DELETE', '/admin/items/bundle/sku/inner');
    expect(inner.statusCode).toBe(422);
    expect(inner.json().errorCode).toBe(1102);
    expect((await t.adminCall('GET', '/admin/items/virtual_items/sku/helmet')).statusCode).toBe(200);
    expect((await t.adminCall('GET', '/admin/items/bundle/sku/inner')).statusCode).toBe(200);
  });

  it('deletes a bundle (204), after which its content can be deleted', async () => {
    const res = await t.adminCall('DELETE', '/admin/items/bundle/sku/outer');
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await t.adminCall('GET', '/admin/items/bundle/sku/outer')).statusCode).toBe(404);
    expect((await t.adminCall('DELETE', '/admin/items/bundle/sku/inner')).statusCode).toBe(204);
    expect((await t.adminCall('DELETE', '/admin/items/virtual_items/sku/helmet')).statusCode).toBe(204);
  });

  it('answers 404/4001 for an unknown bundle and for a package (which stays)', async () => {
    for (const sku of ['outer', 'gold_pack']) {
      const res = await t.adminCall('DELETE', `/admin/items/bundle/sku/${sku}`);
      expect(res.statusCode, sku).toBe(404);
      expect(res.json().errorCode).toBe(4001);
    }
    expect((await t.adminCall('GET', '/admin/items/virtual_currency/package/sku/gold_pack')).statusCode).toBe(
      200,
    );
  });
});

describe('admin-show-bundle and admin-hide-bundle', () => {
  let t: Tenant;
  beforeAll(async () => {
    ({ t } = await store());
    expect(
      (
        await t.adminCall(
          'POST',
          '/admin/items/bundle',
          bundle('chest', [{ sku: 'shield' }], { prices: [usd(5)] }),
        )
      ).statusCode,
    ).toBe(201);
  });

  const listed = async () =>
    ((await catalogGet(app, t.projectId, '/items/bundle')).json().items as { sku: string }[]).map(
      (i) => i.sku,
    );

  it('shows a hidden bundle (204): it enters the catalog; hiding takes it out again', async () => {
    expect(await listed()).toEqual([]);
    const shown = await t.adminCall('PUT', '/admin/items/bundle/sku/chest/show');
    expect(shown.statusCode).toBe(204);
    expect(shown.body).toBe('');
    expect((await t.adminCall('GET', '/admin/items/bundle/sku/chest')).json().is_show_in_store).toBe(true);
    expect(await listed()).toEqual(['chest']);
    expect((await catalogGet(app, t.projectId, '/items/bundle/sku/chest')).statusCode).toBe(200);

    const hidden = await t.adminCall('PUT', '/admin/items/bundle/sku/chest/hide');
    expect(hidden.statusCode).toBe(204);
    expect((await t.adminCall('GET', '/admin/items/bundle/sku/chest')).json().is_show_in_store).toBe(false);
    expect(await listed()).toEqual([]);
    expect((await catalogGet(app, t.projectId, '/items/bundle/sku/chest')).statusCode).toBe(404);
  });

  it('is idempotent and changes nothing else', async () => {
    const before = (await t.adminCall('GET', '/admin/items/bundle/sku/chest')).json();
    expect((await t.adminCall('PUT', '/admin/items/bundle/sku/chest/hide')).statusCode).toBe(204);
    expect((await t.adminCall('PUT', '/admin/items/bundle/sku/chest/hide')).statusCode).toBe(204);
    expect((await t.adminCall('GET', '/admin/items/bundle/sku/chest')).json()).toEqual(before);
  });

  it('answers 404/4001 for an unknown bundle, a package or a virtual good (which keep their flag)', async () => {
    for (const sku of ['nothing', 'gold_pack', 'shield']) {
      for (const action of ['show', 'hide']) {
        const res = await t.adminCall('PUT', `/admin/items/bundle/sku/${sku}/${action}`);
        expect(res.statusCode, `${sku} ${action}`).toBe(404);
        expect(res.json().errorCode).toBe(4001);
      }
    }
    expect((await t.adminCall('GET', '/admin/items/virtual_items/sku/shield')).json().is_show_in_store).toBe(
      true,
    );
  });
});

describe('admin bundle lists', () => {
  let t: Tenant;
  let groupIds: Record<string, number>;
  beforeAll(async () => {
    ({ t, groupIds } = await store());
    // created in this order; `order` 1 for all → newest first in the plain list
    for (const [sku, groups] of [
      ['b1', ['chests']],
      ['b2', []],
      ['b3', ['chests']],
    ] as const) {
      const res = await t.adminCall(
        'POST',
        '/admin/items/bundle',
        bundle(sku, [{ sku: 'shield' }], { groups }),
      );
      expect(res.statusCode, res.body).toBe(201);
    }
  });

  const skus = (body: { items: { sku: string }[] }) => body.items.map((i) => i.sku);

  it('lists standard bundles only (not packages), newest first, with paging', async () => {
    const all = await t.adminCall('GET', '/admin/items/bundle');
    expect(all.statusCode).toBe(200);
    expect(skus(all.json())).toEqual(['b3', 'b2', 'b1']);
    expect(all.json().items.every((i: { bundle_type: string }) => i.bundle_type === 'standard')).toBe(true);
    expect(skus((await t.adminCall('GET', '/admin/items/bundle?limit=2&offset=0')).json())).toEqual([
      'b3',
      'b2',
    ]);
    expect(skus((await t.adminCall('GET', '/admin/items/bundle?limit=2&offset=2')).json())).toEqual(['b1']);
    expect(skus((await t.adminCall('GET', '/admin/items/bundle?offset=3')).json())).toEqual([]);
    expect((await t.adminCall('GET', '/admin/items/bundle?limit=0')).statusCode).toBe(422);
  });

  it('lists a group by external id and by id, in group order', async () => {
    const byExt = await t.adminCall('GET', '/admin/items/bundle/group/external_id/chests');
    expect(byExt.statusCode).toBe(200);
    expect(skus(byExt.json())).toEqual(['b1', 'b3']);
    const byId = await t.adminCall('GET', `/admin/items/bundle/group/id/${groupIds.chests}?limit=1&offset=1`);
    expect(byId.statusCode).toBe(200);
    expect(skus(byId.json())).toEqual(['b3']);
    expect(skus((await t.adminCall('GET', `/admin/items/bundle/group/id/${groupIds.empty}`)).json())).toEqual(
      [],
    );
  });

  it('answers 404/4403 for an unknown group', async () => {
    for (const path of [
      '/admin/items/bundle/group/external_id/nope',
      '/admin/items/bundle/group/id/999999999',
    ]) {
      const res = await t.adminCall('GET', path);
      expect(res.statusCode, path).toBe(404);
      expect(res.json()).toMatchObject({ statusCode: 404, errorCode: 4403 });
    }
  });

  it("never shows another project's bundles", async () => {
    const other = await createTenant(app);
    expect(skus((await other.adminCall('GET', '/admin/items/bundle')).json())).toEqual([]);
    expect((await other.adminCall('GET', '/admin/items/bundle/sku/b1')).statusCode).toBe(404);
  });
});
