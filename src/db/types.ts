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
  /** Bumped by every write to the merchant-wide keys (0016; modules/tenancy/directory.ts). */
  identity_version: ColumnType<string, string | number | undefined, string | number>;
  created_at: Generated<Date>;
}

export interface ProjectsTable {
  project_id: Generated<number>;
  merchant_id: number;
  name: string;
  catalog_version: ColumnType<string, string | number | undefined, string | number>;
  jwt_secret: string;
  jwks_url: string | null;
  /** Bumped by every write to the project's name, secret, JWKS URL or own keys (0016; tenancy/directory.ts). */
  identity_version: ColumnType<string, string | number | undefined, string | number>;
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
  /** Migration 0011: numeric(20,4) (a game key's price may have a fraction). */
  amount: Numeric;
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
  /** Held for the unpaid order `order_id` (migration 0015); false once sold or when never reserved. */
  reserved: Generated<boolean>;
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
  /** Migration 0011 adds 'payment' (create-payment-token). */
  source: 'cart' | 'item' | 'free_cart' | 'free_item' | 'virtual' | 'server_token' | 'payment';
  cart_id: string | null;
  custom_parameters: NullableJson<Record<string, unknown>>;
  settings: NullableJson<Record<string, unknown>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  paid_at: Date | null;
  done_at: Date | null;
  canceled_at: Date | null;
  expires_at: Date | null;
  /** Migration 0007: the payment's transaction id; the platform of a virtual-currency purchase. */
  invoice_id: ColumnType<string | null, string | null | undefined, string | null>;
  platform: ColumnType<string | null, string | null | undefined, string | null>;
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
  /** Migration 0007. */
  order_item_id: Generated<number>;
}

/** History of an order (migration 0007). bigint ids arrive as strings. */
export interface OrderEventsTable {
  event_id: ColumnType<string, never, never>;
  order_id: number;
  type: string;
  actor: string;
  detail: NullableJson<Record<string, unknown>>;
  created_at: Generated<Date>;
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

export interface WebhookSettingsTable {
  project_id: number;
  url: string;
  secret: string;
  is_enabled: boolean;
  version: number;
  updated_at: Generated<Date>;
}

export interface WebhookOutboxTable {
  event_id: ColumnType<string, never, never>;
  project_id: number;
  order_id: number | null;
  notification_type: string;
  body: string;
  /** `unsent`: written while the project had no enabled webhook (kept for the Event API, never sent). */
  status: Generated<'pending' | 'delivered' | 'failed' | 'discarded' | 'unsent'>;
  attempts: Generated<number>;
  retry_delays_ms: Json<number[]>;
  next_attempt_at: Generated<Date>;
  claim_token: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Generated<Date>;
  delivered_at: Date | null;
  /** The order's user (Event API); NULL for rows written before migration 0013. */
  user_id: string | null;
  /** When the user's client marked the event processed (Event API). */
  processed_at: Date | null;
}

export interface WebhookAttemptsTable {
  attempt_id: ColumnType<string, never, never>;
  event_id: ColumnType<string, string | number, string | number>;
  attempt: number;
  url: string;
  attempted_at: Date;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_snippet: string | null;
  outcome: 'delivered' | 'retry' | 'failed';
}

/** What a user holds of a virtual good (migration 0005). bigint quantities arrive as strings. */
export interface InventoryItemsTable {
  project_id: number;
  user_id: string;
  item_id: number;
  quantity: BigIntCol;
  expires_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A user's virtual-currency balance (migration 0005). */
export interface BalancesTable {
  project_id: number;
  user_id: string;
  currency_item_id: number;
  amount: BigIntCol;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** One grant of a delivery or an admin reward (migration 0005). */
export interface InventoryGrantsTable {
  grant_id: ColumnType<string, string | number | undefined, never>;
  project_id: number;
  user_id: string;
  order_id: number | null;
  line_position: number | null;
  source: 'order' | 'admin';
  kind: 'item' | 'currency' | 'game_code' | 'entitlement';
  item_id: number;
  sku: string;
  quantity: BigIntCol;
  period: string | null;
  code_id: string | null;
  code: string | null;
  entitlement_id: number | null;
  comment: string | null;
  created_at: Generated<Date>;
  revoked_at: Date | null;
  revoked_quantity: ColumnType<string | null, string | number | null | undefined, string | number | null>;
}

/** Migration 0004: a user's cart (cart_id is the public string id). */
export interface CartsTable {
  cart_pk: ColumnType<string, never, never>;
  project_id: number;
  cart_id: string;
  user_id: string;
  status: Generated<'open' | 'ordered'>;
  is_current: Generated<boolean>;
  currency: string | null;
  country: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  ordered_at: Date | null;
}

/** Migration 0004: one line of a cart per sku. */
export interface CartItemsTable {
  cart_pk: ColumnType<string, string | number, string | number>;
  sku: string;
  quantity: number;
  position: number;
}

/** A catalog import (migration 0008): the parsed file, its cursor, per-entry errors and the worker lease. */
export interface ImportJobsTable {
  import_id: string;
  project_id: number;
  source: string;
  mode: 'create' | 'create_and_update' | 'sync';
  status: Generated<'initialized' | 'process' | 'done' | 'error'>;
  entries: Json<unknown[]>;
  total: number;
  processed: Generated<number>;
  in_flight_at: Generated<Date>;
  errors: ColumnType<unknown[], string | undefined, string>;
  errors_count: Generated<number>;
  error: string | null;
  error_code: string | null;
  attempts: Generated<number>;
  locked_by: string | null;
  locked_until: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  completed_at: Date | null;
}

/** Migration 0009: what one user bought of one limited item in the current reset window. */
export interface UserItemLimitsTable {
  item_id: number;
  user_id: string;
  used: number;
  window_end: Date | null;
}

/** Migration 0009: the pre-order quantity of an item. */
export interface PreOrderLimitsTable {
  item_id: number;
  is_enabled: Generated<boolean>;
  available: Generated<number>;
  reserved: Generated<number>;
  sold: Generated<number>;
}

/** Migration 0009: what an order holds of a limited item (reserved → sold | released). */
export interface LimitReservationsTable {
  order_id: number;
  item_id: number;
  project_id: number;
  user_id: string;
  quantity: number;
  per_item: boolean;
  pre_order: boolean;
  per_user: boolean;
  window_end: Date | null;
  state: Generated<'reserved' | 'sold' | 'released'>;
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
  order_events: OrderEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  carts: CartsTable;
  cart_items: CartItemsTable;
  inventory_items: InventoryItemsTable;
  balances: BalancesTable;
  inventory_grants: InventoryGrantsTable;
  webhook_settings: WebhookSettingsTable;
  webhook_outbox: WebhookOutboxTable;
  webhook_attempts: WebhookAttemptsTable;
  import_jobs: ImportJobsTable;
  user_item_limits: UserItemLimitsTable;
  pre_order_limits: PreOrderLimitsTable;
  limit_reservations: LimitReservationsTable;
  catalog_changes: CatalogChangesTable;
}

/** One catalog write (migration 0010): the items it changed, or null when it may have changed anything. */
export interface CatalogChangesTable {
  project_id: number;
  version: ColumnType<string, string | number, string | number>;
  item_ids: number[] | null;
  created_at: Generated<Date>;
}

/** The root database handle or an open transaction: every repository method takes one of these. */
export type Executor = Kysely<DB> | Transaction<DB>;
export type ItemRow = Selectable<ItemsTable>;
export type NewItemRow = Insertable<ItemsTable>;
