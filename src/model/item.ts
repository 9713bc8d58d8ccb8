/**
 * The item domain model shared by every area: one `ItemRecord` per row of `items` with its children loaded.
 * Money is a decimal string; virtual-currency amounts are integers; dates are Date instants plus the offset
 * (minutes) they were entered in. A leaf: it imports nothing of ours (the dependency rules in
 * .dependency-cruiser.cjs enforce it), so the catalog and every module can depend on it.
 */

/**
 * Localized text keyed by language (`{"en": "Sword"}`); the same shape as `Localized` in src/lib/locale.ts, kept
 * here so the item model is a leaf that imports nothing of ours (issue 14 §2).
 */
export type Localized = Record<string, string>;

export const ITEM_TYPES = ['virtual_good', 'virtual_currency', 'bundle', 'game', 'game_key'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

export interface PriceRecord {
  /** Decimal string, e.g. "1.9900". */
  amount: string;
  /** ISO 4217. */
  currency: string;
  /** ISO 3166-1 alpha-2, or null for a price valid everywhere. */
  country_iso: string | null;
  is_default: boolean;
  is_enabled: boolean;
}

export interface VcPriceRecord {
  currency_item_id: number;
  /** SKU of the virtual currency. */
  sku: string;
  /**
   * Amount of the currency as the admin set it: an integer, or (game keys, whose spec types it `number`) a
   * fraction with up to 4 decimals. What a buyer pays is vcCharge(amount).
   */
  amount: number;
  is_default: boolean;
  is_enabled: boolean;
}

/**
 * Units of virtual currency a price of `amount` costs: balances hold whole units, so a fractional price is
 * rounded UP (35.5 → 36; never less than the price the admin set). The catalog shows it as `amount` and the
 * exact price as `calculated_price`; orders charge and show it (docs/decisions/0023-fractional-vc-prices.md).
 */
export function vcCharge(amount: number): number {
  return Math.ceil(amount);
}

export interface PeriodRecord {
  date_from: Date | null;
  date_until: Date | null;
  from_offset_minutes: number;
  until_offset_minutes: number;
}

export interface GroupLink {
  group_id: number;
  external_id: string;
  name: Localized;
  item_order_in_group: number;
}

export interface AttributeLink {
  attribute_id: number;
  external_id: string;
  name: Localized;
  values: { value_id: number; external_id: string; value: Localized }[];
}

export type IntervalType = 'daily' | 'weekly' | 'monthly' | 'hourly';

export interface RecurrentSchedule {
  interval_type: IntervalType;
  /** `HH:00:00±HH:MM`. */
  time: string;
  day_of_week: number | null;
  day_of_month: number | null;
}

export interface LimitsRecord {
  per_user_total: number | null;
  limit_exceeded_visibility: 'show' | 'hide' | null;
  per_item_total: number | null;
  per_item_remaining: number | null;
  per_item_reserved: number;
  recurrent: RecurrentSchedule | null;
  recurrent_start_at: Date | null;
}

export interface ContentRecord {
  item_id: number;
  quantity: number;
}

export interface ItemRecord {
  item_id: number;
  project_id: number;
  sku: string;
  type: ItemType;
  name: Localized;
  description: Localized | null;
  long_description: Localized | null;
  image_url: string | null;
  media_list: { type: string; url: string }[];
  is_enabled: boolean;
  is_show_in_store: boolean;
  is_free: boolean;
  is_paid_randomized_reward: boolean;
  order: number;
  custom_attributes: Record<string, unknown> | null;
  virtual_item_type: string | null;
  inventory_options: InventoryOptions | null;
  is_hard: boolean | null;
  bundle_type: 'standard' | 'virtual_currency_package' | null;
  unit_type: string | null;
  parent_item_id: number | null;
  drm_sku: string | null;
  pre_order: Record<string, unknown> | null;
  created_at: Date;
  prices: PriceRecord[];
  vc_prices: VcPriceRecord[];
  periods: PeriodRecord[];
  regions: number[];
  groups: GroupLink[];
  attributes: AttributeLink[];
  limits: LimitsRecord | null;
  content: ContentRecord[];
}

export interface InventoryOptions {
  consumable: { usages_count: number | null } | null;
  expiration_period: { type: string; value: number } | null;
}

/** Virtual item type as the real service derives it from inventory options. */
export function virtualItemTypeOf(options: InventoryOptions | null): string {
  if (options?.expiration_period) return 'non_renewing_subscription';
  if (options?.consumable) return 'consumable';
  return 'non_consumable';
}

/** True when `now` is inside one of the item's sale periods (no periods = always). Seeds §8 rule 5. */
export function isInPeriod(item: Pick<ItemRecord, 'periods'>, now: number): boolean {
  if (item.periods.length === 0) return true;
  return item.periods.some(
    (p) =>
      (p.date_from === null || p.date_from.getTime() <= now) &&
      (p.date_until === null || p.date_until.getTime() > now),
  );
}
