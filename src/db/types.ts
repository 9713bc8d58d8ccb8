/**
 * Kysely table types of the schema created by the migrations (src/db/migrations). Money columns are `numeric`
 * and arrive as decimal strings; bigint counters arrive as strings and are converted where read.
 */
import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;
type NullableJson<T = unknown> = ColumnType<T | null, string | null | undefined, string | null>;
type Numeric = ColumnType<string, string | number, string | number>;
type BigIntCol = ColumnType<string, string | number | bigint, string | number | bigint>;

export interface MerchantsTable {
  merchant_id: Generated<number>;
  name: string;
  created_at: Generated<Date>;
}

export interface ProjectsTable {
  project_id: Generated<number>;
  merchant_id: number;
  name: string;
  catalog_version: ColumnType<string, string | number | undefined, string | number>;
  jwt_secret: string;
  jwks_url: string | null;
  created_at: Generated<Date>;
}

export interface ApiKeysTable {
  key_id: Generated<number>;
  merchant_id: number;
  project_id: number | null;
  key_hash: string;
  name: Generated<string>;
  created_at: Generated<Date>;
  revoked_at: Date | null;
}

export interface ItemGroupsTable {
  group_id: Generated<number>;
  project_id: number;
  external_id: string;
  parent_group_id: number | null;
  name: Json<Record<string, string>>;
  description: NullableJson<Record<string, string>>;
  image_url: string | null;
  is_enabled: Generated<boolean>;
  order: Generated<number>;
  created_at: Generated<Date>;
}

export interface AttributesTable {
  attribute_id: Generated<number>;
  project_id: number;
  external_id: string;
  name: Json<Record<string, string>>;
  created_at: Generated<Date>;
}

export interface AttributeValuesTable {
  value_id: Generated<number>;
  attribute_id: number;
  external_id: string;
  value: Json<Record<string, string>>;
  position: Generated<number>;
}

export interface RegionsTable {
  region_id: Generated<number>;
  project_id: number;
  name: Json<Record<string, string>>;
  countries: ColumnType<string[], string[], string[]>;
  created_at: Generated<Date>;
}

export interface ItemsTable {
  item_id: Generated<number>;
  project_id: number;
  sku: string;
  type: string;
  name: Json<Record<string, string>>;
  description: NullableJson<Record<string, string>>;
  long_description: NullableJson<Record<string, string>>;
  image_url: string | null;
  media_list: Json<unknown[]>;
  is_enabled: boolean;
  is_show_in_store: boolean;
  is_free: boolean;
  is_paid_randomized_reward: boolean;
  order: number;
  custom_attributes: NullableJson<Record<string, unknown>>;
  virtual_item_type: string | null;
  inventory_options: NullableJson<Record<string, unknown>>;
  is_hard: boolean | null;
  bundle_type: string | null;
  unit_type: string | null;
  parent_item_id: number | null;
  drm_sku: string | null;
  pre_order: NullableJson<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ItemPricesTable {
  item_id: number;
  position: number;
  amount: Numeric;
  currency: string;
  country_iso: string | null;
  is_default: boolean;
  is_enabled: boolean;
}

export interface ItemVcPricesTable {
  item_id: number;
  position: number;
  currency_item_id: number;
  amount: BigIntCol;
  is_default: boolean;
  is_enabled: boolean;
}

export interface ItemPeriodsTable {
  item_id: number;
  position: number;
  date_from: Date | null;
  date_until: Date | null;
  from_offset_minutes: number;
  until_offset_minutes: number;
}

export interface ItemRegionsTable {
  item_id: number;
  region_id: number;
}

export interface ItemGroupLinksTable {
  item_id: number;
  group_id: number;
  item_order_in_group: number;
}

export interface ItemAttributeValuesTable {
  item_id: number;
  value_id: number;
  position: number;
}

export interface BundleContentsTable {
  bundle_item_id: number;
  position: number;
  content_item_id: number;
  quantity: number;
}

export interface ItemLimitsTable {
  item_id: number;
  per_user_total: number | null;
  limit_exceeded_visibility: string | null;
  per_item_total: number | null;
  per_item_remaining: number | null;
  per_item_reserved: Generated<number>;
  recurrent_interval_type: string | null;
  recurrent_time: string | null;
  recurrent_day_of_week: number | null;
  recurrent_day_of_month: number | null;
  recurrent_start_at: Date | null;
}

/** One code of a game key's pool (migration 0002). bigint ids arrive as strings. */
export interface GameCodesTable {
  code_id: ColumnType<string, string | number | undefined, never>;
  project_id: number;
  item_id: number;
  code: string;
  region_id: number | null;
  session_id: string | null;
  created_at: Generated<Date>;
  claimed_at: Date | null;
  claimed_by: string | null;
  order_id: number | null;
  claim_reason: string | null;
}

/** A code upload session (migration 0002). */
export interface GameCodeSessionsTable {
  session_id: string;
  project_id: number;
  item_id: number | null;
  region_id: number | null;
  status: string;
  count_total: number;
  count_uploaded: number;
  count_skipped: number;
  created_at: Generated<Date>;
  finished_at: Date | null;
}

/** A game a user owns (migration 0002). */
export interface EntitlementsTable {
  entitlement_id: Generated<number>;
  project_id: number;
  user_id: string;
  game_item_id: number;
  unit_item_id: number | null;
  drm: string;
  sandbox: boolean;
  code_id: string | null;
  source: string;
  created_at: Generated<Date>;
}

export interface OrdersTable {
  order_id: Generated<number>;
  project_id: number;
  user_id: string;
  user_email: string | null;
  user_country: string | null;
  user_name: string | null;
  status: Generated<'new' | 'paid' | 'done' | 'canceled' | 'expired'>;
  mode: Generated<'default' | 'sandbox'>;
  currency_type: 'real' | 'virtual' | 'unknown';
  currency: string | null;
  amount: ColumnType<string, string | number | undefined, string | number>;
  amount_without_discount: ColumnType<string, string | number | undefined, string | number>;
  is_free: Generated<boolean>;
  source: 'cart' | 'item' | 'free_cart' | 'free_item' | 'virtual' | 'server_token';
  cart_id: string | null;
  custom_parameters: NullableJson<Record<string, unknown>>;
  settings: NullableJson<Record<string, unknown>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  paid_at: Date | null;
  done_at: Date | null;
  canceled_at: Date | null;
  expires_at: Date | null;
}

export interface OrderItemsTable {
  order_id: number;
  position: number;
  item_id: number;
  sku: string;
  type: string;
  quantity: number;
  amount: ColumnType<string, string | number | undefined, string | number>;
  amount_without_discount: ColumnType<string, string | number | undefined, string | number>;
  is_free: Generated<boolean>;
}

export interface PaymentTokensTable {
  token: string;
  project_id: number;
  order_id: number;
  sandbox: Generated<boolean>;
  created_at: Generated<Date>;
  expires_at: Date;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response_body: string | null;
  created_at: Generated<Date>;
}

export interface DB {
  merchants: MerchantsTable;
  projects: ProjectsTable;
  api_keys: ApiKeysTable;
  item_groups: ItemGroupsTable;
  attributes: AttributesTable;
  attribute_values: AttributeValuesTable;
  regions: RegionsTable;
  items: ItemsTable;
  item_prices: ItemPricesTable;
  item_vc_prices: ItemVcPricesTable;
  item_periods: ItemPeriodsTable;
  item_regions: ItemRegionsTable;
  item_group_links: ItemGroupLinksTable;
  item_attribute_values: ItemAttributeValuesTable;
  bundle_contents: BundleContentsTable;
  item_limits: ItemLimitsTable;
  game_codes: GameCodesTable;
  game_code_sessions: GameCodeSessionsTable;
  entitlements: EntitlementsTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
  payment_tokens: PaymentTokensTable;
  idempotency_keys: IdempotencyKeysTable;
}

/** The root database handle or an open transaction: every repository method takes one of these. */
export type Executor = Kysely<DB> | Transaction<DB>;
export type ItemRow = Selectable<ItemsTable>;
export type NewItemRow = Insertable<ItemsTable>;
