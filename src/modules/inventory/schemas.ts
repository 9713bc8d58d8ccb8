/**
 * Request and response schemas of the player inventory (Xsolla Player Inventory API shapes, recorded in
 * docs/decisions/0010-player-inventory.md): get-user-inventory, get-user-virtual-balance,
 * get-user-time-limited-items, consume-item (user JWT) and add-item-to-inventory / revoke-item (basicAuth).
 */
import { Type } from 'typebox';
import { LimitQuery, Nullable, OffsetQuery } from '../../http/schemas.js';
export { ProjectParams } from '../../http/schemas.js';

const Platform = Type.String({
  maxLength: 64,
  description: 'Publishing platform the user plays on (`xsolla`, `google_play`, …); accepted and ignored.',
});
const Locale = Type.String({
  maxLength: 16,
  description: 'Language of names and descriptions (`en`, or `en-US` normalized to `en`); default `en`.',
});

/** Query of get-user-virtual-balance and get-user-time-limited-items. */
export const PlayerQuery = Type.Object({
  platform: Type.Optional(Platform),
  locale: Type.Optional(Locale),
});

/** Query of get-user-inventory. */
export const InventoryQuery = Type.Object({
  limit: Type.Optional(LimitQuery),
  offset: Type.Optional(OffsetQuery),
  ...PlayerQuery.properties,
});

const Attribute = Type.Object({
  external_id: Type.String(),
  name: Type.String(),
  values: Type.Array(Type.Object({ external_id: Type.String(), value: Type.String() })),
});
const Group = Type.Object({ external_id: Type.String(), name: Type.String() });

/** get-user-inventory. */
export const InventoryItems = Type.Object({
  items: Type.Array(
    Type.Object({
      sku: Type.String(),
      type: Type.Union([Type.Literal('virtual_good'), Type.Literal('virtual_currency')]),
      name: Type.String(),
      description: Nullable(Type.String()),
      image_url: Type.String(),
      attributes: Type.Array(Attribute),
      groups: Type.Array(Group),
      instance_id: Type.Null({ description: 'Always null: Itemshop has no instance items.' }),
      quantity: Type.Integer({ description: 'Units held (currencies: the balance).' }),
      remaining_uses: Nullable(
        Type.Integer({ description: 'Consumables: units left; other goods: 1; currencies: null.' }),
      ),
      virtual_item_type: Nullable(
        Type.String({ description: '`consumable`, `non_consumable` or `non_renewing_subscription`.' }),
      ),
    }),
  ),
});

/** get-user-virtual-balance. */
export const VirtualBalance = Type.Object({
  items: Type.Array(
    Type.Object({
      sku: Type.String(),
      type: Type.Literal('virtual_currency'),
      name: Type.String(),
      description: Nullable(Type.String()),
      image_url: Type.String(),
      amount: Type.Integer(),
    }),
  ),
});

/** get-user-time-limited-items. */
export const TimeLimitedItems = Type.Object({
  items: Type.Array(
    Type.Object({
      sku: Type.String(),
      type: Type.String(),
      name: Type.String(),
      description: Nullable(Type.String()),
      image_url: Type.String(),
      virtual_item_type: Type.Literal('non_renewing_subscription'),
      status: Type.Union([Type.Literal('active'), Type.Literal('expired')]),
      expired_at: Nullable(Type.Integer({ description: 'Expiry, unix seconds.' })),
    }),
  ),
});

/** Body of consume-item: `sku` and `quantity` (or an `instance_id`, which Itemshop never has). */
export const ConsumeBody = Type.Object({
  sku: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  quantity: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1_000_000_000 }))),
  instance_id: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
});

const Operation = Type.Object({
  user: Type.Object({
    id: Type.String({ minLength: 1, maxLength: 255, description: "The user's id (the JWT `sub`)." }),
  }),
  comment: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 255 }))),
  platform: Type.Optional(Nullable(Platform)),
  items: Type.Array(
    Type.Object({
      sku: Type.String({ minLength: 1, maxLength: 255 }),
      quantity: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
    }),
    { minItems: 1, maxItems: 100 },
  ),
});

/** Body of add-item-to-inventory / revoke-item: operations (only the first 50 are processed). */
export const OperationsBody = Type.Array(Operation, { minItems: 1, maxItems: 1000 });

/** Answer of add-item-to-inventory / revoke-item. */
export const OperationsResult = Type.Object({
  count: Type.Integer({ description: 'Operations processed.' }),
  operations: Type.Array(
    Type.Object({
      user_id: Type.String(),
      platform: Nullable(Type.String()),
      comment: Nullable(Type.String()),
      items: Type.Array(
        Type.Object({
          sku: Type.String(),
          quantity: Type.Integer(),
          balance: Type.Integer({ description: 'What the user holds of the sku after the operation.' }),
        }),
      ),
    }),
  ),
});
