/**
 * Schemas of the client catalog: the common query of list reads (seed-details §2.16) and the item view (for the
 * OpenAPI document; catalog bodies are sent pre-serialized by catalog/http.ts).
 */
import { Type } from 'typebox';
import { LimitQuery, Nullable, OffsetQuery, PromoCodeQuery } from '../http/schemas.js';
import { ADDITIONAL_FIELDS } from './render.js';

/**
 * `additional_fields[]` (also `additional_fields`, repeated or comma-joined: http/query.ts). An unknown name is
 * 422/1102 naming the parameter and the allowed values (an `enum`, errors/handler.ts).
 */
const AdditionalFields = Type.Array(
  Type.Unsafe<(typeof ADDITIONAL_FIELDS)[number]>({ type: 'string', enum: [...ADDITIONAL_FIELDS] }),
  {
    maxItems: 32,
    description:
      'Extra fields to include: media_list, order, long_description, custom_attributes, item_order_in_group ' +
      '(repeat the parameter, or join the names with commas).',
  },
);
const Country = Type.String({
  pattern: '^[A-Za-z]{2}$',
  description: 'ISO 3166-1 alpha-2 country of the buyer.',
});
const Locale = Type.String({
  maxLength: 16,
  description: 'Response language (`en`, or `en-US` normalized to `en`); default `en`.',
});
const ShowInactive = Type.Integer({
  minimum: 0,
  maximum: 1,
  default: 0,
  description: '1 = also items whose sale period has not started or has ended.',
});

const WithGeo = Type.Union([Type.Boolean(), Type.Integer({ minimum: 0, maximum: 1 })], {
  description:
    '1 or true: answer with the headers X-User-Locale-Code (language of the answer) and X-User-Country-Code ' +
    "(the buyer's country, when known).",
});

/** Query of a single-item catalog read. */
export const CatalogItemQuery = Type.Object({
  locale: Type.Optional(Locale),
  country: Type.Optional(Country),
  promo_code: Type.Optional(PromoCodeQuery),
  show_inactive_time_limited_items: Type.Optional(ShowInactive),
  'additional_fields[]': Type.Optional(AdditionalFields),
  additional_fields: Type.Optional(AdditionalFields),
  with_geo: Type.Optional(WithGeo),
});

/** Query of a paginated catalog list. */
export const CatalogListQuery = Type.Object({
  limit: Type.Optional(LimitQuery),
  offset: Type.Optional(OffsetQuery),
  ...CatalogItemQuery.properties,
});

const Price = Type.Object({
  amount: Type.String(),
  amount_without_discount: Type.String(),
  currency: Type.String(),
});

/** A catalog item as the client sees it (localized strings, two-decimal money). */
export const CatalogItem = Type.Object(
  {
    item_id: Type.Integer(),
    sku: Type.String(),
    type: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    image_url: Type.String({ description: "The item's image, else the default image of its type." }),
    price: Nullable(Price),
    virtual_prices: Type.Array(
      Type.Object({
        item_id: Type.Integer(),
        sku: Type.String(),
        type: Type.String(),
        name: Type.String(),
        description: Nullable(Type.String()),
        image_url: Nullable(Type.String()),
        amount: Type.Integer(),
        amount_without_discount: Type.Integer(),
        calculated_price: Type.Object({ amount: Type.String(), amount_without_discount: Type.String() }),
        is_default: Type.Boolean(),
      }),
    ),
    can_be_bought: Type.Boolean(),
    promotions: Type.Array(Type.Unknown()),
    limits: Nullable(Type.Unknown()),
    periods: Type.Array(
      Type.Object({ date_from: Nullable(Type.String()), date_until: Nullable(Type.String()) }),
    ),
    attributes: Type.Array(Type.Unknown()),
    is_free: Type.Boolean(),
    groups: Type.Array(
      Type.Object({
        external_id: Type.String(),
        name: Type.String(),
        item_order_in_group: Type.Optional(Type.Integer()),
      }),
    ),
    vp_rewards: Type.Array(Type.Unknown()),
    virtual_item_type: Type.Optional(Type.String()),
    inventory_options: Type.Optional(Type.Unknown()),
    bundle_type: Type.Optional(Type.String()),
    total_content_price: Type.Optional(Nullable(Price)),
    content: Type.Optional(Type.Array(Type.Unknown())),
  },
  { additionalProperties: true },
);

/** `{has_more, items}` of a catalog list. */
export const CatalogPage = Type.Object({ has_more: Type.Boolean(), items: Type.Array(CatalogItem) });
