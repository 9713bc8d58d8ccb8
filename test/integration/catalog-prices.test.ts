/**
 * Catalog prices (spec/NOTES.md "Catalog responses", seed-details §2.12–2.13, §8 rule 10): money is a string
 * with two decimals; an item sold only for virtual currency has `price: null` and a default `virtual_prices`
 * entry with integer amounts and a two-decimal `calculated_price`; a disabled price is not used; a country price
 * wins for its country.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;
let t: Tenant;
let goldId: number;

const MONEY = /^\d+\.\d{2}$/;

interface Money {
  amount: string;
  amount_without_discount: string;
  currency?: string;
}
interface CatalogItemView {
  sku: string;
  price: Money | null;
  virtual_prices: { amount: number; amount_without_discount: number; calculated_price: Money }[];
  total_content_price?: Money | null;
}

/** Every money value of a catalog item has two decimals; virtual-currency amounts are integers. */
function expectMoneyShapes(item: CatalogItemView) {
  if (item.price !== null) {
    expect(item.price.amount, `${item.sku}.price.amount`).toMatch(MONEY);
    expect(item.price.amount_without_discount, `${item.sku}.price.amount_without_discount`).toMatch(MONEY);
    expect(item.price.currency).toMatch(/^[A-Z]{3}$/);
  }
  for (const vp of item.virtual_prices) {
    expect(Number.isInteger(vp.amount), `${item.sku}.virtual_prices.amount`).toBe(true);
    expect(Number.isInteger(vp.amount_without_discount)).toBe(true);
    expect(vp.calculated_price.amount, `${item.sku}.calculated_price`).toMatch(MONEY);
    expect(vp.calculated_price.amount_without_discount).toMatch(MONEY);
  }
  if (item.total_content_price) expect(item.total_content_price.amount).toMatch(MONEY);
}

async function create(path: string, body: object) {
  const res = await t.adminCall('POST', path, body);
  expect(res.statusCode, res.body).toBe(201);
}

beforeAll(async () => {
  app = await testApp();
  t = await createTenant(app);
  await create('/admin/items/virtual_currency', {
    sku: 'gold',
    name: { en: 'Gold', de: 'Gold' },
    description: { en: 'Shiny' },
  });
  goldId = (await t.adminCall('GET', '/admin/items/virtual_currency/sku/gold')).json().item_id;
  const vi = '/admin/items/virtual_items';
  await create(vi, {
    sku: 'potion',
    name: { en: 'Potion' },
    vc_prices: [{ sku: 'gold', amount: 100, is_default: true }],
  });
  await create(vi, {
    sku: 'both',
    name: { en: 'Both' },
    prices: [{ amount: 9.9, currency: 'USD', is_default: true }],
    vc_prices: [{ sku: 'gold', amount: 50, is_default: true }],
  });
  for (const [sku, amount] of [
    ['round', 5],
    ['cents', 0.1],
    ['big', 1234567.5],
    ['usual', 19.99],
    ['tiny', 0.01],
  ] as const) {
    await create(vi, { sku, name: { en: sku }, prices: [{ amount, currency: 'USD', is_default: true }] });
  }
  await create(vi, {
    sku: 'disabled_default',
    name: { en: 'Disabled default' },
    prices: [
      { amount: 5, currency: 'USD', is_default: true, is_enabled: false },
      { amount: 6, currency: 'EUR' },
    ],
  });
  await create(vi, {
    sku: 'no_usable_price',
    name: { en: 'Nothing' },
    vc_prices: [{ sku: 'gold', amount: 10, is_default: true, is_enabled: false }],
  });
  await create(vi, {
    sku: 'regional',
    name: { en: 'Regional' },
    prices: [
      { amount: 10, currency: 'USD', is_default: true },
      { amount: 200, currency: 'CZK', country_iso: 'CZ' },
    ],
  });
  await create('/admin/items/virtual_currency/package', {
    sku: 'gold_pack',
    name: { en: 'Gold pack' },
    description: { en: '100 gold' },
    prices: [{ amount: 4.99, currency: 'USD', is_default: true }],
    content: [{ sku: 'gold', quantity: 100 }],
  });
});
afterAll(async () => app.close());

const get = async (path: string) => {
  const res = await catalogGet(app, t.projectId, path);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('items sold for virtual currency', () => {
  it('have price null and a default virtual price', async () => {
    const potion = await get('/items/virtual_items/sku/potion');
    expect(potion.price).toBeNull();
    expect(potion.virtual_prices).toEqual([
      {
        item_id: goldId,
        sku: 'gold',
        type: 'virtual_currency',
        name: 'Gold',
        description: 'Shiny',
        image_url: null,
        amount: 100,
        amount_without_discount: 100,
        calculated_price: { amount: '100.00', amount_without_discount: '100.00' },
        is_default: true,
      },
    ]);
    expect(potion.can_be_bought).toBe(true);
  });

  it('show both prices when sold for both', async () => {
    const both = await get('/items/virtual_items/sku/both');
    expect(both.price).toEqual({ amount: '9.90', amount_without_discount: '9.90', currency: 'USD' });
    expect(both.virtual_prices).toHaveLength(1);
    expect(both.virtual_prices[0]).toMatchObject({ sku: 'gold', amount: 50, is_default: true });
  });

  it('skip a disabled virtual price; an item without any usable price cannot be bought', async () => {
    const item = await get('/items/virtual_items/sku/no_usable_price');
    expect(item.price).toBeNull();
    expect(item.virtual_prices).toEqual([]);
    expect(item.can_be_bought).toBe(false);
  });
});

describe('money strings', () => {
  it.each([
    ['round', '5.00'],
    ['cents', '0.10'],
    ['big', '1234567.50'],
    ['usual', '19.99'],
    ['tiny', '0.01'],
  ])('%s is priced %s', async (sku, amount) => {
    const item = await get(`/items/virtual_items/sku/${sku}`);
    expect(item.price).toEqual({ amount, amount_without_discount: amount, currency: 'USD' });
  });

  it('are two-decimal strings everywhere in every list', async () => {
    for (const path of [
      '/items',
      '/items/virtual_items',
      '/items/virtual_currency',
      '/items/virtual_currency/package',
      '/items?country=CZ',
    ]) {
      const page = await get(path);
      expect(page.items.length, path).toBeGreaterThan(0);
      for (const item of page.items) expectMoneyShapes(item);
    }
  });

  it('are JSON numbers in admin views (as the spec shows)', async () => {
    const admin = (await t.adminCall('GET', '/admin/items/virtual_items/sku/big')).json();
    expect(admin.prices).toEqual([
      { amount: 1234567.5, currency: 'USD', is_default: true, is_enabled: true },
    ]);
    const both = (await t.adminCall('GET', '/admin/items/virtual_items/sku/both')).json();
    expect(both.vc_prices).toEqual([{ sku: 'gold', amount: 50, is_default: true, is_enabled: true }]);
  });
});

describe('price selection', () => {
  it('does not use a disabled price', async () => {
    expect((await get('/items/virtual_items/sku/disabled_default')).price).toEqual({
      amount: '6.00',
      amount_without_discount: '6.00',
      currency: 'EUR',
    });
  });

  it('uses the country price for its country and the default elsewhere', async () => {
    expect((await get('/items/virtual_items/sku/regional?country=CZ')).price).toMatchObject({
      amount: '200.00',
      currency: 'CZK',
    });
    expect((await get('/items/virtual_items/sku/regional?country=cz')).price).toMatchObject({
      amount: '200.00',
      currency: 'CZK',
    });
    expect((await get('/items/virtual_items/sku/regional?country=DE')).price).toMatchObject({
      amount: '10.00',
      currency: 'USD',
    });
    expect((await get('/items/virtual_items/sku/regional')).price).toMatchObject({
      amount: '10.00',
      currency: 'USD',
    });
  });
});

describe('virtual currency packages', () => {
  it('list with their price and content', async () => {
    const page = await get('/items/virtual_currency/package');
    expect(page.items.map((i: { sku: string }) => i.sku)).toEqual(['gold_pack']);
    const pack = page.items[0];
    expect(pack).toMatchObject({
      sku: 'gold_pack',
      type: 'bundle',
      bundle_type: 'virtual_currency_package',
      price: { amount: '4.99', amount_without_discount: '4.99', currency: 'USD' },
      content: [{ item_id: goldId, sku: 'gold', type: 'virtual_currency', name: 'Gold', quantity: 100 }],
    });
    expect(await get('/items/virtual_currency/package/sku/gold_pack')).toEqual(pack);
  });

  it('are not listed as virtual currency, and the currency is', async () => {
    expect((await get('/items/virtual_currency')).items.map((i: { sku: string }) => i.sku)).toEqual(['gold']);
  });
});
