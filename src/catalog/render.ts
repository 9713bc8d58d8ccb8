/**
 * Client (catalog) views of items, as the real service returns them (spec/NOTES.md "Catalog responses", the
 * real capture, seed-details §7): localized strings, the price for the buyer's country else the default
 * price (two-decimal strings), `price: null` for items sold only for virtual currency, `virtual_prices`,
 * `can_be_bought`, limits without user state, and the `additional_fields[]` on request.
 */
import { pickLocalized } from '../lib/locale.js';
import { money2 } from '../lib/money.js';
import { inventoryOptionsView, periodView } from '../model/item-views.js';
import {
  isInPeriod,
  vcCharge,
  virtualItemTypeOf,
  type ItemRecord,
  type ItemType,
  type PriceRecord,
} from '../model/item.js';
import { pickPrice, pickPriceIn } from '../model/price.js';
import { nextResetAt } from '../model/schedule.js';
import { deliverableContent, totalContentPrice as bundleTotal } from '../model/bundle-totals.js';
import type { CatalogSnapshot } from './snapshot.js';

export const ADDITIONAL_FIELDS = [
  'media_list',
  'order',
  'long_description',
  'custom_attributes',
  'item_order_in_group',
] as const;
export type AdditionalField = (typeof ADDITIONAL_FIELDS)[number];

/** Default images of the real service (spec/NOTES.md). */
export const DEFAULT_VIRTUAL_ITEM_IMAGE =
  'https://static.xsolla.com/misc/publisher_account/virtual_item_default_image.png';
export const DEFAULT_BUNDLE_IMAGE = 'https://cdn3.xsolla.com/img/misc/merchant/default-dc-image.png';

/**
 * The image shown for an item of `type` that has none: the real service's bundle default for bundles and
 * packages, its virtual-item default for every other type (virtual goods, currencies, games, game keys).
 * Client views never answer `image_url: null` for an item (docs/decisions/0025-sdk-required-fields.md: the
 * spec types it as a string and the iOS decoders reject a null).
 */
export function defaultImage(type: string): string {
  return type === 'bundle' ? DEFAULT_BUNDLE_IMAGE : DEFAULT_VIRTUAL_ITEM_IMAGE;
}

export interface RenderContext {
  snapshot: CatalogSnapshot;
  /** Two-letter language. */
  locale: string;
  /** ISO 3166-1 alpha-2 of the buyer, or null when unknown. */
  country: string | null;
  fields: ReadonlySet<AdditionalField>;
  /** ms since epoch. */
  now: number;
}

export { pickPrice, pickPriceIn }; // moved to src/model/price.ts; re-exported for existing callers

const priceView = (p: PriceRecord | null) =>
  p ? { amount: money2(p.amount), amount_without_discount: money2(p.amount), currency: p.currency } : null;

/** The item's own image, else the default of its type (a URL, never null). */
export function imageOf(item: Pick<ItemRecord, 'image_url' | 'type'>): string {
  return item.image_url || defaultImage(item.type);
}

/**
 * `virtual_item_type` and `inventory_options` of an item as a bundle's content entry: a virtual good's own, and
 * for other types what they are in an inventory — a currency is consumable, a bundle, package or game key is
 * not (items/model.ts virtualItemTypeOf). Every content entry carries both (docs/decisions/0025-sdk-required-fields.md:
 * the iOS bundle decoder requires them on each entry).
 */
function inventoryFieldsOf(item: ItemRecord) {
  return {
    virtual_item_type:
      item.type === 'virtual_good'
        ? (item.virtual_item_type ?? 'non_consumable')
        : virtualItemTypeOf(item.inventory_options),
    inventory_options: inventoryOptionsView(item.inventory_options),
  };
}

function virtualPrices(item: ItemRecord, ctx: RenderContext) {
  return item.vc_prices.flatMap((p) => {
    const vc = ctx.snapshot.byId.get(p.currency_item_id);
    if (!p.is_enabled || !vc) return [];
    return [
      {
        item_id: vc.item_id,
        sku: vc.sku,
        type: 'virtual_currency',
        name: pickLocalized(vc.name, ctx.locale) ?? vc.sku,
        description: pickLocalized(vc.description, ctx.locale),
        image_url: vc.image_url,
        amount: vcCharge(p.amount), // whole units; a fractional price is rounded up (ADR 0023)
        amount_without_discount: vcCharge(p.amount),
        calculated_price: { amount: money2(p.amount), amount_without_discount: money2(p.amount) },
        is_default: p.is_default,
      },
    ];
  });
}

/** Catalog `limits` without user state (anonymous view): `available` = what is left for anyone. */
function limitsView(item: ItemRecord, now: number) {
  const l = item.limits;
  if (!l || (l.per_user_total == null && l.per_item_total == null)) return null;
  return {
    per_user:
      l.per_user_total == null
        ? null
        : {
            total: l.per_user_total,
            available: l.per_user_total,
            limit_exceeded_visibility: l.limit_exceeded_visibility ?? 'show',
            recurrent_schedule: l.recurrent
              ? {
                  interval_type: l.recurrent.interval_type,
                  reset_next_date: Math.floor(nextResetAt(l.recurrent, now) / 1000),
                }
              : null,
          },
    per_item:
      l.per_item_total == null
        ? null
        : { total: l.per_item_total, available: l.per_item_remaining ?? l.per_item_total },
  };
}

/** Whether anyone may buy the item now (enabled, in period, priced or free, stock left). */
export function canBeBought(item: ItemRecord, ctx: RenderContext): boolean {
  if (!item.is_enabled || !isInPeriod(item, ctx.now)) return false;
  // Stock left (per_item, pre-order) changes with every purchase: applied per request by the limits overlay
  // (modules/limits/overlay.ts) and enforced by LimitsService.reserve, not frozen into the snapshot.
  if (item.type === 'bundle' && deliverableContent(item, (id) => ctx.snapshot.byId.get(id)).length === 0)
    return false; // nothing left to deliver (every content item disabled)
  if (!ctx.snapshot.soldIn(item, ctx.country)) return false;
  return (
    item.is_free || pickPrice(item.prices, ctx.country) !== null || item.vc_prices.some((p) => p.is_enabled)
  );
}

function groupsView(item: ItemRecord, ctx: RenderContext) {
  return item.groups.map((g) => ({
    external_id: g.external_id,
    name: pickLocalized(g.name, ctx.locale) ?? g.external_id,
    ...(ctx.fields.has('item_order_in_group') ? { item_order_in_group: g.item_order_in_group } : {}),
  }));
}

function attributesView(item: ItemRecord, ctx: RenderContext) {
  return item.attributes.map((a) => ({
    external_id: a.external_id,
    name: pickLocalized(a.name, ctx.locale) ?? a.external_id,
    values: a.values.map((v) => ({
      external_id: v.external_id,
      value: pickLocalized(v.value, ctx.locale) ?? v.external_id,
    })),
  }));
}

/** Σ content price × quantity in the buyer's currency, or null when not computable (modules/bundles/totals.ts). */
function totalContentPrice(item: ItemRecord, ctx: RenderContext) {
  return bundleTotal(item, (id) => ctx.snapshot.byId.get(id), ctx.country);
}

function contentView(item: ItemRecord, ctx: RenderContext, depth: number): Record<string, unknown>[] {
  return item.content.flatMap((c): Record<string, unknown>[] => {
    const ci = ctx.snapshot.byId.get(c.item_id);
    if (!ci || !ci.is_enabled) return []; // a disabled item is not obtainable in a bundle (seed-details §8 rule 6)
    if (item.bundle_type === 'virtual_currency_package') {
      return [
        {
          item_id: ci.item_id,
          sku: ci.sku,
          type: ci.type,
          name: pickLocalized(ci.name, ctx.locale) ?? ci.sku,
          description: pickLocalized(ci.description, ctx.locale),
          image_url: imageOf(ci),
          quantity: c.quantity,
          inventory_options: inventoryOptionsView(ci.inventory_options),
        },
      ];
    }
    // content entries keep `can_be_bought` (seed-details §7.2, Appendix X2); nested bundles, packages,
    // currencies and game keys carry `virtual_item_type` and `inventory_options` like goods do
    const { promotions: _p, vp_rewards: _v, periods: _pe, ...rest } = renderItem(ci, ctx, depth + 1);
    return [{ ...rest, ...inventoryFieldsOf(ci), quantity: c.quantity }];
  });
}

/**
 * The type-specific client view of an item, from its common view `base` (a module's renderer: the catalog knows
 * no item type's special fields beyond the common ones). `depth` is the nesting level (bundle content, unit items).
 */
export type ItemRenderer = (
  item: ItemRecord,
  base: Record<string, unknown>,
  ctx: RenderContext,
  depth: number,
) => Record<string, unknown>;

const itemRenderers = new Map<ItemType, ItemRenderer>();

/**
 * Registers the renderer of an item type (modules call it at start-up: modules depend on the catalog, never the
 * reverse). A later registration of the same type replaces the earlier one.
 */
export function registerItemRenderer(type: ItemType, render: ItemRenderer): void {
  itemRenderers.set(type, render);
}

/** The client view of one item: the common view, then its type's registered renderer, if any. */
export function renderItem(item: ItemRecord, ctx: RenderContext, depth = 0): Record<string, unknown> {
  const view: Record<string, unknown> = {
    item_id: item.item_id,
    sku: item.sku,
    type: item.type,
    name: pickLocalized(item.name, ctx.locale) ?? item.sku,
    description: pickLocalized(item.description, ctx.locale),
    image_url: imageOf(item),
    price: priceView(pickPrice(item.prices, ctx.country)),
    virtual_prices: virtualPrices(item, ctx),
    can_be_bought: canBeBought(item, ctx),
    promotions: [],
    limits: limitsView(item, ctx.now),
    periods: item.periods.map(periodView),
    attributes: attributesView(item, ctx),
    is_free: item.is_free,
    groups: groupsView(item, ctx),
    vp_rewards: [],
  };
  if (item.type === 'virtual_good') {
    Object.assign(view, inventoryFieldsOf(item));
  } else if (item.type === 'virtual_currency') {
    view.inventory_options = inventoryOptionsView(item.inventory_options);
  } else if (item.type === 'bundle') {
    view.bundle_type = item.bundle_type ?? 'standard';
    view.total_content_price = item.bundle_type === 'standard' ? totalContentPrice(item, ctx) : null;
    view.content = depth < 3 ? contentView(item, ctx, depth) : [];
  }
  if (ctx.fields.has('media_list')) view.media_list = item.media_list;
  if (ctx.fields.has('order')) view.order = item.order;
  if (ctx.fields.has('long_description'))
    view.long_description = pickLocalized(item.long_description, ctx.locale);
  if (ctx.fields.has('custom_attributes')) view.custom_attributes = item.custom_attributes ?? {};
  const typed = itemRenderers.get(item.type); // e.g. games and game keys (modules/games/render.ts)
  return typed ? typed(item, view, ctx, depth) : view;
}

/**
 * Whether a catalog list shows the item: enabled, shown in store, inside its periods (unless
 * `show_inactive_time_limited_items`), sold in the buyer's region.
 */
export function isListed(item: ItemRecord, ctx: RenderContext, showInactive: boolean): boolean {
  if (!item.is_enabled || !item.is_show_in_store) return false;
  if (!showInactive && !isInPeriod(item, ctx.now)) return false;
  if (!ctx.snapshot.soldIn(item, ctx.country)) return false;
  return true;
}
