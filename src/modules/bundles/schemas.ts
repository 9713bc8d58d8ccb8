/**
 * Request and response schemas of the bundles area (endpoints.tsv groups bundles-admin and bundles-catalog).
 * Fields follow the official spec's admin-create-bundle / admin-get-bundle; where the bundle calls differ from
 * the other item areas the spec is followed: price amounts may be decimal strings (`"9.99"`), `content[].quantity`
 * defaults to 1, `is_show_in_store` defaults to false, and the admin view carries `virtual_prices` with string
 * amounts instead of `vc_prices` (docs/decisions/0007-bundles.md).
 */
import { Type } from 'typebox';
import { ErrorRef, LocalizedOutput, Nullable, Sku } from '../../http/schemas.js';
export {
  SkuParams as BundleSkuParams,
  ProjectParams,
  GroupExternalIdParams,
  GroupIdParams,
  AdminListQuery,
  AdminItemQuery,
} from '../../http/schemas.js';
import { PriceInput, adminItemFields, commonItemFields } from '../items/schemas.js';

/** A positive decimal string with at most 4 decimals (`"9.99"`), as the spec's bundle bodies write amounts. */
const DecimalAmount = Type.String({ pattern: '^(?=.*[1-9])[0-9]{1,16}(\\.[0-9]{1,4})?$' });

const BundlePriceInput = Type.Object({
  ...PriceInput.properties,
  amount: Type.Union([PriceInput.properties.amount, DecimalAmount], {
    description: 'Price: a number or a decimal string such as "9.99"; greater than 0.',
  }),
});

export const BundleContentInput = Type.Array(
  Type.Object({ sku: Sku, quantity: Type.Optional(Type.Integer({ minimum: 1, default: 1 })) }),
  { minItems: 1, description: 'Items of the bundle with their quantities (each sku once).' },
);

/** Body of admin-create-bundle and admin-update-bundle. */
export const BundleBody = Type.Object(
  {
    ...commonItemFields,
    prices: Type.Optional(Nullable(Type.Array(BundlePriceInput))),
    is_show_in_store: Type.Optional(Type.Boolean({ default: false })),
    bundle_type: Type.Optional(
      Type.Union([Type.Literal('standard'), Type.Literal('partner_side_content')], {
        default: 'standard',
        description: 'Only `standard` is supported; `partner_side_content` is refused with 422.',
      }),
    ),
    content: BundleContentInput,
  },
  { required: ['sku', 'name', 'description', 'content'] },
);

const Money = Type.Object({
  amount: Type.String(),
  amount_without_discount: Type.String(),
  currency: Type.String(),
});

/** Admin view of a standard bundle (spec admin-get-bundle). */
export const AdminBundle = Type.Object({
  ...(({ vc_prices: _vc, prices: _p, ...rest }) => rest)(adminItemFields),
  prices: Type.Array(
    Type.Object({
      amount: Type.String({ description: 'Decimal string, e.g. "9.99".' }),
      currency: Type.String(),
      country_iso: Type.Optional(Type.String()),
      is_default: Type.Boolean(),
      is_enabled: Type.Boolean(),
    }),
  ),
  virtual_prices: Type.Array(
    Type.Object({
      sku: Type.String(),
      name: LocalizedOutput,
      type: Type.String(),
      description: LocalizedOutput,
      image_url: Nullable(Type.String()),
      amount: Type.String({ description: 'Integer amount of the virtual currency, as a string.' }),
      is_default: Type.Boolean(),
      is_enabled: Type.Boolean(),
    }),
  ),
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
    }),
  ),
  total_content_price: Nullable(Money),
});

export const AdminBundleList = Type.Object({ items: Type.Array(AdminBundle) });

export { ErrorRef };
