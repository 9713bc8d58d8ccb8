/**
 * SQL of the items table and its children (prices, vc prices, periods, regions, group links, attribute links,
 * bundle contents, limits). Every method takes the executor first; nothing here knows HTTP or the rules.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/types.js';
import type {
  AttributeLink,
  ContentRecord,
  GroupLink,
  ItemRecord,
  ItemType,
  LimitsRecord,
  PeriodRecord,
  PriceRecord,
} from './model.js';

/** A normalized item ready to be written (see service.ts `normalize`). */
export interface ItemWrite {
  sku: string;
  type: ItemType;
  name: Record<string, string>;
  description: Record<string, string> | null;
  long_description: Record<string, string> | null;
  image_url: string | null;
  media_list: { type: string; url: string }[];
  is_enabled: boolean;
  is_show_in_store: boolean;
  is_free: boolean;
  is_paid_randomized_reward: boolean;
  order: number;
  custom_attributes: Record<string, unknown> | null;
  virtual_item_type: string | null;
  inventory_options: Record<string, unknown> | null;
  is_hard: boolean | null;
  bundle_type: string | null;
  unit_type: string | null;
  parent_item_id: number | null;
  drm_sku: string | null;
  pre_order: Record<string, unknown> | null;
  prices: PriceRecord[];
  vc_prices: { currency_item_id: number; amount: number; is_default: boolean; is_enabled: boolean }[];
  periods: PeriodRecord[];
  regions: number[];
  group_ids: number[];
  attribute_value_ids: number[];
  limits: Omit<LimitsRecord, 'per_item_remaining' | 'per_item_reserved' | 'recurrent_start_at'> | null;
  content: ContentRecord[];
}

/** Filter of `loadItems`. */
export interface ItemFilter {
  types?: ItemType[];
  bundleType?: string;
  sku?: string;
  itemId?: number;
  /** Only these items (the catalog's delta reload). */
  itemIds?: number[];
  groupId?: number;
  parentItemId?: number;
  limit?: number;
  offset?: number;
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

function rowValues(w: ItemWrite) {
  return {
    sku: w.sku,
    type: w.type,
    name: JSON.stringify(w.name),
    description: json(w.description),
    long_description: json(w.long_description),
    image_url: w.image_url,
    media_list: JSON.stringify(w.media_list),
    is_enabled: w.is_enabled,
    is_show_in_store: w.is_show_in_store,
    is_free: w.is_free,
    is_paid_randomized_reward: w.is_paid_randomized_reward,
    order: w.order,
    custom_attributes: json(w.custom_attributes),
    virtual_item_type: w.virtual_item_type,
    inventory_options: json(w.inventory_options),
    is_hard: w.is_hard,
    bundle_type: w.bundle_type,
    unit_type: w.unit_type,
    parent_item_id: w.parent_item_id,
    drm_sku: w.drm_sku,
    pre_order: json(w.pre_order),
  };
}

async function insertChildren(ex: Executor, itemId: number, w: ItemWrite, groupOrders: Map<number, number>) {
  if (w.prices.length)
    await ex
      .insertInto('item_prices')
      .values(w.prices.map((p, position) => ({ item_id: itemId, position, ...p })))
      .execute();
  if (w.vc_prices.length)
    await ex
      .insertInto('item_vc_prices')
      .values(w.vc_prices.map((p, position) => ({ item_id: itemId, position, ...p })))
      .execute();
  if (w.periods.length)
    await ex
      .insertInto('item_periods')
      .values(w.periods.map((p, position) => ({ item_id: itemId, position, ...p })))
      .execute();
  if (w.regions.length)
    await ex
      .insertInto('item_regions')
      .values([...new Set(w.regions)].map((region_id) => ({ item_id: itemId, region_id })))
      .execute();
  if (w.group_ids.length) {
    for (const group_id of new Set(w.group_ids)) {
      const kept = groupOrders.get(group_id);
      await ex
        .insertInto('item_group_links')
        .values({
          item_id: itemId,
          group_id,
          item_order_in_group:
            kept ??
            sql<number>`(SELECT coalesce(max(item_order_in_group), 0) + 1 FROM item_group_links WHERE group_id = ${group_id})`,
        })
        .execute();
    }
  }
  if (w.attribute_value_ids.length)
    await ex
      .insertInto('item_attribute_values')
      .values(
        [...new Set(w.attribute_value_ids)].map((value_id, position) => ({
          item_id: itemId,
          value_id,
          position,
        })),
      )
      .execute();
  if (w.content.length)
    await ex
      .insertInto('bundle_contents')
      .values(
        w.content.map((c, position) => ({
          bundle_item_id: itemId,
          position,
          content_item_id: c.item_id,
          quantity: c.quantity,
        })),
      )
      .execute();
}

async function writeLimits(
  ex: Executor,
  itemId: number,
  limits: ItemWrite['limits'],
  previous?: { total: number | null; remaining: number | null; reserved?: number },
) {
  if (!limits) return;
  // sold + reserved units stay taken; unpaid orders keep their reservation (modules/limits)
  const sold =
    previous?.total != null && previous.remaining != null ? previous.total - previous.remaining : 0;
  const reserved = limits.per_item_total == null ? 0 : (previous?.reserved ?? 0);
  const remaining = limits.per_item_total == null ? null : Math.max(0, limits.per_item_total - sold);
  await ex
    .insertInto('item_limits')
    .values({
      item_id: itemId,
      per_user_total: limits.per_user_total,
      limit_exceeded_visibility: limits.limit_exceeded_visibility,
      per_item_total: limits.per_item_total,
      per_item_remaining: remaining,
      per_item_reserved: reserved,
      recurrent_interval_type: limits.recurrent?.interval_type ?? null,
      recurrent_time: limits.recurrent?.time ?? null,
      recurrent_day_of_week: limits.recurrent?.day_of_week ?? null,
      recurrent_day_of_month: limits.recurrent?.day_of_month ?? null,
      recurrent_start_at: limits.recurrent ? new Date() : null,
    })
    .execute();
}

export const itemsRepository = {
  /** Inserts the item and its children; returns the new item_id. Unique violation (sku) propagates (23505). */
  async insert(ex: Executor, projectId: number, w: ItemWrite): Promise<number> {
    const { item_id } = await ex
      .insertInto('items')
      .values({ project_id: projectId, ...rowValues(w) })
      .returning('item_id')
      .executeTakeFirstOrThrow();
    await insertChildren(ex, item_id, w, new Map());
    await writeLimits(ex, item_id, w.limits);
    return item_id;
  },

  /** Replaces every field and child of `itemId` (admin PUT replaces; spec/NOTES.md). Keeps group positions and sold counts. */
  async replace(ex: Executor, itemId: number, w: ItemWrite): Promise<void> {
    const oldLinks = await ex
      .selectFrom('item_group_links')
      .select(['group_id', 'item_order_in_group'])
      .where('item_id', '=', itemId)
      .execute();
    const oldLimits = await ex
      .selectFrom('item_limits')
      .select(['per_item_total', 'per_item_remaining', 'per_item_reserved'])
      .where('item_id', '=', itemId)
      .executeTakeFirst();
    await ex
      .updateTable('items')
      .set({ ...rowValues(w), updated_at: sql`clock_timestamp()` })
      .where('item_id', '=', itemId)
      .execute();
    for (const table of [
      'item_prices',
      'item_vc_prices',
      'item_periods',
      'item_regions',
      'item_group_links',
      'item_attribute_values',
      'item_limits',
    ] as const) {
      await ex.deleteFrom(table).where('item_id', '=', itemId).execute();
    }
    await ex.deleteFrom('bundle_contents').where('bundle_item_id', '=', itemId).execute();
    await insertChildren(ex, itemId, w, new Map(oldLinks.map((l) => [l.group_id, l.item_order_in_group])));
    await writeLimits(
      ex,
      itemId,
      w.limits,
      oldLimits
        ? {
            total: oldLimits.per_item_total,
            remaining: oldLimits.per_item_remaining,
            reserved: oldLimits.per_item_reserved,
          }
        : undefined,
    );
  },

  async delete(ex: Executor, itemId: number): Promise<void> {
    await ex.deleteFrom('items').where('item_id', '=', itemId).execute();
  },

  /**
   * Sets `is_show_in_store` of the standard bundle `sku` of the project (bundles' show/hide switch); returns how
   * many rows matched (0 when there is no such standard bundle).
   */
  async setBundleShownInStore(ex: Executor, projectId: number, sku: string, shown: boolean): Promise<number> {
    const result = await ex
      .updateTable('items')
      .set({ is_show_in_store: shown, updated_at: sql`clock_timestamp()` })
      .where('project_id', '=', projectId)
      .where('sku', '=', sku)
      .where('type', '=', 'bundle')
      .where('bundle_type', '=', 'standard')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },

  /**
   * Hides from the store (`is_show_in_store = false`, "partially available") every virtual item, currency, package
   * and bundle of the project whose sku is not in `keep` (an import in sync mode). Returns how many changed.
   */
  async hideAllBut(ex: Executor, projectId: number, keep: string[]): Promise<number> {
    const r = await ex
      .updateTable('items')
      .set({ is_show_in_store: false, updated_at: sql`clock_timestamp()` })
      .where('project_id', '=', projectId)
      .where('type', 'in', ['virtual_good', 'virtual_currency', 'bundle'])
      .where('is_show_in_store', '=', true)
      .where(sql<boolean>`NOT (sku = any(${keep}))`)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  /** The item with `sku` in the project, locked for update when inside a transaction. */
  findBySku(ex: Executor, projectId: number, sku: string) {
    return ex
      .selectFrom('items')
      .select(['item_id', 'type', 'bundle_type', 'sku'])
      .where('project_id', '=', projectId)
      .where('sku', '=', sku)
      .forUpdate()
      .executeTakeFirst();
  },

  /** sku → {item_id, type, bundle_type} for the skus that exist in the project. */
  async resolveSkus(ex: Executor, projectId: number, skus: string[]) {
    if (skus.length === 0)
      return new Map<string, { item_id: number; type: string; bundle_type: string | null }>();
    const rows = await ex
      .selectFrom('items')
      .select(['item_id', 'sku', 'type', 'bundle_type'])
      .where('project_id', '=', projectId)
      .where('sku', '=', sql<string>`any(${skus})`)
      .execute();
    return new Map(
      rows.map((r) => [r.sku, { item_id: r.item_id, type: r.type, bundle_type: r.bundle_type }]),
    );
  },

  /** external_id → group_id for the groups that exist in the project. */
  async resolveGroups(ex: Executor, projectId: number, externalIds: string[]) {
    if (externalIds.length === 0) return new Map<string, number>();
    const rows = await ex
      .selectFrom('item_groups')
      .select(['group_id', 'external_id'])
      .where('project_id', '=', projectId)
      .where('external_id', '=', sql<string>`any(${externalIds})`)
      .execute();
    return new Map(rows.map((r) => [r.external_id, r.group_id]));
  },

  findGroup(ex: Executor, projectId: number, by: { externalId?: string; groupId?: number }) {
    let q = ex
      .selectFrom('item_groups')
      .select(['group_id', 'external_id'])
      .where('project_id', '=', projectId);
    if (by.externalId !== undefined) q = q.where('external_id', '=', by.externalId);
    if (by.groupId !== undefined) q = q.where('group_id', '=', by.groupId);
    return q.executeTakeFirst();
  },

  /** Whether `targetId` is among `content` or inside them through nested bundle contents (cycle check). */
  async contentReaches(ex: Executor, content: ContentRecord[], targetId: number): Promise<boolean> {
    const ids = content.map((c) => c.item_id);
    if (ids.length === 0) return false;
    if (ids.includes(targetId)) return true;
    const { rows } = await sql<{ found: number }>`
      WITH RECURSIVE reach(id) AS (
        SELECT content_item_id FROM bundle_contents WHERE bundle_item_id = any(${ids})
        UNION
        SELECT bc.content_item_id FROM bundle_contents bc JOIN reach r ON bc.bundle_item_id = r.id
      )
      SELECT 1 AS found FROM reach WHERE id = ${targetId} LIMIT 1`.execute(ex);
    return rows.length > 0;
  },

  /** SKUs of the bundles holding `itemId` and of the items priced in it (blockers of a delete). */
  async dependents(ex: Executor, itemId: number): Promise<string[]> {
    const rows = await ex
      .selectFrom('items')
      .select('sku')
      .where((eb) =>
        eb.or([
          eb(
            'item_id',
            'in',
            eb.selectFrom('bundle_contents').select('bundle_item_id').where('content_item_id', '=', itemId),
          ),
          eb(
            'item_id',
            'in',
            eb.selectFrom('item_vc_prices').select('item_id').where('currency_item_id', '=', itemId),
          ),
        ]),
      )
      .where('item_id', '!=', itemId)
      .orderBy('sku')
      .execute();
    return rows.map((r) => r.sku);
  },

  /**
   * Loads full records, ordered as the catalog lists them: `order` ascending, then newest first
   * (seed-details §2.11). With `groupId`, ordered by position in the group instead.
   */
  async load(ex: Executor, projectId: number, f: ItemFilter = {}): Promise<ItemRecord[]> {
    let q = ex.selectFrom('items as i').selectAll('i').where('i.project_id', '=', projectId);
    if (f.types) q = q.where('i.type', 'in', f.types);
    if (f.bundleType) q = q.where('i.bundle_type', '=', f.bundleType);
    if (f.sku !== undefined) q = q.where('i.sku', '=', f.sku);
    if (f.itemId !== undefined) q = q.where('i.item_id', '=', f.itemId);
    if (f.itemIds !== undefined) q = q.where('i.item_id', '=', sql<number>`any(${f.itemIds})`);
    if (f.parentItemId !== undefined) q = q.where('i.parent_item_id', '=', f.parentItemId);
    if (f.groupId !== undefined) {
      q = q
        .innerJoin('item_group_links as gl', 'gl.item_id', 'i.item_id')
        .where('gl.group_id', '=', f.groupId)
        .orderBy('gl.item_order_in_group');
    }
    q = q.orderBy('i.order').orderBy('i.created_at', 'desc').orderBy('i.item_id', 'desc');
    if (f.limit !== undefined) q = q.limit(f.limit);
    if (f.offset !== undefined) q = q.offset(f.offset);
    const rows = await q.execute();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.item_id);
    // A whole project (the catalog snapshot): children by a semi-join on the project instead of a huge id array.
    const whole = Object.keys(f).length === 0;
    const anyIds = whole
      ? sql<number>`any(SELECT item_id FROM items WHERE project_id = ${projectId})`
      : sql<number>`any(${ids})`;

    const [prices, vcPrices, periods, regions, groups, attrs, contents, limits] = await Promise.all([
      ex
        .selectFrom('item_prices')
        .selectAll()
        .where('item_id', '=', anyIds)
        .orderBy('item_id')
        .orderBy('position')
        .execute(),
      ex
        .selectFrom('item_vc_prices as p')
        .innerJoin('items as c', 'c.item_id', 'p.currency_item_id')
        .select(['p.item_id', 'p.currency_item_id', 'c.sku', 'p.amount', 'p.is_default', 'p.is_enabled'])
        .where('p.item_id', '=', anyIds)
        .orderBy('p.item_id')
        .orderBy('p.position')
        .execute(),
      ex
        .selectFrom('item_periods')
        .selectAll()
        .where('item_id', '=', anyIds)
        .orderBy('item_id')
        .orderBy('position')
        .execute(),
      ex.selectFrom('item_regions').selectAll().where('item_id', '=', anyIds).orderBy('region_id').execute(),
      ex
        .selectFrom('item_group_links as l')
        .innerJoin('item_groups as g', 'g.group_id', 'l.group_id')
        .select(['l.item_id', 'g.group_id', 'g.external_id', 'g.name', 'l.item_order_in_group'])
        .where('l.item_id', '=', anyIds)
        .orderBy('g.order')
        .orderBy('g.group_id')
        .execute(),
      ex
        .selectFrom('item_attribute_values as iv')
        .innerJoin('attribute_values as v', 'v.value_id', 'iv.value_id')
        .innerJoin('attributes as a', 'a.attribute_id', 'v.attribute_id')
        .select([
          'iv.item_id',
          'a.attribute_id',
          'a.external_id as attribute_external_id',
          'a.name',
          'v.value_id',
          'v.external_id',
          'v.value',
        ])
        .where('iv.item_id', '=', anyIds)
        .orderBy('iv.item_id')
        .orderBy('iv.position')
        .execute(),
      ex
        .selectFrom('bundle_contents')
        .selectAll()
        .where('bundle_item_id', '=', anyIds)
        .orderBy('position')
        .execute(),
      ex.selectFrom('item_limits').selectAll().where('item_id', '=', anyIds).execute(),
    ]);

    const by = <T, K extends keyof T>(list: T[], key: K) => {
      const m = new Map<unknown, T[]>();
      for (const r of list) {
        const k = r[key];
        const arr = m.get(k);
        if (arr) arr.push(r);
        else m.set(k, [r]);
      }
      return m;
    };
    const pricesBy = by(prices, 'item_id');
    const vcBy = by(vcPrices, 'item_id');
    const periodsBy = by(periods, 'item_id');
    const regionsBy = by(regions, 'item_id');
    const groupsBy = by(groups, 'item_id');
    const attrsBy = by(attrs, 'item_id');
    const contentsBy = by(contents, 'bundle_item_id');
    const limitsBy = new Map(limits.map((l) => [l.item_id, l]));

    // One shared name object per group / attribute / value instead of one per item (snapshot memory).
    const interned = new Map<string, Record<string, string>>();
    const intern = (key: string, v: Record<string, string>) => {
      const hit = interned.get(key);
      if (hit) return hit;
      interned.set(key, v);
      return v;
    };
    return rows.map((r): ItemRecord => {
      const attributes: AttributeLink[] = [];
      for (const a of attrsBy.get(r.item_id) ?? []) {
        let link = attributes.find((x) => x.attribute_id === a.attribute_id);
        if (!link) {
          link = {
            attribute_id: a.attribute_id,
            external_id: a.attribute_external_id,
            name: intern(`a${a.attribute_id}`, a.name),
            values: [],
          };
          attributes.push(link);
        }
        link.values.push({
          value_id: a.value_id,
          external_id: a.external_id,
          value: intern(`v${a.value_id}`, a.value),
        });
      }
      const l = limitsBy.get(r.item_id);
      const limitsRecord: LimitsRecord | null = l
        ? {
            per_user_total: l.per_user_total,
            limit_exceeded_visibility:
              l.limit_exceeded_visibility as LimitsRecord['limit_exceeded_visibility'],
            per_item_total: l.per_item_total,
            per_item_remaining: l.per_item_remaining,
            per_item_reserved: l.per_item_reserved,
            recurrent: l.recurrent_interval_type
              ? {
                  interval_type: l.recurrent_interval_type as 'daily',
                  time: l.recurrent_time ?? '00:00:00+00:00',
                  day_of_week: l.recurrent_day_of_week,
                  day_of_month: l.recurrent_day_of_month,
                }
              : null,
            recurrent_start_at: l.recurrent_start_at,
          }
        : null;
      return {
        item_id: r.item_id,
        project_id: r.project_id,
        sku: r.sku,
        type: r.type as ItemType,
        name: r.name ?? {},
        description: r.description,
        long_description: r.long_description,
        image_url: r.image_url,
        media_list: (r.media_list ?? []) as ItemRecord['media_list'],
        is_enabled: r.is_enabled,
        is_show_in_store: r.is_show_in_store,
        is_free: r.is_free,
        is_paid_randomized_reward: r.is_paid_randomized_reward,
        order: r.order,
        custom_attributes: r.custom_attributes,
        virtual_item_type: r.virtual_item_type,
        inventory_options: r.inventory_options as ItemRecord['inventory_options'],
        is_hard: r.is_hard,
        bundle_type: r.bundle_type as ItemRecord['bundle_type'],
        unit_type: r.unit_type,
        parent_item_id: r.parent_item_id,
        drm_sku: r.drm_sku,
        pre_order: r.pre_order,
        created_at: r.created_at,
        prices: (pricesBy.get(r.item_id) ?? []).map((p) => ({
          amount: p.amount,
          currency: p.currency,
          country_iso: p.country_iso,
          is_default: p.is_default,
          is_enabled: p.is_enabled,
        })),
        vc_prices: (vcBy.get(r.item_id) ?? []).map((p) => ({
          currency_item_id: p.currency_item_id,
          sku: p.sku,
          amount: Number(p.amount),
          is_default: p.is_default,
          is_enabled: p.is_enabled,
        })),
        periods: (periodsBy.get(r.item_id) ?? []).map((p) => ({
          date_from: p.date_from,
          date_until: p.date_until,
          from_offset_minutes: p.from_offset_minutes,
          until_offset_minutes: p.until_offset_minutes,
        })),
        regions: (regionsBy.get(r.item_id) ?? []).map((x) => x.region_id),
        groups: (groupsBy.get(r.item_id) ?? []).map((g): GroupLink => ({
          group_id: g.group_id,
          external_id: g.external_id,
          name: intern(`g${g.group_id}`, g.name),
          item_order_in_group: g.item_order_in_group,
        })),
        attributes,
        limits: limitsRecord,
        content: (contentsBy.get(r.item_id) ?? []).map((c) => ({
          item_id: c.content_item_id,
          quantity: c.quantity,
        })),
      };
    });
  },
};
