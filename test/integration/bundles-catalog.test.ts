/**
 * Bundles in the client catalog (endpoints.tsv group bundles-catalog, and the sellable-items calls;
 * docs/decisions/0007-bundles.md): only shown, enabled standard bundles are listed; each `content[]` entry is the
 * item's own catalog view plus `quantity` (seed-details §7.2, Appendix X2), nested bundles included;
 * `total_content_price` = Σ content price × quantity in the buyer's currency, null when a content item has no
 * price in it; disabled content is neither shown nor counted, and a bundle left with nothing to deliver cannot
 * be bought; items hidden from the store still count as content.
 */
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;
let t: Tenant;
const ids: Record<string, number> = {};

interface View {
  item_id: number;
  sku: string;
  type: string;
  name: string;
  price: { amount: string; currency: string } | null;
  can_be_bought: boolean;
  bundle_type?: string;
  total_content_price?: { amount: string; amount_without_discount: string; currency: string } | null;
  content?: (View & { quantity: number })[];
  [k: string]: unknown;
}

const usd = (amount: number | string) => ({ amount, currency: 'USD', is_default: true, is_enabled: true });
const get = async (path: string, token?: string) => {
  const res = await catalogGet(app, t.projectId, path, token);
  expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
  return res.json();
};
const skus = (page: { items: View[] }) => page.items.map((i) => i.sku);

async function must(method: 'POST' | 'PUT', path: string, body: object) {
  const res = await t.adminCall(method, path, body);
  expect(res.statusCode, `${method} ${path}: ${res.body}`).toBe(method === 'POST' ? 201 : 204);
}

const bodies = {
  helmet: { sku: 'helmet', name: { en: 'Helmet', de: 'Helm' }, prices: [usd(1.99)], groups: ['armour'] },
  shield: {
    sku: 'shield',
    name: { en: 'Shield', de: 'Schild' },
    description: { en: 'Electric shield' },
    image_url: 'https://cdn.example.com/shield.png',
    groups: ['armour'],
    prices: [usd(9.99), { amount: 8.99, currency: 'EUR', country_iso: 'DE' }],
    vc_prices: [
      { sku: 'gold', amount: 10, is_default: true },
      { sku: 'gems', amount: 3 },
    ],
    attributes: [
      { external_id: 'slot', name: { en: 'Slot' }, values: [{ external_id: 'hand', value: { en: 'Hand' } }] },
    ],
    limits: { per_user: 5 },
  },
};

beforeAll(async () => {
  app = await testApp();
  t = await createTenant(app);
  for (const external_id of ['armour', 'chests']) {
    await app.services.database.db
      .insertInto('item_groups')
      .values({
        project_id: t.projectId,
        external_id,
        name: JSON.stringify({ en: external_id, de: `${external_id}-de` }),
        parent_group_id: null,
        description: null,
        image_url: null,
      })
      .execute();
  }
  await must('POST', '/admin/items/virtual_currency', {
    sku: 'gold',
    name: { en: 'Gold' },
    description: { en: 'Main currency' },
    image_url: 'https://cdn.example.com/gold.png',
    prices: [usd(1)],
  });
  await must('POST', '/admin/items/virtual_currency', { sku: 'gems', name: { en: 'Gems' } });
  await must('POST', '/admin/items/virtual_items', bodies.helmet);
  await must('POST', '/admin/items/virtual_items', bodies.shield);
  await must('POST', '/admin/items/virtual_items', {
    sku: 'potion',
    name: { en: 'Potion' },
    vc_prices: [{ sku: 'gems', amount: 5, is_default: true }],
  });
  await must('POST', '/admin/items/virtual_items', {
    sku: 'secret',
    name: { en: 'Secret sword' },
    prices: [usd(3)],
    is_show_in_store: false,
  });
  await must('POST', '/admin/items/virtual_currency/package', {
    sku: 'gold_pack',
    name: { en: 'Gold pack' },
    description: { en: '100 gold' },
    prices: [usd(7.99)],
    content: [{ sku: 'gold', quantity: 100 }],
  });
  const bundle = (sku: string, content: { sku: string; quantity?: number }[], extra: object = {}) =>
    must('POST', '/admin/items/bundle', {
      sku,
      name: { en: `Bundle ${sku}`, de: `Paket ${sku}` },
      description: { en: `About ${sku}` },
      is_show_in_store: true,
      content,
      ...extra,
    });
  // the seeds' "Chest of armor": 9.99 + 1.99 = 11.98, sold for 19.99
  await bundle('chest', [{ sku: 'shield' }, { sku: 'helmet' }], {
    groups: ['chests'],
    prices: [usd(19.99), { amount: 17.99, currency: 'EUR', country_iso: 'DE' }],
    vc_prices: [{ sku: 'gold', amount: 20, is_default: true }],
    order: 1,
  });
  // like the seeds' "Treasure Chest": nested bundles count with their own price
  await bundle(
    'treasure',
    [{ sku: 'helmet' }, { sku: 'gold_pack', quantity: 10 }, { sku: 'chest', quantity: 2 }],
    {
      groups: ['chests'],
      prices: [usd(9.99)],
      order: 2,
    },
  );
  await bundle('with_secret', [{ sku: 'secret', quantity: 2 }], { prices: [usd(5)], order: 3 });
  await bundle('vc_only', [{ sku: 'shield' }, { sku: 'potion' }], {
    vc_prices: [{ sku: 'gold', amount: 20, is_default: true }],
    order: 4,
  });
  await bundle('hidden', [{ sku: 'helmet' }], {
    prices: [usd(1)],
    is_show_in_store: false,
    groups: ['chests'],
  });
  await bundle('disabled', [{ sku: 'helmet' }], { prices: [usd(1)], is_enabled: false, groups: ['chests'] });
  const rows = await app.services.database.db
    .selectFrom('items')
    .select(['sku', 'item_id'])
    .where('project_id', '=', t.projectId)
    .execute();
  for (const r of rows) ids[r.sku] = r.item_id;
});
afterAll(async () => app.close());

describe('get-bundle-list', () => {
  it('lists the shown, enabled standard bundles only, in catalog order (no packages, no goods)', async () => {
    const page = await get('/items/bundle');
    expect(page.has_more).toBe(false);
    expect(skus(page)).toEqual(['chest', 'treasure', 'with_secret', 'vc_only']);
    for (const b of page.items as View[])
      expect(b).toMatchObject({ type: 'bundle', bundle_type: 'standard' });
    expect(skus(await get('/items/bundle?limit=2&offset=1'))).toEqual(['treasure', 'with_secret']);
    expect((await get('/items/bundle?limit=2&offset=0')).has_more).toBe(true);
    expect((await get('/items/bundle?limit=2&offset=2')).has_more).toBe(false);
  });

  it("renders each content entry as the item's own catalog view plus quantity", async () => {
    const chest = (await get('/items/bundle')).items[0] as View;
    expect(chest.content!.map((c) => [c.sku, c.quantity])).toEqual([
      ['shield', 1],
      ['helmet', 1],
    ]);
    for (const entry of chest.content!) {
      const own = await get(`/items/virtual_items/sku/${entry.sku}`);
      const { promotions: _p, vp_rewards: _v, periods: _pe, ...expected } = own;
      expect(entry).toEqual({ ...expected, quantity: 1 });
    }
    expect(chest.content![0]).toMatchObject({
      name: 'Shield',
      description: 'Electric shield',
      can_be_bought: true,
      virtual_item_type: 'non_consumable',
      price: { amount: '9.99', currency: 'USD' },
      groups: [{ external_id: 'armour', name: 'armour' }],
      attributes: [{ external_id: 'slot', name: 'Slot', values: [{ external_id: 'hand', value: 'Hand' }] }],
      virtual_prices: [
        { sku: 'gold', amount: 10, is_default: true },
        { sku: 'gems', amount: 3, is_default: false, image_url: null, description: null },
      ],
    });
  });

  it('computes total_content_price as the seeds do (9.99 + 1.99 = 11.98) next to the bundle price', async () => {
    const chest = (await get('/items/bundle')).items[0] as View;
    expect(chest.price).toEqual({ amount: '19.99', amount_without_discount: '19.99', currency: 'USD' });
    expect(chest.total_content_price).toEqual({
      amount: '11.98',
      amount_without_discount: '11.98',
      currency: 'USD',
    });
    expect(chest.can_be_bought).toBe(true);
  });

  it('renders nested bundles with their own content and counts them at their own price', async () => {
    const treasure = (await get('/items/bundle')).items[1] as View;
    expect(treasure.content!.map((c) => [c.sku, c.type, c.quantity])).toEqual([
      ['helmet', 'virtual_good', 1],
      ['gold_pack', 'bundle', 10],
      ['chest', 'bundle', 2],
    ]);
    const [, pack, chest] = treasure.content!;
    expect(pack).toMatchObject({
      bundle_type: 'virtual_currency_package',
      price: { amount: '7.99' },
      content: [{ sku: 'gold', type: 'virtual_currency', name: 'Gold', quantity: 100 }],
    });
    expect(chest).toMatchObject({
      bundle_type: 'standard',
      price: { amount: '19.99' },
      total_content_price: { amount: '11.98' },
    });
    expect(chest.content!.map((c) => c.sku)).toEqual(['shield', 'helmet']);
    // a package or a bundle inside a bundle carries the inventory fields of every content entry (the iOS bundle
    // decoder rejects the whole list without them): it is unpacked on delivery, never held itself
    for (const nested of [pack, chest]) {
      expect(nested).toMatchObject({
        virtual_item_type: 'non_consumable',
        inventory_options: { consumable: null, expiration_period: null },
      });
    }
    // 1.99 + 10 × 7.99 + 2 × 19.99
    expect(treasure.total_content_price).toEqual({
      amount: '121.87',
      amount_without_discount: '121.87',
      currency: 'USD',
    });
  });

  it('shows and counts content hidden from the store (it is still obtainable in a bundle)', async () => {
    const b = (await get('/items/bundle')).items[2] as View;
    expect(b.content!.map((c) => [c.sku, c.quantity])).toEqual([['secret', 2]]);
    expect(b.total_content_price).toMatchObject({ amount: '6.00', currency: 'USD' });
    expect((await catalogGet(app, t.projectId, '/items/virtual_items/sku/secret')).statusCode).toBe(404);
  });

  it('gives total_content_price null when a content item has no price in the currency (VC-only content)', async () => {
    const b = (await get('/items/bundle')).items[3] as View;
    expect(b.price).toBeNull();
    expect(b.total_content_price).toBeNull();
    expect(b.content!.find((c) => c.sku === 'potion')!.price).toBeNull();
    expect(b.can_be_bought).toBe(true); // sold for gold
  });

  it("uses the buyer's currency: a country price of the bundle selects the content's prices in that currency", async () => {
    const de = (await get('/items/bundle?country=DE&locale=de')).items as View[];
    const chest = de.find((b) => b.sku === 'chest')!;
    expect(chest.name).toBe('Paket chest');
    expect(chest.price).toMatchObject({ amount: '17.99', currency: 'EUR' });
    expect(chest.content![0]).toMatchObject({ name: 'Schild', price: { amount: '8.99', currency: 'EUR' } });
    // the helmet has no EUR price: the total cannot be given in EUR
    expect(chest.total_content_price).toBeNull();
    // a bundle priced in USD only keeps a USD total in Germany too
    expect(de.find((b) => b.sku === 'treasure')!.total_content_price).toMatchObject({
      amount: '121.87',
      currency: 'USD',
    });
  });

  it('answers the same to a user token, and 401/1501 to a bad one', async () => {
    const token = await t.userToken();
    expect(await get('/items/bundle', token)).toEqual(await get('/items/bundle'));
    const bad = await catalogGet(app, t.projectId, '/items/bundle', 'not-a-jwt');
    expect(bad.statusCode).toBe(401);
    expect(bad.json().errorCode).toBe(1501);
  });

  it('answers 404 for an unknown project', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v2/project/999999999/items/bundle' });
    expect(res.statusCode).toBe(404);
  });
});

describe('get-bundle-list-in-group', () => {
  it('lists the group’s shown standard bundles in group order; goods of the group are left out', async () => {
    expect(skus(await get('/items/bundle/group/chests'))).toEqual(['chest', 'treasure']);
    expect(skus(await get('/items/bundle/group/armour'))).toEqual([]);
    expect(skus(await get('/items/bundle/group/chests?limit=1&offset=1'))).toEqual(['treasure']);
  });

  it('answers 404/4403 for an unknown group', async () => {
    const res = await catalogGet(app, t.projectId, '/items/bundle/group/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ statusCode: 404, errorCode: 4403 });
  });
});

describe('get-bundle', () => {
  it('answers one bundle exactly as the list renders it', async () => {
    const listed = ((await get('/items/bundle?country=DE&locale=de')).items as View[]).find(
      (b) => b.sku === 'chest',
    );
    expect(await get('/items/bundle/sku/chest?country=DE&locale=de')).toEqual(listed);
  });

  it('answers 404/4001 for a package, a good, a hidden or disabled bundle and an unknown sku', async () => {
    for (const sku of ['gold_pack', 'shield', 'hidden', 'disabled', 'nothing']) {
      const res = await catalogGet(app, t.projectId, `/items/bundle/sku/${sku}`);
      expect(res.statusCode, sku).toBe(404);
      expect(res.json()).toMatchObject({ statusCode: 404, errorCode: 4001 });
    }
  });
});

describe('bundles in the sellable-items calls', () => {
  it('are listed with every other sellable type, by sku, by id and by group, rendered the same way', async () => {
    const chest = await get('/items/bundle/sku/chest');
    expect(skus(await get('/items'))).toEqual(
      expect.arrayContaining(['chest', 'treasure', 'gold_pack', 'shield']),
    );
    expect(skus(await get('/items'))).not.toContain('hidden');
    expect(await get('/items/sku/chest')).toEqual(chest);
    expect(await get(`/items/id/${ids.chest}`)).toEqual(chest);
    expect(skus(await get('/items/group/chests'))).toEqual(['chest', 'treasure']);
  });
});

describe('disabled content', () => {
  it('is neither shown nor counted; a bundle left with nothing to deliver cannot be bought', async () => {
    await must('PUT', '/admin/items/virtual_items/sku/helmet', { ...bodies.helmet, is_enabled: false });
    let chest = await get('/items/bundle/sku/chest');
    expect(chest.content.map((c: View) => c.sku)).toEqual(['shield']);
    expect(chest.total_content_price).toMatchObject({ amount: '9.99', currency: 'USD' });
    expect(chest.can_be_bought).toBe(true);
    // the admin view still shows the configured content
    const admin = (await t.adminCall('GET', '/admin/items/bundle/sku/chest')).json();
    expect(admin.content.map((c: { sku: string }) => c.sku)).toEqual(['shield', 'helmet']);

    await must('PUT', '/admin/items/virtual_items/sku/shield', { ...bodies.shield, is_enabled: false });
    chest = await get('/items/bundle/sku/chest');
    expect(chest.content).toEqual([]);
    expect(chest.total_content_price).toBeNull();
    expect(chest.can_be_bought).toBe(false);

    await must('PUT', '/admin/items/virtual_items/sku/helmet', bodies.helmet);
    await must('PUT', '/admin/items/virtual_items/sku/shield', bodies.shield);
    chest = await get('/items/bundle/sku/chest');
    expect(chest.content.map((c: View) => c.sku)).toEqual(['shield', 'helmet']);
    expect(chest.can_be_bought).toBe(true);
  });
});

describe('total_content_price property (through the catalog)', () => {
  it('equals Σ two-decimal content price × quantity, exactly, for random contents', async () => {
    const projectTenant = await createTenant(app);
    const call = (method: 'POST' | 'PUT', path: string, body: object) =>
      projectTenant.adminCall(method, path, body);
    const N = 4;
    for (let i = 0; i < N; i++) {
      const res = await call('POST', '/admin/items/virtual_items', {
        sku: `g${i}`,
        name: { en: `g${i}` },
        prices: [usd(1)],
      });
      expect(res.statusCode).toBe(201);
    }
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 9_999_999 }), { minLength: N, maxLength: N }),
        fc.uniqueArray(fc.integer({ min: 0, max: N - 1 }), { minLength: 1, maxLength: N }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: N, maxLength: N }),
        async (cents, picked, quantities) => {
          round += 1;
          for (let i = 0; i < N; i++) {
            const amount = `${Math.floor(cents[i] / 100)}.${String(cents[i] % 100).padStart(2, '0')}`;
            const res = await call('PUT', `/admin/items/virtual_items/sku/g${i}`, {
              sku: `g${i}`,
              name: { en: `g${i}` },
              prices: [usd(Number(amount))], // a JSON number: virtual items take numbers only
            });
            expect(res.statusCode, res.body).toBe(204);
          }
          const sku = `p${round}`;
          const content = picked.map((i) => ({ sku: `g${i}`, quantity: quantities[i] }));
          const created = await call('POST', '/admin/items/bundle', {
            sku,
            name: { en: sku },
            description: { en: sku },
            is_show_in_store: true,
            prices: [usd('1.00')],
            content,
          });
          expect(created.statusCode, created.body).toBe(201);
          const view = (await catalogGet(app, projectTenant.projectId, `/items/bundle/sku/${sku}`)).json();
          const expectedCents = picked.reduce((acc, i) => acc + BigInt(cents[i]) * BigInt(quantities[i]), 0n);
          const expected = `${expectedCents / 100n}.${String(expectedCents % 100n).padStart(2, '0')}`;
          expect(view.total_content_price).toEqual({
            amount: expected,
            amount_without_discount: expected,
            currency: 'USD',
          });
          const shown = view.content.reduce(
            (acc: bigint, c: View) =>
              acc + BigInt(c.price!.amount.replace('.', '')) * BigInt(c.quantity as number),
            0n,
          );
          expect(shown).toBe(expectedCents);
        },
      ),
      { numRuns: 8 },
    );
  });
});
