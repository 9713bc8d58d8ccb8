/**
 * Request and response schemas of entitlements (spec group game-keys-entitlement: get-user-games,
 * redeem-game-pin-code, grant-entitlement-admin, revoke-entitlement-admin).
 */
import { Type } from 'typebox';
import { LimitQuery, Nullable, OffsetQuery, Sku } from '../../http/schemas.js';
export { ProjectParams } from '../../http/schemas.js';

/**
 * Names get-user-games accepts in `additional_fields[]`: the spec's `attributes`, and the catalog names the Unity
 * SDK sends by default (`long_description`) or documents (`media_list`, `order`). Repeated or comma-joined
 * (http/query.ts); anything else is 422/1102 naming the parameter and these values.
 */
export const ENTITLEMENT_ADDITIONAL_FIELDS = [
  'attributes',
  'media_list',
  'order',
  'long_description',
  'custom_attributes',
] as const;

const EntitlementFields = Type.Array(
  Type.Unsafe<(typeof ENTITLEMENT_ADDITIONAL_FIELDS)[number]>({
    type: 'string',
    enum: [...ENTITLEMENT_ADDITIONAL_FIELDS],
  }),
  { maxItems: 16, description: 'Extra fields: `attributes` (repeat the parameter, or join with commas).' },
);

export const UserGamesQuery = Type.Object({
  limit: Type.Optional(LimitQuery),
  offset: Type.Optional(OffsetQuery),
  sandbox: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 1,
      default: 0,
      description: '1 = the entitlements of sandbox mode.',
    }),
  ),
  'additional_fields[]': Type.Optional(EntitlementFields),
  additional_fields: Type.Optional(EntitlementFields),
});

const Attribute = Type.Object({
  external_id: Type.String(),
  name: Type.String(),
  values: Type.Array(Type.Object({ external_id: Type.String(), value: Type.String() })),
});

export const UserGames = Type.Object({
  has_more: Type.Boolean(),
  total_items_count: Type.Integer(),
  items: Type.Array(
    Type.Object({
      name: Type.String(),
      description: Type.String({ description: 'The game\'s description in English; `""` when it has none.' }),
      project_id: Type.Integer(),
      game_sku: Type.String(),
      drm: Type.String({ description: 'DRM short name (`drmfree`).' }),
      image_url: Type.String({ description: "The game's image, else the default image." }),
      is_pre_order: Type.Boolean(),
      attributes: Type.Array(Attribute),
    }),
  ),
});

export const RedeemBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 1024 }),
  sandbox: Type.Optional(Type.Boolean({ default: false })),
});

const Mode = Type.Union([Type.Literal('default'), Type.Literal('sandbox')]);
const Ref = (description: string) =>
  Type.Object({ sku: Type.String({ minLength: 1, maxLength: 255, description }) });

/** Body of revoke-entitlement-admin. */
export const RevokeBody = Type.Object({
  user_external_id: Type.String({ minLength: 1, maxLength: 255 }),
  game: Type.Object({ sku: Sku }),
  drm: Ref("The DRM: short name (`drmfree`), DRM sku (`drmfree_1`) or the sku of the game's key."),
  mode: Mode,
});

/** Body of grant-entitlement-admin. */
export const GrantBody = Type.Object({
  ...RevokeBody.properties,
  code: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 1024 }))),
  user_country: Type.Optional(Nullable(Type.String({ pattern: '^[A-Za-z]{2}$' }))),
});
