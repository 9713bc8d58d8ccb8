/**
 * Hand-written narrowing of the generated table types (src/db/types.ts, `npm run db:types`). The generator
 * knows the schema's facts (column names, SQL types, nullability, defaults); it cannot know what the code
 * keeps in a `text` status column or a `jsonb` document. Those narrower types live here, one entry per column,
 * and replace the generated column type in `DB` (src/db/types.ts combines both: `Narrowed<Table, name>`).
 *
 * Rules: only columns that exist (types.ts fails to compile otherwise); only a narrower or more useful type
 * than the generated one (a union of the values the code writes, a JSON document's shape); never a fact the
 * schema holds (nullability, defaults — change the migration instead).
 *
 * JSON columns are written as `JSON.stringify(...)` text and read back parsed by the driver.
 */
import type { ColumnType } from 'kysely';

/** A `jsonb` document of shape `T`: selected parsed, inserted and updated as JSON text. */
type Json<T = unknown> = ColumnType<T, string, string>;
/** A `jsonb` column with a database default (insert may leave it out). */
type JsonWithDefault<T = unknown> = ColumnType<T, string | undefined, string>;
/** A nullable `jsonb` document of shape `T`. */
type NullableJson<T = unknown> = ColumnType<T | null, string | null | undefined, string | null>;
/** A text column holding one of `T`. */
type OneOf<T extends string> = ColumnType<T, T, T>;
/** A text column holding one of `T`, with a database default. */
type OneOfWithDefault<T extends string> = ColumnType<T, T | undefined, T>;

/** A localized text: language code → text. */
type Localized = Record<string, string>;

/** Narrower column types by table and column (see the module comment). */
export interface ColumnOverrides {
  item_groups: {
    name: JsonWithDefault<Localized>;
    description: NullableJson<Localized>;
  };
  attributes: { name: JsonWithDefault<Localized> };
  attribute_values: { value: JsonWithDefault<Localized> };
  regions: { name: JsonWithDefault<Localized> };
  items: {
    name: JsonWithDefault<Localized>;
    description: NullableJson<Localized>;
    long_description: NullableJson<Localized>;
    media_list: JsonWithDefault<unknown[]>;
    custom_attributes: NullableJson<Record<string, unknown>>;
    inventory_options: NullableJson<Record<string, unknown>>;
    pre_order: NullableJson<Record<string, unknown>>;
  };
  orders: {
    status: OneOfWithDefault<'new' | 'paid' | 'done' | 'canceled' | 'expired'>;
    mode: OneOfWithDefault<'default' | 'sandbox'>;
    currency_type: OneOf<'real' | 'virtual' | 'unknown'>;
    /** Migration 0011 adds 'payment' (create-payment-token). */
    source: OneOf<'cart' | 'item' | 'free_cart' | 'free_item' | 'virtual' | 'server_token' | 'payment'>;
    custom_parameters: NullableJson<Record<string, unknown>>;
    settings: NullableJson<Record<string, unknown>>;
  };
  order_events: { detail: NullableJson<Record<string, unknown>> };
  webhook_outbox: {
    /** `unsent`: written while the project had no enabled webhook (kept for the Event API, never sent). */
    status: OneOfWithDefault<'pending' | 'delivered' | 'failed' | 'discarded' | 'unsent'>;
    retry_delays_ms: JsonWithDefault<number[]>;
  };
  webhook_attempts: { outcome: OneOf<'delivered' | 'retry' | 'failed'> };
  inventory_grants: {
    source: OneOf<'order' | 'admin'>;
    kind: OneOf<'item' | 'currency' | 'game_code' | 'entitlement'>;
  };
  carts: { status: OneOfWithDefault<'open' | 'ordered'> };
  import_jobs: {
    mode: OneOf<'create' | 'create_and_update' | 'sync'>;
    status: OneOfWithDefault<'initialized' | 'process' | 'done' | 'error'>;
    entries: Json<unknown[]>;
    errors: JsonWithDefault<unknown[]>;
  };
  limit_reservations: { state: OneOfWithDefault<'reserved' | 'sold' | 'released'> };
}

/** Table `T` named `name` with the columns of ColumnOverrides[name] replaced (T itself when none). */
export type Narrowed<T, Name extends string> = Name extends keyof ColumnOverrides
  ? Omit<T, keyof ColumnOverrides[Name]> & ColumnOverrides[Name]
  : T;
