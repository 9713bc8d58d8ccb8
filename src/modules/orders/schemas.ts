/**
 * Request and response schemas of orders and payments (spec groups payment-client-side, payment-server-side,
 * order, free-item, virtual-payment) and of the Itemshop order extensions (mark paid, refund, admin order view).
 */
import { Type, type Static, type TObject } from 'typebox';
import { boundedJson, ProjectIdParam, Nullable } from '../../http/schemas.js';
export { ProjectParams, ItemSkuParams } from '../../http/schemas.js';

/**
 * A request body the spec makes optional: `schema` without its `type`, so a request without a body passes
 * validation; a body that is present must be a JSON object (http.ts `bodyOf` checks, 422/1102).
 */
export function optionalBody<T extends TObject>(schema: T) {
  const { type: _type, ...rest } = schema as T & { type?: unknown };
  return Type.Unsafe<Static<T> | undefined>({ ...rest });
}

const ISO4217 = Type.String({
  pattern: '^[A-Za-z]{3}$',
  description: 'Three-letter ISO 4217 currency code.',
});

/** `settings` of an order request: what the payment UI shows and where it returns (stored with the order). */
export const PaymentSettings = Type.Object(
  {
    ui: Type.Optional(
      boundedJson(
        Type.Object(
          {},
          { additionalProperties: true, description: 'Payment UI settings (stored, not interpreted).' },
        ),
        { maxDepth: 8, maxJsonLength: 16_384 },
      ),
    ),
    payment_method: Type.Optional(Type.Integer({ minimum: 1 })),
    return_url: Type.Optional(
      Type.String({
        maxLength: 1000,
        pattern: '^https?://',
        description: 'Where the pay station sends the buyer after the payment.',
      }),
    ),
    redirect_policy: Type.Optional(
      boundedJson(Type.Object({}, { additionalProperties: true }), { maxDepth: 8, maxJsonLength: 16_384 }),
    ),
  },
  { additionalProperties: false },
);

/** At most 200 keys (the spec's `maxProperties`), 8 levels deep, 32,768 characters of JSON (ADR 0045). */
const CustomParameters = boundedJson(
  Type.Record(Type.String(), Type.Unknown(), {
    minProperties: 1,
    maxProperties: 200,
    description: 'Project-specific parameters (stored with the order, sent in its webhooks).',
  }),
  { maxDepth: 8, maxJsonLength: 32_768 },
);

const orderFields = {
  currency: Type.Optional(ISO4217),
  locale: Type.Optional(Type.String({ maxLength: 16, description: 'Response language.' })),
  sandbox: Type.Optional(
    Type.Boolean({ default: false, description: 'Creates the order in sandbox mode (`mode: sandbox`).' }),
  ),
  settings: Type.Optional(PaymentSettings),
  custom_parameters: Type.Optional(CustomParameters),
};

/** Body of create-order, create-order-by-cart-id and the free cart variants (all optional). */
const CartOrderBodyObject = Type.Object(orderFields);
export const CartOrderBody = optionalBody(CartOrderBodyObject);

/** Body of create-order-with-item and create-free-order-with-item. */
const ItemOrderBodyObject = Type.Object({
  ...orderFields,
  quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 })),
  promo_code: Type.Optional(
    Type.String({ maxLength: 128, description: 'Accepted and ignored: Itemshop has no promo codes.' }),
  ),
});
export const ItemOrderBody = optionalBody(ItemOrderBodyObject);

/** Body of create-order-with-item-for-virtual-currency. */
const VirtualOrderBodyObject = Type.Object({
  custom_parameters: Type.Optional(Nullable(CustomParameters)),
});
export const VirtualOrderBody = optionalBody(VirtualOrderBodyObject);

export const PLATFORMS = [
  'playstation_network',
  'xbox_live',
  'xsolla',
  'pc_standalone',
  'nintendo_shop',
  'google_play',
  'app_store_ios',
  'android_standalone',
  'ios_standalone',
  'android_other',
  'ios_other',
  'pc_other',
] as const;

export const VirtualOrderQuery = Type.Object({
  platform: Type.Optional(
    Type.Unsafe<(typeof PLATFORMS)[number]>({
      type: 'string',
      enum: [...PLATFORMS],
      default: 'xsolla',
      description: 'Publishing platform the user plays on.',
    }),
  ),
});

export const CartIdParams = Type.Object({
  project_id: ProjectIdParam,
  cart_id: Type.String({ minLength: 1, maxLength: 255 }),
});

export const VirtualOrderParams = Type.Object({
  project_id: ProjectIdParam,
  item_sku: Type.String({ minLength: 1 }),
  virtual_currency_sku: Type.String({ minLength: 1 }),
});

/**
 * `{order_id}`: typed string as the spec does, so a non-number answers 404/9001 rather than 422 (an order id is
 * a positive 32-bit integer).
 */
export const OrderIdParams = Type.Object({
  project_id: ProjectIdParam,
  order_id: Type.String({ minLength: 1, maxLength: 32 }),
});

/** `{order_id, token}` of a new paid order. */
export const CreatedOrder = Type.Object({
  order_id: Type.Integer({ description: 'Order ID (fits a signed 32-bit integer).' }),
  token: Type.String({
    description: 'Payment token: opens the pay station at `/paystation4/?token=<token>`.',
  }),
});

/** `{order_id}` of a free or virtual-currency order (already `done`). */
export const CompletedOrder = Type.Object({ order_id: Type.Integer() });

const Value = <T extends ReturnType<typeof Type.String>>(value: T) =>
  Type.Object({ value }, { additionalProperties: true });

/** Body of admin-create-payment-token (v3). */
export const ServerTokenBody = Type.Object(
  {
    sandbox: Type.Optional(Type.Boolean({ default: false })),
    user: Type.Object(
      {
        id: Type.Object(
          { value: Type.String({ minLength: 1, maxLength: 255 }) },
          { additionalProperties: false },
        ),
        name: Type.Optional(Value(Type.String({ minLength: 1, maxLength: 255 }))),
        email: Type.Optional(
          Value(Type.String({ minLength: 3, maxLength: 255, pattern: '^[^\\s@]+@[^\\s@]+$' })),
        ),
        country: Type.Optional(
          Type.Object(
            {
              value: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$' })),
              allow_modify: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false },
          ),
        ),
        age: Type.Optional(Type.Integer()),
        phone: Type.Optional(Type.Object({ value: Type.String() }, { additionalProperties: true })),
        tracking_id: Type.Optional(Type.Object({ value: Type.String() }, { additionalProperties: true })),
        steam_id: Type.Optional(Type.Object({ value: Type.String() }, { additionalProperties: true })),
        is_legal: Type.Optional(Type.Boolean()),
        legal: Type.Optional(Type.Object({}, { additionalProperties: true })),
      },
      { additionalProperties: false },
    ),
    purchase: Type.Object(
      {
        items: Type.Array(
          Type.Object(
            {
              sku: Type.String({ minLength: 1 }),
              quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
            },
            { additionalProperties: false },
          ),
          { minItems: 1, maxItems: 500 },
        ),
      },
      { additionalProperties: false },
    ),
    settings: Type.Optional(
      Type.Object(
        {
          ...PaymentSettings.properties,
          currency: Type.Optional(ISO4217),
          language: Type.Optional(Type.String({ maxLength: 16 })),
          external_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
        },
        { additionalProperties: false },
      ),
    ),
    custom_parameters: Type.Optional(Nullable(CustomParameters)),
  },
  { additionalProperties: false },
);

/** `X-User-Ip` of admin-create-payment-token. */
export const ServerTokenHeaders = Type.Object({ 'x-user-ip': Type.Optional(Type.String({ maxLength: 64 })) });

/** `{token, order_id}` of admin-create-payment-token. */
export const ServerToken = Type.Object({ token: Type.String(), order_id: Type.Integer() });

const OrderStatus = Type.Union(
  ['new', 'paid', 'done', 'canceled', 'expired'].map((s) => Type.Literal(s)),
  { description: '`new`, `paid`, `done`, `canceled` or `expired`.' },
);

const Money = Type.Object({
  amount: Type.String(),
  amount_without_discount: Type.String(),
  currency: Type.String(),
});

/** get-order. */
export const OrderView = Type.Object({
  order_id: Type.Integer(),
  status: OrderStatus,
  content: Type.Object({
    price: Type.Optional(Money),
    virtual_price: Type.Optional(Money),
    is_free: Type.Boolean(),
    items: Type.Array(
      Type.Object({
        sku: Type.String(),
        quantity: Type.Integer(),
        is_free: Type.Boolean(),
        price: Type.Optional(Money),
      }),
    ),
  }),
});

/** Body of admin-order-search (v3). */
const OrderSearchBodyObject = Type.Object({
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      default: 10,
      description: 'Page size; at most 10 (a larger value is served as 10).',
    }),
  ),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  created_date_from: Type.Optional(
    Type.String({ description: 'ISO 8601 date-time with offset (inclusive).' }),
  ),
  created_date_until: Type.Optional(
    Type.String({ description: 'ISO 8601 date-time with offset (inclusive).' }),
  ),
});
export const OrderSearchBody = optionalBody(OrderSearchBodyObject);

const AdminPrice = Nullable(
  Type.Object({
    amount: Type.String(),
    amount_without_discount: Type.String(),
    currency: Type.String(),
    is_virtual_currency: Type.Boolean(),
  }),
);

/** One order of admin-order-search. */
export const AdminOrder = Type.Object({
  order_id: Type.Integer(),
  project_id: Type.Integer(),
  status: OrderStatus,
  date_created: Type.String({ format: 'date-time' }),
  mode: Type.Union([Type.Literal('default'), Type.Literal('sandbox')]),
  is_free: Type.Boolean(),
  invoice_id: Type.Optional(Type.String()),
  price: AdminPrice,
  user: Type.Object({
    id: Type.String(),
    country: Type.Optional(Type.String()),
    email: Type.Optional(Type.String()),
    region_id: Nullable(Type.Integer()),
  }),
  items: Type.Array(
    Type.Object({
      order_item_id: Type.Integer(),
      item_id: Type.Integer(),
      sku: Type.String(),
      type: Type.String(),
      quantity: Type.Integer(),
      is_free: Type.Boolean(),
      is_bonus: Type.Boolean(),
      region_id: Nullable(Type.Integer()),
      price: AdminPrice,
      description: Nullable(
        Type.Object({
          name: Type.String(),
          image_url: Type.Optional(Type.String()),
          description: Type.String(),
        }),
      ),
    }),
  ),
  promotions: Type.Array(Type.Object({ promotion_id: Type.Integer() })),
  coupons: Type.Array(Type.Object({}, { additionalProperties: true })),
});

export const OrderSearchResult = Type.Object({
  orders: Type.Array(AdminOrder),
  total_items_count: Type.Integer(),
  has_more: Type.Boolean(),
});

/** Body of the mark-paid extension. */
const MarkPaidBodyObject = Type.Object(
  {
    invoice_id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        description:
          "Your payment provider's transaction id (shown as `invoice_id` in webhooks and searches).",
      }),
    ),
  },
  { additionalProperties: false },
);
export const MarkPaidBody = optionalBody(MarkPaidBodyObject);

/** The admin view of one order with its history (Itemshop extension). */
export const AdminOrderWithHistory = Type.Object({
  ...AdminOrder.properties,
  history: Type.Array(
    Type.Object({
      type: Type.String({
        description: 'created, paid, done, canceled, expired, refunded or payment_failed.',
      }),
      actor: Type.String({ description: 'user, paystation, admin, sweeper or system.' }),
      detail: Nullable(Type.Object({}, { additionalProperties: true })),
      date: Type.String({ format: 'date-time' }),
    }),
  ),
});
