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

/**
 * `settings` of an order request: what the payment UI shows and where it returns, stored with the order as sent.
 * Keys the spec does not list are accepted and kept (`settings.sdk` of the iOS, Android, Unity and Unreal SDKs,
 * `settings.uiSettings` of the Android `/payment` body, unknown keys in `settings.ui` and its children), and a
 * null in an optional key means "not set": shipped SDKs send all of these (docs/decisions/0020-payment-settings.md).
 * `return_url` is any absolute URI, app schemes included; OrdersService checks it (422/1102 otherwise).
 */
export const PaymentSettings = Type.Object(
  {
    ui: Type.Optional(
      boundedJson(
        Nullable(
          Type.Object(
            {},
            { additionalProperties: true, description: 'Payment UI settings (stored, not interpreted).' },
          ),
        ),
        { maxDepth: 8, maxJsonLength: 16_384 },
      ),
    ),
    payment_method: Type.Optional(
      Type.Unsafe<number | string | null>({
        type: ['integer', 'string', 'null'],
        maxLength: 64,
        description: 'Payment method ID (the Android SDK sends it as a string).',
      }),
    ),
    return_url: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 1000,
          description:
            'Absolute URI the pay station sends the buyer to after the payment, app schemes included ' +
            '(`app://xpayment.com.example`); `status`, `invoice_id`, `user_id` and `foreigninvoice` are added.',
        }),
      ),
    ),
    redirect_policy: Type.Optional(
      boundedJson(Nullable(Type.Object({}, { additionalProperties: true })), {
        maxDepth: 8,
        maxJsonLength: 16_384,
      }),
    ),
    external_id: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 255,
          description:
            'Your transaction id: shown in the admin order view, `foreigninvoice` of the return URL and ' +
            '`billing.transaction.external_id` of the `order_paid` webhook.',
        }),
      ),
    ),
    sdk: Type.Optional(
      Nullable(Type.Object({}, { additionalProperties: true, description: 'Sent by the SDKs; stored.' })),
    ),
  },
  { additionalProperties: true },
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
  settings: Type.Optional(Nullable(PaymentSettings)),
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
      Nullable(
        Type.Object(
          {
            ...PaymentSettings.properties,
            currency: Type.Optional(ISO4217),
            language: Type.Optional(Type.String({ maxLength: 16 })),
          },
          { additionalProperties: true },
        ),
      ),
    ),
    custom_parameters: Type.Optional(Nullable(CustomParameters)),
  },
  { additionalProperties: false },
);

/** A price as the SDKs send it: a number (Android, Unity `checkout`) or a decimal string (Unity items). */
const LooseAmount = Type.Unsafe<number | string | null>({
  type: ['number', 'string', 'null'],
  maxLength: 32,
  description: 'Amount: a number or a decimal string.',
});

/**
 * Body of create-payment-token (`POST /v2/project/{project_id}/payment`), as the Android (`CreatePaymentTokenBody`)
 * and Unity (`CreatePaymentTokenRequest`) SDKs send it; keys they add are accepted.
 */
export const PaymentTokenBody = Type.Object(
  {
    purchase: Type.Object(
      {
        checkout: Type.Optional(
          Nullable(
            Type.Object(
              {
                amount: Type.Optional(LooseAmount),
                currency: Type.Optional(Nullable(ISO4217)),
              },
              {
                additionalProperties: true,
                description: 'What the buyer pays: total and ISO 4217 currency.',
              },
            ),
          ),
        ),
        items: Type.Optional(
          Nullable(
            Type.Array(
              Type.Object(
                {
                  sku: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
                  name: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
                  image_url: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
                  description: Type.Optional(Nullable(Type.String({ maxLength: 10000 }))),
                  price: Type.Optional(
                    Nullable(
                      Type.Object(
                        {
                          amount: Type.Optional(LooseAmount),
                          amount_without_discount: Type.Optional(LooseAmount),
                          amount_before_discount: Type.Optional(LooseAmount),
                          currency: Type.Optional(Nullable(ISO4217)),
                        },
                        { additionalProperties: true },
                      ),
                    ),
                  ),
                  quantity: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1_000_000 }))),
                  is_bonus: Type.Optional(Nullable(Type.Boolean())),
                },
                { additionalProperties: true },
              ),
              { maxItems: 500, description: 'The purchase line by line (each becomes an order line).' },
            ),
          ),
        ),
        description: Type.Optional(
          Nullable(
            Type.Object(
              { value: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))) },
              { additionalProperties: true, description: 'What is bought, when there are no items.' },
            ),
          ),
        ),
      },
      { additionalProperties: true },
    ),
    settings: Type.Optional(
      Nullable(
        Type.Object(
          {
            ...PaymentSettings.properties,
            currency: Type.Optional(Nullable(ISO4217)),
            locale: Type.Optional(Nullable(Type.String({ maxLength: 16 }))),
            sandbox: Type.Optional(Nullable(Type.Boolean())),
          },
          { additionalProperties: true },
        ),
      ),
    ),
    custom_parameters: Type.Optional(Nullable(CustomParameters)),
    sandbox: Type.Optional(Nullable(Type.Boolean())),
  },
  { additionalProperties: true },
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
  external_id: Nullable(
    Type.String({
      description: 'Your transaction id: `settings.external_id` of the order request, or null.',
    }),
  ),
  settings: Nullable(
    Type.Object(
      {},
      {
        additionalProperties: true,
        description: 'The payment `settings` the order was created with, as sent.',
      },
    ),
  ),
  custom_parameters: Nullable(Type.Object({}, { additionalProperties: true })),
  undelivered: Type.Array(
    Type.Object({
      position: Nullable(Type.Integer({ description: 'The order line (`items[]` index).' })),
      sku: Type.String({ description: 'The game key, or the item of the line, that was not delivered.' }),
      quantity: Type.Integer({ description: 'Units not delivered.' }),
      reason: Type.Union(
        [Type.Literal('no_game_code'), Type.Literal('item_not_found'), Type.Literal('not_deliverable')],
        {
          description:
            '`no_game_code`: the codes reserved for the order were deleted and the pool is empty; ' +
            '`item_not_found`: the item was deleted while the order was open; `not_deliverable`: anything else.',
        },
      ),
      message: Type.String(),
    }),
    {
      description:
        'What the payment could not deliver (empty when everything was). The order is still `done`: a payment ' +
        'already taken is never refused. Deliver it by hand (e.g. admin-get-codes / add-item-to-inventory).',
    },
  ),
  history: Type.Array(
    Type.Object({
      type: Type.String({
        description: 'created, paid, undelivered, done, canceled, expired, refunded or payment_failed.',
      }),
      actor: Type.String({ description: 'user, paystation, admin, sweeper or system.' }),
      detail: Nullable(Type.Object({}, { additionalProperties: true })),
      date: Type.String({ format: 'date-time' }),
    }),
  ),
});
