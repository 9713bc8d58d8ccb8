/**
 * A realistic catalog for contract tests, built through the admin API of a fresh tenant: two virtual
 * currencies (one with image, prices and attributes; one bare, as in the real capture: no image, no
 * description), a virtual good with real and virtual prices, localized texts, media, attributes, groups,
 * periods, limits with a recurrent schedule, custom attributes and inventory options, a good sold only for
 * virtual currency (`price: null`), and a virtual currency package. Every create response is itself checked
 * against the spec.
 */
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTenant, type Tenant } from '../helpers/app.js';
import type { ContractRecorder } from './contract.js';

/** Item groups (there is no group admin operation among the 30: rows are inserted directly). */
export const GROUPS = {
  weapons: { external_id: 'weapons', name: { en: 'Weapons', de: 'Waffen' } },
  packs: { external_id: 'currency-packs', name: { en: 'Currency packs' } },
};

export const gold = {
  sku: 'gold',
  name: { en: 'Gold', 'de-DE': 'Gold (de)' },
  description: { en: 'Main currency', de: 'Hauptwährung' },
  long_description: { en: 'The main currency of the kingdom' },
  image_url: 'https://cdn.example.com/gold.png',
  media_list: [{ type: 'image', url: 'https://cdn.example.com/gold-big.png' }],
  prices: [
    { amount: 0.99, currency: 'USD', is_default: true, is_enabled: true },
    { amount: 0.89, currency: 'EUR', country_iso: 'DE' },
  ],
  attributes: [
    {
      external_id: 'tier',
      name: { en: 'Tier' },
      values: [{ external_id: 'premium', value: { en: 'Premium' } }],
    },
  ],
  custom_attributes: { rank: 1 },
  is_hard: true,
  order: 1,
};

/** A currency with nothing optional (the real capture's currency: `image_url: null`, `description: null`). */
export const gems = { sku: 'gems', name: { en: 'Gems' } };

export const sword = {
  sku: 'sword',
  name: { en: 'Sword', 'de-DE': 'Schwert' },
  description: { en: 'A sharp sword', de: 'Ein scharfes Schwert' },
  long_description: { en: 'Forged in the fires of the north.', de: 'Im Feuer des Nordens geschmiedet.' },
  image_url: 'https://cdn.example.com/sword.png',
  media_list: [
    { type: 'image', url: 'https://cdn.example.com/sword-1.png' },
    { type: 'video', url: 'https://cdn.example.com/sword.mp4' },
  ],
  groups: [GROUPS.weapons.external_id],
  attributes: [
    {
      external_id: 'rarity',
      name: { en: 'Rarity', de: 'Seltenheit' },
      values: [{ external_id: 'epic', value: { en: 'Epic', de: 'Episch' } }],
    },
    {
      external_id: 'class',
      name: { en: 'Class' },
      values: [
        { external_id: 'warrior', value: { en: 'Warrior' } },
        { external_id: 'paladin', value: { en: 'Paladin' } },
      ],
    },
  ],
  prices: [
    { amount: 9.99, currency: 'USD', is_default: true, is_enabled: true },
    { amount: 8.99, currency: 'EUR', country_iso: 'DE', is_enabled: true },
  ],
  vc_prices: [{ sku: 'gold', amount: 100, is_default: true, is_enabled: true }],
  limits: {
    per_user: { total: 5, limit_exceeded_visibility: 'show' },
    per_item: 1000,
    recurrent_schedule: { per_user: { interval_type: 'weekly', day_of_week: 1, time: '02:00:00+03:00' } },
  },
  periods: [{ date_from: '2020-01-01T00:00:00+03:00', date_until: '2099-12-31T20:00:00+03:00' }],
  custom_attributes: { damage: 42, tags: ['melee', 'steel'], tradeable: true },
  inventory_options: { consumable: null, expiration_period: { type: 'day', value: 30 } },
  is_enabled: true,
  is_show_in_store: true,
  order: 2,
};

/** Sold only for virtual currency: catalog `price: null` (spec/NOTES.md). */
export const potion = {
  sku: 'potion',
  name: { en: 'Potion' },
  groups: [GROUPS.weapons.external_id],
  vc_prices: [{ sku: 'gems', amount: 5, is_default: true }],
  inventory_options: { consumable: { usages_count: 1 } },
  limits: { per_user: 3 },
  order: 3,
};

export const goldPack = {
  sku: 'gold-pack',
  name: { en: 'Pile of gold', de: 'Goldhaufen' },
  description: { en: '500 gold' },
  long_description: { en: 'A big pile of gold' },
  image_url: 'https://cdn.example.com/gold-pack.png',
  groups: [GROUPS.packs.external_id],
  prices: [{ amount: 4.99, currency: 'USD', is_default: true }],
  vc_prices: [{ sku: 'gems', amount: 50 }],
  content: [{ sku: 'gold', quantity: 500 }],
  custom_attributes: { best_value: true },
  periods: [{ date_from: '2020-01-01T00:00:00Z', date_until: null }],
  limits: { per_item: 50 },
  order: 4,
};

export interface CatalogFixture {
  t: Tenant;
  /** group_id of each group in GROUPS. */
  groupIds: Record<keyof typeof GROUPS, number>;
  /** item_id by sku (from the admin views). */
  itemIds: Record<string, number>;
}

/** Creates the tenant and the catalog; every create goes through `rec.check`. */
export async function buildCatalog(app: FastifyInstance, rec: ContractRecorder): Promise<CatalogFixture> {
  const t = await createTenant(app);
  const { db } = app.services.database;
  const groupIds = {} as Record<keyof typeof GROUPS, number>;
  for (const [key, g] of Object.entries(GROUPS) as [
    keyof typeof GROUPS,
    (typeof GROUPS)[keyof typeof GROUPS],
  ][]) {
    const row = await db
      .insertInto('item_groups')
      .values({
        project_id: t.projectId,
        external_id: g.external_id,
        name: JSON.stringify(g.name),
        parent_group_id: null,
        description: null,
        image_url: null,
      })
      .returning('group_id')
      .executeTakeFirstOrThrow();
    groupIds[key] = row.group_id;
  }

  const create = async (slug: string, path: string, body: { sku: string }) => {
    const res = await t.adminCall('POST', path, body);
    expect(res.statusCode, `${slug} ${body.sku}: ${res.body}`).toBe(201);
    expect(rec.check(slug, res, { inHook: true })).toEqual({ sku: body.sku });
  };
  await create('admin-create-virtual-currency', '/admin/items/virtual_currency', gold);
  await create('admin-create-virtual-currency', '/admin/items/virtual_currency', gems);
  await create('admin-create-virtual-item', '/admin/items/virtual_items', sword);
  await create('admin-create-virtual-item', '/admin/items/virtual_items', potion);
  await create('admin-create-virtual-currency-package', '/admin/items/virtual_currency/package', goldPack);

  const itemIds: Record<string, number> = {};
  for (const [path, skus] of [
    ['/admin/items/virtual_currency/sku/', ['gold', 'gems']],
    ['/admin/items/virtual_items/sku/', ['sword', 'potion']],
    ['/admin/items/virtual_currency/package/sku/', ['gold-pack']],
  ] as const) {
    for (const sku of skus) {
      const res = await t.adminCall('GET', path + sku);
      expect(res.statusCode, res.body).toBe(200);
      itemIds[sku] = res.json().item_id;
    }
  }
  return { t, groupIds, itemIds };
}
