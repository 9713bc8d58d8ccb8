/**
 * Request and response schemas of carts (endpoints.tsv groups cart-client-side and cart-server-side), after the
 * official spec's cart operations: the client fill body `{items: [{sku, quantity}]}` (open, as the spec), the
 * server-side fill body with `currency` and `country` (closed, as the spec), `{quantity}` of put-item, and the
 * cart view `{cart_id, price, is_free, items[], promotions[], warnings[]}` with two-decimal money strings.
 */
import { Type } from 'typebox';
import { Nullable, ProjectIdParam } from '../../http/schemas.js';
export { ProjectParams, ItemSkuParams, ErrorRef, NoContent } from '../../http/schemas.js';

const CartId = Type.String({
  minLength: 1,
  maxLength: 255,
  description: 'Cart ID (a string). Ids of other users, ordered carts and unknown ids answer 404/1401.',
});
const ItemSku = Type.String({ minLength: 1, description: 'Item SKU.' });

/** `{project_id}` + `{cart_id}`. */
export const CartIdParams = Type.Object({ project_id: ProjectIdParam, cart_id: CartId });
/** `{project_id}` + `{cart_id}` + `{item_sku}`. */
export const CartItemParams = Type.Object({ project_id: ProjectIdParam, cart_id: CartId, item_sku: ItemSku });

const Currency = Type.String({
  pattern: '^[A-Za-z]{3}$',
  description:
    'ISO 4217 currency the cart is priced in. Items without a price in it show `price: null` (no conversion).',
});
const Country = Type.String({
  pattern: '^[A-Za-z]{2}$',
  description: 'ISO 3166-1 alpha-2 country of the buyer.',
});
const Locale = Type.String({
  maxLength: 16,
  description: 'Response language (`en` default; `en-US` → `en`).',
});

/** Query of client cart calls: `currency`, `locale` (spec) and the buyer's `country`. */
export const CartQuery = Type.Object({
  currency: Type.Optional(Currency),
  locale: Type.Optional(Locale),
  country: Type.Optional(Country),
});

/** Query of server-side fills: `locale` (spec). */
export const AdminFillQuery = Type.Object({ locale: Type.Optional(Locale) });

const Quantity = Type.Number({
  description: 'Item quantity: an integer from 0 (left out / removed) to 1 000 000.',
});

/** Body of cart-fill / cart-fill-by-id: the cart's new content (a sku given twice keeps its last quantity). */
export const FillBody = Type.Object({
  items: Type.Array(Type.Object({ sku: ItemSku, quantity: Quantity }), {
    maxItems: 500,
    description: 'The whole new content of the cart.',
  }),
});

/**
 * Body of put-item / put-item-by-cart-id: `{quantity}` (0 removes the item). The spec does not require a body;
 * without one (or without `quantity`) the quantity is 1 — so the schema has no top-level type (an absent body
 * validates) and the handler reads it with cart/http.ts `putQuantity`.
 */
export const PutItemBody = Type.Unsafe<{ quantity?: number } | undefined>({
  properties: { quantity: Quantity },
});

/** Body of admin-cart-fill / admin-fill-cart-by-id (spec schema `Cart`: closed, at least one item). */
export const AdminFillBody = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        sku: ItemSku,
        quantity: Type.Number({ minimum: 1, description: 'Item quantity (an integer, at least 1).' }),
      }),
      { minItems: 1, maxItems: 500 },
    ),
    currency: Type.Optional(Type.String({ minLength: 3, maxLength: 3, pattern: '^[A-Za-z]{3}$' })),
    country: Type.Optional(Type.String({ minLength: 2, maxLength: 2, pattern: '^[A-Za-z]{2}$' })),
  },
  { additionalProperties: false },
);

/** Headers naming the user of a server-side fill (spec): a user JWT or payment token, or the studio's own id. */
export const ServerUserHeaders = Type.Object({
  'x-user-for': Type.Optional(Type.String({ description: 'A user JWT of the project, or a payment token.' })),
  'x-user-id': Type.Optional(
    Type.String({ maxLength: 32, description: "The studio's own user id (such carts take game keys only)." }),
  ),
});

const Money = Type.Object({
  amount: Type.String({ description: 'Two-decimal string, e.g. "9.99".' }),
  amount_without_discount: Type.String(),
  currency: Type.String(),
});

/** One line of a cart: the item's catalog fields plus `quantity` and the unit `price` in the cart's currency. */
export const CartItemView = Type.Object(
  {
    sku: Type.String(),
    groups: Type.Array(Type.Object({ external_id: Type.String(), name: Type.String() })),
    name: Nullable(Type.String()),
    attributes: Type.Array(Type.Unknown()),
    type: Type.String(),
    description: Type.String(),
    image_url: Type.String(),
    inventory_options: Type.Optional(Type.Unknown()),
    quantity: Type.Integer(),
    price: Nullable(Money),
    virtual_item_type: Type.Optional(Type.String()),
    virtual_prices: Type.Array(Type.Unknown()),
    is_free: Type.Boolean(),
    is_bonus: Type.Boolean(),
    promotions: Type.Array(Type.Unknown()),
    can_be_bought: Type.Boolean(),
    vp_rewards: Type.Array(Type.Unknown()),
    limits: Nullable(Type.Unknown()),
    periods: Type.Array(Type.Unknown()),
  },
  { additionalProperties: true },
);

/** A line a fill skipped, with the error it would have raised. */
export const CartWarningView = Type.Object({
  sku: Type.String(),
  quantity: Type.Integer(),
  errorCode: Type.Integer(),
  errorMessage: Type.String(),
});

/** The cart as get-user-cart / get-cart-by-id answer it. */
export const CartView = Type.Object({
  cart_id: Type.String(),
  price: Nullable(Money),
  is_free: Type.Boolean(),
  items: Type.Array(CartItemView),
  promotions: Type.Array(Type.Unknown()),
});

/** The cart as the fills answer it (with the skipped lines). */
export const FilledCartView = Type.Object({
  ...CartView.properties,
  warnings: Type.Array(CartWarningView),
});
