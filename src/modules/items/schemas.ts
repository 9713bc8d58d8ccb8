/**
 * Admin item schemas shared by every item area: the request body fields common to virtual items, currencies,
 * packages, bundles and game keys, and the admin response views. Field names, types and limits follow the
 * spec (admin-create-virtual-item, admin-get-virtual-item, …) and seed-details.md §2.
 */
import { Type, type TProperties } from 'typebox';
import { boundedJson, LocalizedInput, LocalizedOutput, Nullable, Sku } from '../../http/schemas.js';
import { AttributeExternalId, ValueExternalId } from '../attributes/schemas.js';

const Iso4217 = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 currency code.' });
const Iso3166 = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 country code.' });
const DateTime = Type.String({ description: 'ISO 8601 with offset, e.g. 2020-08-11T10:00:00+03:00.' });
const ResetTime = Type.String({
  pattern: '^([01][0-9]|2[0-3]):00:00[+-]([01][0-9]|2[0-3]):[0-5][0-9]$',
  description: 'Reset hour with offset, e.g. 02:00:00+03:00.',
});

export const PriceInput = Type.Object({
  amount: Type.Number({ exclusiveMinimum: 0 }),
  currency: Iso4217,
  country_iso: Type.Optional(Nullable(Iso3166)),
  is_default: Type.Optional(Type.Boolean({ description: 'Default: false.' })),
  is_enabled: Type.Optional(Type.Boolean({ description: 'Default: true.' })),
});

export const VcPriceInput = Type.Object({
  sku: Sku,
  amount: Type.Integer({ exclusiveMinimum: 0 }),
  is_default: Type.Optional(Type.Boolean({ description: 'Default: false.' })),
  is_enabled: Type.Optional(Type.Boolean({ description: 'Default: true.' })),
});

export const MediaInput = Type.Object({
  type: Type.Union([Type.Literal('image'), Type.Literal('video')]),
  url: Type.String(),
});

export const PeriodInput = Type.Object({
  date_from: Nullable(DateTime),
  date_until: Type.Optional(Nullable(DateTime)),
});

export const AttributeInput = Type.Object({
  external_id: AttributeExternalId,
  name: Type.Optional(Type.Record(Type.String(), Type.String())),
  values: Type.Array(
    Type.Object({
      external_id: ValueExternalId,
      value: Type.Record(Type.String(), Type.String()),
    }),
  ),
});

/** A group reference: its external id, or `{external_id}` (both forms appear in the spec). */
export const GroupRefInput = Type.Union([
  Type.String({ minLength: 1 }),
  Type.Object({ external_id: Type.String({ minLength: 1 }) }),
]);

const RecurrentInput = Type.Object({
  interval_type: Type.Union([
    Type.Literal('daily'),
    Type.Literal('weekly'),
    Type.Literal('monthly'),
    Type.Literal('hourly'),
  ]),
  time: Type.Optional(ResetTime),
  day_of_week: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 7 }))),
  day_of_month: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 31 }))),
});

export const LimitsInput = Nullable(
  Type.Object({
    per_user: Type.Optional(
      Nullable(
        Type.Union([
          Type.Integer({ minimum: 1 }),
          Type.Object({
            total: Type.Integer({ minimum: 1 }),
            limit_exceeded_visibility: Type.Optional(
              Type.Union([Type.Literal('show'), Type.Literal('hide')]),
            ),
          }),
        ]),
      ),
    ),
    per_item: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    recurrent_schedule: Type.Optional(Nullable(Type.Object({ per_user: RecurrentInput }))),
  }),
);

export const InventoryOptionsInput = Type.Object({
  consumable: Type.Optional(
    Nullable(Type.Object({ usages_count: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))) })),
  ),
  expiration_period: Type.Optional(
    Nullable(
      Type.Object({
        type: Type.Union(['minute', 'hour', 'day', 'week', 'month', 'year'].map((t) => Type.Literal(t))),
        value: Type.Integer({ minimum: 1 }),
      }),
    ),
  ),
});

/** Body fields every admin item type accepts. */
export const commonItemFields = {
  sku: Sku,
  name: LocalizedInput,
  description: Type.Optional(LocalizedInput),
  long_description: Type.Optional(LocalizedInput),
  image_url: Type.Optional(Nullable(Type.String({ maxLength: 2048 }))),
  media_list: Type.Optional(Nullable(Type.Array(MediaInput))),
  groups: Type.Optional(Nullable(Type.Array(GroupRefInput))),
  attributes: Type.Optional(Nullable(Type.Array(AttributeInput))),
  prices: Type.Optional(Nullable(Type.Array(PriceInput))),
  vc_prices: Type.Optional(Nullable(Type.Array(VcPriceInput))),
  is_enabled: Type.Optional(Type.Boolean({ default: true })),
  is_show_in_store: Type.Optional(Type.Boolean({ default: true })),
  is_free: Type.Optional(Type.Boolean({ default: false })),
  is_paid_randomized_reward: Type.Optional(Type.Boolean({ default: false })),
  order: Type.Optional(Type.Integer({ default: 1 })),
  regions: Type.Optional(Nullable(Type.Array(Type.Object({ id: Type.Integer({ minimum: 1 }) })))),
  limits: Type.Optional(LimitsInput),
  periods: Type.Optional(Nullable(Type.Array(PeriodInput))),
  /** 500 characters of JSON (seed-details §2.11), 8 levels deep (ADR 0045). */
  custom_attributes: Type.Optional(
    boundedJson(Nullable(Type.Record(Type.String(), Type.Unknown())), { maxDepth: 8, maxJsonLength: 500 }),
  ),
} satisfies TProperties;

export const ContentInput = Type.Array(Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1 }) }), {
  minItems: 1,
});

/** The parsed common body (all item types). */
export interface ItemBody {
  sku: string;
  name: Record<string, string | null> | null;
  description?: Record<string, string | null> | null;
  long_description?: Record<string, string | null> | null;
  image_url?: string | null;
  media_list?: { type: 'image' | 'video'; url: string }[] | null;
  groups?: (string | { external_id: string })[] | null;
  attributes?:
    | {
        external_id: string;
        name?: Record<string, string>;
        values: { external_id: string; value: Record<string, string> }[];
      }[]
    | null;
  prices?:
    | {
        /** A number, or a decimal string (bundle bodies, as the spec writes them). */
        amount: number | string;
        currency: string;
        country_iso?: string | null;
        is_default?: boolean;
        is_enabled?: boolean;
      }[]
    | null;
  vc_prices?: { sku: string; amount: number; is_default?: boolean; is_enabled?: boolean }[] | null;
  is_enabled?: boolean;
  is_show_in_store?: boolean;
  is_free?: boolean;
  is_paid_randomized_reward?: boolean;
  order?: number;
  regions?: { id: number }[] | null;
  limits?: {
    per_user?: number | { total: number; limit_exceeded_visibility?: 'show' | 'hide' } | null;
    per_item?: number | null;
    recurrent_schedule?: {
      per_user: {
        interval_type: 'daily' | 'weekly' | 'monthly' | 'hourly';
        time?: string;
        day_of_week?: number | null;
        day_of_month?: number | null;
      };
    } | null;
  } | null;
  periods?: { date_from: string | null; date_until?: string | null }[] | null;
  custom_attributes?: Record<string, unknown> | null;
  /** virtual goods */
  inventory_options?: {
    consumable?: { usages_count?: number | null } | null;
    expiration_period?: { type: string; value: number } | null;
  } | null;
  /** virtual currency */
  is_hard?: boolean;
  /** packages and bundles */
  content?: { sku: string; quantity: number }[];
  bundle_type?: 'standard' | 'virtual_currency_package';
}

// ---------- admin response views ----------

const AdminPrice = Type.Object({
  amount: Type.Number(),
  currency: Type.String(),
  country_iso: Type.Optional(Type.String()),
  is_default: Type.Boolean(),
  is_enabled: Type.Boolean(),
});
const AdminVcPrice = Type.Object({
  sku: Type.String(),
  amount: Type.Number(),
  is_default: Type.Boolean(),
  is_enabled: Type.Boolean(),
});
export const AdminGroupRef = Type.Object({
  external_id: Type.String(),
  name: Type.Record(Type.String(), Type.String()),
});
const AdminAttribute = Type.Object({
  external_id: Type.String(),
  name: Type.Record(Type.String(), Type.String()),
  values: Type.Array(
    Type.Object({ external_id: Type.String(), value: Type.Record(Type.String(), Type.String()) }),
  ),
});
export const AdminLimits = Type.Object({
  per_user: Nullable(
    Type.Object({ total: Type.Integer(), limit_exceeded_visibility: Type.Optional(Type.String()) }),
  ),
  per_item: Nullable(
    Type.Object({
      total: Type.Integer(),
      available: Type.Integer(),
      reserved: Type.Integer(),
      sold: Type.Integer(),
    }),
  ),
  recurrent_schedule: Nullable(
    Type.Object({
      per_user: Type.Object({
        interval_type: Type.String(),
        day_of_week: Nullable(Type.Integer()),
        day_of_month: Nullable(Type.Integer()),
        time: Type.String(),
        reset_next_date: Type.Integer({ description: 'Unix seconds.' }),
        displayable_reset_start_date: Type.String(),
        displayable_reset_next_date: Type.String(),
      }),
    }),
  ),
});
const AdminPeriod = Type.Object({ date_from: Nullable(Type.String()), date_until: Nullable(Type.String()) });
export const AdminInventoryOptions = Type.Object({
  consumable: Nullable(Type.Object({ usages_count: Nullable(Type.Integer()) })),
  expiration_period: Nullable(Type.Object({ type: Type.String(), value: Type.Integer() })),
});

/** Fields of every admin item view. */
export const adminItemFields = {
  item_id: Type.Integer(),
  sku: Type.String(),
  type: Type.String(),
  name: LocalizedOutput,
  description: LocalizedOutput,
  long_description: LocalizedOutput,
  image_url: Nullable(Type.String()),
  media_list: Type.Array(Type.Object({ type: Type.String(), url: Type.String() })),
  groups: Type.Array(AdminGroupRef),
  attributes: Type.Array(AdminAttribute),
  prices: Type.Array(AdminPrice),
  vc_prices: Type.Array(AdminVcPrice),
  is_enabled: Type.Boolean(),
  is_show_in_store: Type.Boolean(),
  is_free: Type.Boolean(),
  is_paid_randomized_reward: Type.Boolean(),
  order: Type.Integer(),
  regions: Type.Array(Type.Object({ id: Type.Integer() })),
  limits: AdminLimits,
  periods: Type.Array(AdminPeriod),
  custom_attributes: Type.Record(Type.String(), Type.Unknown()),
} satisfies TProperties;

export const AdminVirtualItem = Type.Object({
  ...adminItemFields,
  virtual_item_type: Type.String(),
  inventory_options: AdminInventoryOptions,
});
export const AdminVirtualCurrency = Type.Object({
  ...adminItemFields,
  is_hard: Type.Boolean(),
  inventory_options: AdminInventoryOptions,
});
export const AdminVirtualCurrencyPackage = Type.Object({
  ...adminItemFields,
  bundle_type: Type.String(),
  content: Type.Array(
    Type.Object({
      item_id: Type.Integer(),
      sku: Type.String(),
      type: Type.String(),
      name: LocalizedOutput,
      description: LocalizedOutput,
      image_url: Nullable(Type.String()),
      quantity: Type.Integer(),
      inventory_options: AdminInventoryOptions,
    }),
  ),
});

export const CreatedSku = Type.Object({ sku: Type.String() });
