/**
 * Admin item rules shared by every item area: normalizing a body into a write (localization keys, money,
 * dates, references by sku and external id, attribute limits), creating, replacing (admin PUT replaces —
 * spec/NOTES.md), deleting, reading and listing one kind of item. Each write runs in one transaction that also
 * bumps the project's catalog_version (DESIGN §3); the catalog is told after commit.
 */
import type { WriteOptions } from '../../db/unit-of-work.js';
import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/types.js';
import { groupNotFound, invalid, itemNotFoundBySku, skuExists } from '../../errors/app-error.js';
import { toAppError } from '../../errors/postgres.js';
import { meansAllGroups } from '../groups/all-group.js';
import { parseIsoWithOffset } from '../../lib/dates.js';
import { normalizeLocalized } from '../../lib/locale.js';
import { moneyInput } from '../../lib/money.js';
import type { CatalogChange, CatalogWriter } from '../catalog/writer.js';
import { resolveItemAttributes } from '../attributes/service.js';
import { regionsRepository } from '../regions/repository.js';
import {
  virtualItemTypeOf,
  type InventoryOptions,
  type ItemRecord,
  type ItemType,
  type PeriodRecord,
} from './model.js';
import { itemsRepository as repo, type ItemWrite } from './repository.js';
import type { ItemBody } from './schemas.js';

/** Which items an area manages (e.g. virtual currency packages = bundles of bundle_type virtual_currency_package). */
export interface ItemKind {
  type: ItemType;
  bundleType?: 'standard' | 'virtual_currency_package';
  /** Content allowed in this kind's `content` (packages: virtual currency only). */
  contentTypes?: ItemType[];
}

export const VIRTUAL_GOOD: ItemKind = { type: 'virtual_good' };
export const VIRTUAL_CURRENCY: ItemKind = { type: 'virtual_currency' };
export const VIRTUAL_CURRENCY_PACKAGE: ItemKind = {
  type: 'bundle',
  bundleType: 'virtual_currency_package',
  contentTypes: ['virtual_currency'],
};
/** Standard bundles: virtual goods, currencies, other bundles and game keys (spec admin-create-bundle, seed-details §7.2). */
export const STANDARD_BUNDLE: ItemKind = {
  type: 'bundle',
  bundleType: 'standard',
  contentTypes: ['virtual_good', 'virtual_currency', 'bundle', 'game_key'],
};

/** custom_attributes JSON length limit, in characters (seed-details §2.11). */
export const MAX_CUSTOM_ATTRIBUTES_CHARS = 500;

function localized(property: string, value: Record<string, string | null> | null | undefined) {
  const { value: out, badKeys } = normalizeLocalized(value ?? null);
  if (badKeys.length) throw invalid(property, `Unknown language key(s): ${badKeys.join(', ')}`);
  return out;
}

function period(p: { date_from: string | null; date_until?: string | null }, i: number): PeriodRecord {
  const from = p.date_from == null ? null : parseIsoWithOffset(p.date_from);
  const until = p.date_until == null ? null : parseIsoWithOffset(p.date_until);
  if (p.date_from != null && !from)
    throw invalid(`periods[${i}].date_from`, 'Must be an ISO 8601 date-time with offset');
  if (p.date_until != null && !until)
    throw invalid(`periods[${i}].date_until`, 'Must be an ISO 8601 date-time with offset');
  if (from && until && until.date <= from.date)
    throw invalid(`periods[${i}].date_until`, 'Must be later than date_from');
  return {
    date_from: from?.date ?? null,
    date_until: until?.date ?? null,
    from_offset_minutes: from?.offsetMinutes ?? 0,
    until_offset_minutes: until?.offsetMinutes ?? 0,
  };
}

function inventoryOptions(kind: ItemKind, body: ItemBody): InventoryOptions | null {
  if (kind.type === 'virtual_currency') return { consumable: { usages_count: 1 }, expiration_period: null };
  if (kind.type !== 'virtual_good') return null;
  const io = body.inventory_options;
  return {
    consumable: io?.consumable ? { usages_count: io.consumable.usages_count ?? 1 } : null,
    expiration_period: io?.expiration_period ?? null,
  };
}

export class ItemsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly writer: CatalogWriter,
  ) {}

  /**
   * Turns a validated admin body into an ItemWrite, resolving skus, groups and attributes inside `ex`.
   * @throws AppError 422/1102 (bad references, dates, keys), 404/4403 (unknown group), 422/9908–9909 (attributes)
   */
  async normalize(
    ex: Executor,
    projectId: number,
    kind: ItemKind,
    body: ItemBody,
    selfSku?: string,
  ): Promise<ItemWrite> {
    const name = localized('name', body.name);
    if (!name) throw invalid('name', 'The property `name` is required');
    const custom = body.custom_attributes ?? null;
    if (custom && JSON.stringify(custom).length > MAX_CUSTOM_ATTRIBUTES_CHARS) {
      throw invalid('custom_attributes', 'JSON can’t exceed 500 characters.');
    }

    const vcSkus = (body.vc_prices ?? []).map((p) => p.sku);
    const contentSkus = (body.content ?? []).map((c) => c.sku);
    const known = await repo.resolveSkus(ex, projectId, [...new Set([...vcSkus, ...contentSkus])]);
    const vc_prices = (body.vc_prices ?? []).map((p, i) => {
      const currency = known.get(p.sku);
      if (!currency || currency.type !== 'virtual_currency') {
        throw invalid(`vc_prices[${i}].sku`, `Virtual currency with sku = '${p.sku}' not found`);
      }
      return {
        currency_item_id: currency.item_id,
        amount: p.amount,
        is_default: p.is_default ?? false,
        is_enabled: p.is_enabled ?? true,
      };
    });

    const content = (body.content ?? []).map((c, i) => {
      const item = known.get(c.sku);
      if (!item || c.sku === selfSku || c.sku === body.sku)
        throw invalid(`content[${i}].sku`, `Item with sku = '${c.sku}' not found`);
      if (kind.contentTypes && !kind.contentTypes.includes(item.type as ItemType)) {
        throw invalid(`content[${i}].sku`, `Item with sku = '${c.sku}' cannot be content of this item`);
      }
      return { item_id: item.item_id, quantity: c.quantity };
    });
    if (kind.bundleType === 'virtual_currency_package' && content.length !== 1) {
      throw invalid('content', 'A virtual currency package holds exactly one virtual currency');
    }

    const groupRefs = (body.groups ?? []).map((g) => (typeof g === 'string' ? g : g.external_id));
    const groups = await repo.resolveGroups(ex, projectId, groupRefs);
    const group_ids = groupRefs.map((ref) => {
      const id = groups.get(ref);
      if (id === undefined) throw groupNotFound();
      return id;
    });

    // attribute limits and implicit creation: modules/attributes/service.ts (shared with the attribute admin API)
    const attribute_value_ids = await resolveItemAttributes(ex, projectId, body.attributes ?? []);

    // regions are referenced by id: each must be a region of this project (docs/decisions/0009-regions.md)
    const regionIds = (body.regions ?? []).map((r) => r.id);
    const knownRegions = await regionsRepository.existing(ex, projectId, regionIds);
    const missingRegion = regionIds.findIndex((id) => !knownRegions.has(id));
    if (missingRegion >= 0)
      throw invalid(`regions[${missingRegion}].id`, `Region with id = ${regionIds[missingRegion]} not found`);

    const limits = body.limits ?? null;
    const perUser = limits?.per_user ?? null;
    const recurrent = limits?.recurrent_schedule?.per_user ?? null;
    const io = inventoryOptions(kind, body);

    return {
      sku: body.sku,
      type: kind.type,
      name,
      description: localized('description', body.description),
      long_description: localized('long_description', body.long_description),
      image_url: body.image_url ?? null,
      media_list: body.media_list ?? [],
      is_enabled: body.is_enabled ?? true,
      is_show_in_store: body.is_show_in_store ?? true,
      is_free: body.is_free ?? false,
      is_paid_randomized_reward: body.is_paid_randomized_reward ?? false,
      order: body.order ?? 1,
      custom_attributes: custom,
      virtual_item_type: kind.type === 'virtual_good' ? virtualItemTypeOf(io) : null,
      inventory_options: io as Record<string, unknown> | null,
      is_hard: kind.type === 'virtual_currency' ? (body.is_hard ?? false) : null,
      bundle_type: kind.bundleType ?? null,
      unit_type: null,
      parent_item_id: null,
      drm_sku: null,
      pre_order: null,
      prices: (body.prices ?? []).map((p) => ({
        amount: moneyInput(p.amount),
        currency: p.currency,
        country_iso: p.country_iso ?? null,
        is_default: p.is_default ?? false,
        is_enabled: p.is_enabled ?? true,
      })),
      vc_prices,
      periods: (body.periods ?? []).map(period),
      regions: (body.regions ?? []).map((r) => r.id),
      group_ids,
      attribute_value_ids,
      limits:
        perUser === null && limits?.per_item == null && !recurrent
          ? null
          : {
              per_user_total: perUser === null ? null : typeof perUser === 'number' ? perUser : perUser.total,
              limit_exceeded_visibility:
                perUser !== null && typeof perUser === 'object'
                  ? (perUser.limit_exceeded_visibility ?? 'show')
                  : perUser === null
                    ? null
                    : 'show',
              per_item_total: limits?.per_item ?? null,
              recurrent: recurrent
                ? {
                    interval_type: recurrent.interval_type,
                    time: recurrent.time ?? '00:00:00+00:00',
                    day_of_week: recurrent.day_of_week ?? null,
                    day_of_month: recurrent.day_of_month ?? null,
                  }
                : null,
            },
      content,
    };
  }

  /** Runs `fn` as a catalog write (catalog/writes.ts); a unique violation becomes 422/4002 for `sku`. */
  async write<T>(
    projectId: number,
    sku: string,
    write: WriteOptions,
    fn: (trx: Executor, change: CatalogChange) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.writer.run(projectId, write, fn);
    } catch (e) {
      throw toAppError(e, { uniqueViolation: () => skuExists(sku, projectId) });
    }
  }

  /** Creates an item of `kind`. Returns its sku and item_id. @throws 422/4002 when the sku exists. */
  async create(
    projectId: number,
    kind: ItemKind,
    body: ItemBody,
    write: WriteOptions = {},
  ): Promise<{ sku: string; item_id: number }> {
    return this.write(projectId, body.sku, write, async (trx, change) => {
      if (await repo.findBySku(trx, projectId, body.sku)) throw skuExists(body.sku, projectId);
      const w = await this.normalize(trx, projectId, kind, body);
      const item_id = await repo.insert(trx, projectId, w);
      change.items(item_id);
      return { sku: body.sku, item_id };
    });
  }

  /**
   * Replaces the item `sku` of `kind` with `body` (the body's sku may rename it).
   * @throws 404/4001 when absent or of another kind; 422/4002 when renaming onto a taken sku; 422/1102 when the
   *   new content would hold the item itself through nested bundles.
   */
  async update(
    projectId: number,
    kind: ItemKind,
    sku: string,
    body: ItemBody,
    write: WriteOptions = {},
  ): Promise<void> {
    await this.write(projectId, body.sku, write, async (trx, change) => {
      const current = await repo.findBySku(trx, projectId, sku);
      if (!current || !this.isKind(current, kind)) throw itemNotFoundBySku(sku);
      if (body.sku !== sku && (await repo.findBySku(trx, projectId, body.sku)))
        throw skuExists(body.sku, projectId);
      const w = await this.normalize(trx, projectId, kind, body, sku);
      if (await repo.contentReaches(trx, w.content, current.item_id))
        throw invalid('content', 'A bundle cannot contain itself, directly or through nested bundles');
      await repo.replace(trx, current.item_id, w);
      // A renamed sku also shows in the records of items priced in it (a currency): reload everything then.
      if (body.sku === sku) change.items(current.item_id);
    });
  }

  /**
   * Deletes the item `sku` of `kind`.
   * @throws 404/4001 when absent; 422/1102 while a bundle contains it or items are priced in it.
   */
  async remove(projectId: number, kind: ItemKind, sku: string, write: WriteOptions = {}): Promise<void> {
    await this.write(projectId, sku, write, async (trx, change) => {
      const current = await repo.findBySku(trx, projectId, sku);
      if (!current || !this.isKind(current, kind)) throw itemNotFoundBySku(sku);
      change.items(current.item_id);
      const blockers = await repo.dependents(trx, current.item_id);
      if (blockers.length) {
        throw invalid('sku', `Item with sku = '${sku}' is used by: ${blockers.slice(0, 10).join(', ')}`);
      }
      await repo.delete(trx, current.item_id);
    });
  }

  /** The item `sku` of `kind`. @throws 404/4001 */
  async get(projectId: number, kind: ItemKind, sku: string): Promise<ItemRecord> {
    const [item] = await repo.load(this.db, projectId, {
      types: [kind.type],
      bundleType: kind.bundleType,
      sku,
    });
    if (!item) throw itemNotFoundBySku(sku);
    return item;
  }

  /**
   * A page of items of `kind`, optionally of one group (by id or external id; 404/4403 when unknown). The external
   * id `all` of a project without such a group means no group filter.
   */
  async list(
    projectId: number,
    kind: ItemKind,
    page: { limit: number; offset: number },
    group?: { externalId?: string; groupId?: number },
  ): Promise<ItemRecord[]> {
    let groupId: number | undefined;
    if (group) {
      const g = await repo.findGroup(this.db, projectId, group);
      // `all` without a group of that id: every item of the kind (modules/groups/all-group.ts)
      if (g) groupId = g.group_id;
      else if (group.externalId === undefined || !meansAllGroups(group.externalId, () => false))
        throw groupNotFound();
    }
    return repo.load(this.db, projectId, {
      types: [kind.type],
      bundleType: kind.bundleType,
      groupId,
      ...page,
    });
  }

  /** Records by id (any kind) — e.g. the content of packages for their admin view. */
  async byIds(projectId: number, ids: number[]): Promise<Map<number, ItemRecord>> {
    const out = new Map<number, ItemRecord>();
    for (const id of new Set(ids)) {
      const [r] = await repo.load(this.db, projectId, { itemId: id });
      if (r) out.set(id, r);
    }
    return out;
  }

  private isKind(row: { type: string; bundle_type: string | null }, kind: ItemKind): boolean {
    return row.type === kind.type && (!kind.bundleType || row.bundle_type === kind.bundleType);
  }
}
