/**
 * Admin views of items (spec admin-get-virtual-item, admin-get-virtual-currency, …): localization objects with
 * two-letter keys, prices as JSON numbers, dates in the offset they were entered in, limits with their
 * configuration and counters. Shared by every admin area.
 */
import { formatIsoWithOffset } from '../lib/dates.js';
import { moneyNumber } from '../lib/money.js';
import { nextResetAt, parseResetTime } from './schedule.js';
import type { InventoryOptions, ItemRecord, LimitsRecord, PeriodRecord } from './item.js';

export const periodView = (p: PeriodRecord) => ({
  date_from: p.date_from ? formatIsoWithOffset(p.date_from, p.from_offset_minutes) : null,
  date_until: p.date_until ? formatIsoWithOffset(p.date_until, p.until_offset_minutes) : null,
});

export const inventoryOptionsView = (io: InventoryOptions | null) => ({
  consumable: io?.consumable ? { usages_count: io.consumable.usages_count } : null,
  expiration_period: io?.expiration_period ?? null,
});

/** Admin `limits` (always an object, each part null when not configured). */
export function adminLimitsView(l: LimitsRecord | null, now: number) {
  if (!l) return { per_user: null, per_item: null, recurrent_schedule: null };
  let recurrent_schedule = null;
  if (l.recurrent) {
    const next = nextResetAt(l.recurrent, now);
    const { offsetMinutes } = parseResetTime(l.recurrent.time);
    const start = l.recurrent_start_at ? nextResetAt(l.recurrent, l.recurrent_start_at.getTime()) : next;
    recurrent_schedule = {
      per_user: {
        interval_type: l.recurrent.interval_type,
        day_of_week: l.recurrent.day_of_week,
        day_of_month: l.recurrent.day_of_month,
        time: l.recurrent.time,
        reset_next_date: Math.floor(next / 1000),
        displayable_reset_start_date: formatIsoWithOffset(new Date(start), offsetMinutes),
        displayable_reset_next_date: formatIsoWithOffset(new Date(next), offsetMinutes),
      },
    };
  }
  const perItem =
    l.per_item_total == null
      ? null
      : {
          total: l.per_item_total,
          available: l.per_item_remaining ?? l.per_item_total,
          reserved: l.per_item_reserved,
          sold: l.per_item_total - (l.per_item_remaining ?? l.per_item_total) - l.per_item_reserved,
        };
  return {
    per_user:
      l.per_user_total == null
        ? null
        : { total: l.per_user_total, limit_exceeded_visibility: l.limit_exceeded_visibility ?? 'show' },
    per_item: perItem,
    recurrent_schedule,
  };
}

/** Fields common to every admin item view. */
export function adminItemView(item: ItemRecord, now = Date.now()) {
  return {
    item_id: item.item_id,
    sku: item.sku,
    type: item.type,
    name: item.name,
    description: item.description,
    long_description: item.long_description,
    image_url: item.image_url,
    media_list: item.media_list,
    groups: item.groups.map((g) => ({ external_id: g.external_id, name: g.name })),
    attributes: item.attributes.map((a) => ({
      external_id: a.external_id,
      name: a.name,
      values: a.values.map((v) => ({ external_id: v.external_id, value: v.value })),
    })),
    prices: item.prices.map((p) => ({
      amount: moneyNumber(p.amount),
      currency: p.currency,
      ...(p.country_iso ? { country_iso: p.country_iso } : {}), // absent, not null, for a price valid everywhere (spec)
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
    limits: adminLimitsView(item.limits, now),
    periods: item.periods.map(periodView),
    custom_attributes: item.custom_attributes ?? {},
  };
}

/** Admin view of a virtual good. */
export const adminVirtualItemView = (item: ItemRecord) => ({
  ...adminItemView(item),
  virtual_item_type: item.virtual_item_type ?? 'non_consumable',
  inventory_options: inventoryOptionsView(item.inventory_options),
});

/** Admin view of a virtual currency. */
export const adminVirtualCurrencyView = (item: ItemRecord) => ({
  ...adminItemView(item),
  is_hard: item.is_hard ?? false,
  inventory_options: inventoryOptionsView(item.inventory_options),
});

/** Admin view of a package or bundle; `contents` holds the records of its content items. */
export const adminBundleView = (item: ItemRecord, contents: Map<number, ItemRecord>) => ({
  ...adminItemView(item),
  bundle_type: item.bundle_type ?? 'standard',
  content: item.content.flatMap((c) => {
    const ci = contents.get(c.item_id);
    if (!ci) return [];
    return [
      {
        item_id: ci.item_id,
        sku: ci.sku,
        type: ci.type,
        name: ci.name,
        description: ci.description,
        image_url: ci.image_url,
        quantity: c.quantity,
        inventory_options: inventoryOptionsView(ci.inventory_options),
      },
    ];
  }),
});
