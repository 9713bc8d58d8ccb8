/**
 * Export of a project's catalog as an import file (format.ts; docs/decisions/0012-catalog-import-export.md):
 * every item as the body of its admin create call — virtual currencies, virtual items, packages, standard bundles
 * (the sections of Xsolla's import file) and games with their keys' settings — plus the groups (with the order of
 * their items), attributes (with every value) and regions the items use, and the creation order of the items.
 * Importing the file into an empty project recreates items whose admin views equal the exported ones, ids aside.
 *
 * Not exported: game codes (secrets; the keys come back with empty pools), sales counters (`per_item` limits
 * restart at their total; per-user counters), and anything that is not catalog configuration (orders,
 * entitlements, carts, webhooks, keys).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { moneyNumber } from '../../lib/money.js';
import type { AttributesService } from '../attributes/service.js';
import type { GroupsService } from '../groups/service.js';
import { periodView } from '../items/admin-view.js';
import type { ItemRecord, LimitsRecord } from '../items/model.js';
import { itemsRepository } from '../items/repository.js';
import type { RegionsService } from '../regions/service.js';
import { METADATA_KEY, SECTION_OF, type ExportMetadata } from './format.js';

export interface ExportDeps {
  groups: GroupsService;
  attributes: AttributesService;
  regions: RegionsService;
}

/** An export: the import file as an object (serialize with JSON.stringify). */
export type CatalogExport = Record<string, unknown[] | ExportMetadata>;

const byCreation = (a: ItemRecord, b: ItemRecord) =>
  a.created_at.getTime() - b.created_at.getTime() || a.item_id - b.item_id;

/** The admin body of `limits` (null when nothing is limited). */
function limitsBody(l: LimitsRecord | null) {
  if (!l) return null;
  return {
    per_user:
      l.per_user_total == null
        ? null
        : { total: l.per_user_total, limit_exceeded_visibility: l.limit_exceeded_visibility ?? 'show' },
    per_item: l.per_item_total,
    recurrent_schedule: l.recurrent
      ? {
          per_user: {
            interval_type: l.recurrent.interval_type,
            time: l.recurrent.time,
            day_of_week: l.recurrent.day_of_week,
            day_of_month: l.recurrent.day_of_month,
          },
        }
      : null,
  };
}

/** Fields of every item body (admin create of any item type). */
function commonBody(item: ItemRecord) {
  return {
    sku: item.sku,
    name: item.name,
    ...(item.description ? { description: item.description } : {}),
    ...(item.long_description ? { long_description: item.long_description } : {}),
    image_url: item.image_url,
    media_list: item.media_list,
    groups: item.groups.map((g) => g.external_id),
    attributes: item.attributes.map((a) => ({
      external_id: a.external_id,
      name: a.name,
      values: a.values.map((v) => ({ external_id: v.external_id, value: v.value })),
    })),
    prices: item.prices.map((p) => ({
      amount: moneyNumber(p.amount),
      currency: p.currency,
      ...(p.country_iso ? { country_iso: p.country_iso } : {}),
      is_default: p.is_default,
      is_enabled: p.is_enabled,
    })),
    vc_prices: item.vc_prices.map((p) => ({
      sku: p.sku,
      amount: p.amount,
      is_default: p.is_default,
      is_enabled: p.is_enabled,
    })),
    is_enabled: item.is_enabled,
    is_show_in_store: item.is_show_in_store,
    is_free: item.is_free,
    is_paid_randomized_reward: item.is_paid_randomized_reward,
    order: item.order,
    regions: item.regions.map((id) => ({ id })),
    limits: limitsBody(item.limits),
    periods: item.periods.map(periodView),
    custom_attributes: item.custom_attributes,
  };
}

const contentBody = (item: ItemRecord, skuOf: Map<number, string>) =>
  item.content.flatMap((c) => {
    const sku = skuOf.get(c.item_id);
    return sku ? [{ sku, quantity: c.quantity }] : [];
  });

function gameKeyBody(key: ItemRecord) {
  const po = key.pre_order as {
    is_enabled?: boolean;
    release_date?: string | null;
    description?: string | null;
  };
  return {
    type: 'game_key',
    ...commonBody(key),
    drm_sku: key.drm_sku ?? '',
    pre_order: po?.release_date
      ? {
          is_enabled: po.is_enabled ?? false,
          release_date: po.release_date,
          description: po.description ?? null,
        }
      : null,
  };
}

function gameBody(game: ItemRecord, keys: ItemRecord[]) {
  const c = commonBody(game);
  return {
    type: 'unit',
    unit_type: 'game',
    sku: c.sku,
    name: c.name,
    ...(c.description ? { description: c.description } : {}),
    ...(c.long_description ? { long_description: c.long_description } : {}),
    image_url: c.image_url,
    media_list: c.media_list,
    groups: c.groups,
    attributes: c.attributes,
    is_enabled: c.is_enabled,
    is_show_in_store: c.is_show_in_store,
    is_free: c.is_free,
    order: c.order,
    custom_attributes: c.custom_attributes,
    unit_items: [...keys].sort((a, b) => a.order - b.order || a.item_id - b.item_id).map(gameKeyBody),
  };
}

/** Groups in creation order, each after its parent (so an import can create them in that order). */
function parentsFirst<G extends { id: number; external_id: string; parent_external_id: string | null }>(
  groups: G[],
): G[] {
  const byExternal = new Map(groups.map((g) => [g.external_id, g]));
  const out: G[] = [];
  const done = new Set<string>();
  const visit = (g: G, depth = 0) => {
    if (done.has(g.external_id) || depth > groups.length) return;
    const parent = g.parent_external_id ? byExternal.get(g.parent_external_id) : undefined;
    if (parent) visit(parent, depth + 1);
    done.add(g.external_id);
    out.push(g);
  };
  [...groups].sort((a, b) => a.id - b.id).forEach((g) => visit(g));
  return out;
}

/**
 * The catalog of `projectId` as an import file. `onItem` is called once per item written (progress).
 * Sections: virtual_currency, virtual_items, virtual_currency_package, bundle, game, groups, attributes,
 * regions, and the `itemshop` metadata.
 */
export async function exportCatalog(
  db: Kysely<DB>,
  deps: ExportDeps,
  projectId: number,
  onItem?: (done: number, total: number) => void,
): Promise<CatalogExport> {
  const all = (await itemsRepository.load(db, projectId)).sort(byCreation);
  const skuOf = new Map(all.map((i) => [i.item_id, i.sku]));
  const keysOf = new Map<number, ItemRecord[]>();
  for (const k of all.filter((i) => i.type === 'game_key' && i.parent_item_id !== null))
    keysOf.set(k.parent_item_id!, [...(keysOf.get(k.parent_item_id!) ?? []), k]);
  const top = all.filter((i) => i.type !== 'game_key');

  const sections: Record<string, unknown[]> = {
    [SECTION_OF.virtual_currency]: [],
    [SECTION_OF.virtual_good]: [],
    [SECTION_OF.virtual_currency_package]: [],
    [SECTION_OF.bundle]: [],
    [SECTION_OF.game]: [],
  };
  top.forEach((item, i) => {
    if (item.type === 'virtual_currency')
      sections[SECTION_OF.virtual_currency].push({
        type: 'virtual_currency',
        ...commonBody(item),
        is_hard: item.is_hard ?? false,
      });
    else if (item.type === 'virtual_good')
      sections[SECTION_OF.virtual_good].push({
        type: 'virtual_good',
        ...commonBody(item),
        inventory_options: {
          consumable: item.inventory_options?.consumable
            ? { usages_count: item.inventory_options.consumable.usages_count }
            : null,
          expiration_period: item.inventory_options?.expiration_period ?? null,
        },
      });
    else if (item.type === 'bundle') {
      const pkg = item.bundle_type === 'virtual_currency_package';
      sections[pkg ? SECTION_OF.virtual_currency_package : SECTION_OF.bundle].push({
        type: 'bundle',
        bundle_type: pkg ? 'virtual_currency_package' : 'standard',
        ...commonBody(item),
        description: item.description,
        content: contentBody(item, skuOf),
      });
    } else if (item.type === 'game')
      sections[SECTION_OF.game].push(gameBody(item, keysOf.get(item.item_id) ?? []));
    onItem?.(i + 1, top.length);
  });

  // groups with the position of their items (every item type, keys included)
  const members = new Map<string, { sku: string; order: number }[]>();
  for (const item of all)
    for (const g of item.groups)
      members.set(g.external_id, [
        ...(members.get(g.external_id) ?? []),
        { sku: item.sku, order: g.item_order_in_group },
      ]);
  const groups = parentsFirst(await deps.groups.list(projectId)).map((g) => ({
    external_id: g.external_id,
    name: g.name,
    ...(g.description ? { description: g.description } : {}),
    iconUrl: g.image_url,
    isEnabled: g.is_enabled,
    order: g.order,
    parent_external_id: g.parent_external_id,
    items: (members.get(g.external_id) ?? []).sort((a, b) => a.order - b.order),
  }));

  const attributes: unknown[] = [];
  for (let offset = 0; ; offset += 50) {
    const page = await deps.attributes.list(projectId, { limit: 50, offset });
    attributes.push(...page.attributes);
    if (page.attributes.length < 50 || offset + 50 >= page.total_count) break;
  }

  const metadata: ExportMetadata = {
    format: 'itemshop-catalog',
    version: 1,
    project_id: projectId,
    exported_at: new Date().toISOString(),
    item_order: top.map((i) => i.sku),
  };
  return {
    ...sections,
    [SECTION_OF.group]: groups,
    [SECTION_OF.attribute]: attributes,
    [SECTION_OF.region]: await deps.regions.list(projectId),
    [METADATA_KEY]: metadata,
  };
}
