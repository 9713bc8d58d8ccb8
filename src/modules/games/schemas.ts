/**
 * Request and response schemas of games and game keys (spec groups game-keys-admin and game-keys-catalog;
 * seed-details.md operations D, E, F, J, K, L). A game is `type: "unit"` in admin and catalog views; its
 * `unit_items` are its game keys, one per DRM.
 */
import { Type, type TProperties } from 'typebox';
import { CatalogItem } from '../../catalog/schemas.js';
import { IdParam, LocalizedInput, LocalizedOutput, Nullable, ProjectIdParam } from '../../http/schemas.js';
export {
  ProjectParams,
  ItemSkuParams,
  ItemIdParams,
  GroupExternalIdParams,
  AdminListQuery as AdminGameListQuery,
  AdminItemQuery as AdminGameQuery,
} from '../../http/schemas.js';
import { AdminLimits, LimitsInput, PeriodInput, VcPriceInput, commonItemFields } from '../items/schemas.js';

export const SessionParams = Type.Object({
  project_id: ProjectIdParam,
  session_id: Type.String({ minLength: 1, maxLength: 64 }),
});

const PreOrderInput = Type.Object({
  is_enabled: Type.Boolean(),
  release_date: Type.String({ description: 'ISO 8601 with offset.' }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 4096 }))),
});

/**
 * Game key limits: as for other items, plus `per_item` given as the admin view's object (`{total, …}`), which is
 * what the seeds' create-game example sends (seed-details §10.2 #4).
 */
const limitsProperties = (LimitsInput as unknown as { properties: TProperties }).properties;
const GameKeyLimitsInput = Nullable(
  Type.Object({
    ...limitsProperties,
    per_item: Type.Optional(
      Nullable(
        Type.Union([
          Type.Integer({ minimum: 1 }),
          Type.Object({ total: Type.Integer({ minimum: 1 }) }, { additionalProperties: true }),
        ]),
      ),
    ),
  }),
);

/**
 * A virtual-currency price of a game key: the spec types `amount` as `number` and its own example sends 35.5, so
 * a fraction is accepted (stored with up to 4 decimals; buyers pay it rounded up to whole units, items/model.ts
 * vcCharge; docs/decisions/0023-fractional-vc-prices.md).
 */
const GameKeyVcPriceInput = Type.Object({
  ...VcPriceInput.properties,
  amount: Type.Number({
    exclusiveMinimum: 0,
    maximum: 1e15,
    description: 'Price in the virtual currency; a fraction (35.5) is charged rounded up (36).',
  }),
});

/** One game key of a create/update body (seed K `unit_items[]`). */
export const UnitItemBody = Type.Object(
  {
    ...commonItemFields,
    vc_prices: Type.Optional(Nullable(Type.Array(GameKeyVcPriceInput))),
    name: Type.Optional(LocalizedInput),
    drm_sku: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'DRM sku (`steam_key_1`) or name (`steam`).',
    }),
    pre_order: Type.Optional(Nullable(PreOrderInput)),
    limits: Type.Optional(GameKeyLimitsInput),
    periods: Type.Optional(Nullable(Type.Array(PeriodInput))),
  },
  { required: ['sku', 'drm_sku'] },
);

/** Body of admin-create-game and admin-update-game-* (seed K). */
export const GameBody = Type.Object(
  {
    sku: commonItemFields.sku,
    name: commonItemFields.name,
    description: commonItemFields.description,
    long_description: commonItemFields.long_description,
    image_url: commonItemFields.image_url,
    media_list: commonItemFields.media_list,
    groups: commonItemFields.groups,
    attributes: commonItemFields.attributes,
    is_enabled: commonItemFields.is_enabled,
    is_show_in_store: commonItemFields.is_show_in_store,
    is_free: commonItemFields.is_free,
    order: commonItemFields.order,
    custom_attributes: commonItemFields.custom_attributes,
    unit_items: Type.Array(UnitItemBody, { maxItems: 50 }),
  },
  { required: ['sku', 'name', 'unit_items'] },
);

export const CreatedGame = Type.Object({ item_id: Type.Integer(), sku: Type.String() });

// ---------- admin views ----------

const AdminGroup = Type.Object({
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

/** A game key in an admin game view (seed J `unit_items[]`). */
export const AdminGameKey = Type.Object({
  item_id: Type.Integer(),
  sku: Type.String(),
  type: Type.Literal('game_key'),
  name: LocalizedOutput,
  long_description: LocalizedOutput,
  is_enabled: Type.Boolean(),
  is_show_in_store: Type.Boolean(),
  is_free: Type.Boolean(),
  order: Type.Integer(),
  groups: Type.Array(AdminGroup),
  attributes: Type.Array(AdminAttribute),
  prices: Type.Array(
    Type.Object({
      amount: Type.Number(),
      currency: Type.String(),
      country_iso: Type.Optional(Type.String()),
      is_default: Type.Boolean(),
      is_enabled: Type.Boolean(),
    }),
  ),
  virtual_prices: Type.Array(
    Type.Object({
      sku: Type.String(),
      type: Type.String(),
      name: LocalizedOutput,
      description: LocalizedOutput,
      image_url: Nullable(Type.String()),
      amount: Type.Number(),
      is_default: Type.Boolean(),
      is_enabled: Type.Boolean(),
    }),
  ),
  regions: Type.Array(Type.Object({ id: Type.Integer() })),
  limits: AdminLimits,
  periods: Type.Array(
    Type.Object({ date_from: Nullable(Type.String()), date_until: Nullable(Type.String()) }),
  ),
  drm_sku: Type.String(),
  drm_name: Type.String(),
  drm_id: Type.Integer(),
  drm_image: Nullable(Type.String()),
  keys: Type.Object({ available: Type.Integer(), total: Type.Integer(), used: Type.Integer() }),
  is_sales_exist: Type.Boolean({ description: 'True once at least one code of the key was handed out.' }),
  pre_order: Type.Object({
    is_enabled: Type.Boolean(),
    release_date: Nullable(Type.String()),
    description: Nullable(Type.String()),
  }),
});

/** Admin view of a game (seed J item). */
export const AdminGame = Type.Object({
  item_id: Type.Integer(),
  sku: Type.String(),
  type: Type.Literal('unit'),
  unit_type: Type.Literal('game'),
  name: LocalizedOutput,
  description: LocalizedOutput,
  long_description: LocalizedOutput,
  image_url: Nullable(Type.String()),
  media_list: Type.Array(Type.Object({ type: Type.String(), url: Type.String() })),
  groups: Type.Array(AdminGroup),
  attributes: Type.Array(AdminAttribute),
  is_enabled: Type.Boolean(),
  is_show_in_store: Type.Boolean(),
  is_free: Type.Boolean(),
  order: Type.Integer(),
  custom_attributes: Type.Record(Type.String(), Type.Unknown()),
  unit_items: Type.Array(AdminGameKey),
});
export const AdminGameList = Type.Object({ items: Type.Array(AdminGame) });

// ---------- codes ----------

/** Query of admin-get-codes-*: who receives how many codes and why (all recorded on the claimed codes). */
export const RequestCodesQuery = Type.Object({
  user_email: Type.String({ minLength: 1, maxLength: 320 }),
  quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
  reason: Type.String({ minLength: 1, maxLength: 1024 }),
  region_id: Type.Optional(IdParam()),
});
/** Query of admin-delete-codes-* (spec: user_email and reason are required). */
export const DeleteCodesQuery = Type.Object({
  user_email: Type.String({ minLength: 1, maxLength: 320 }),
  reason: Type.String({ minLength: 1, maxLength: 1024 }),
  region_id: Type.Optional(IdParam()),
});
/** The codes as text, one per line (`text/plain`). */
export const CodesText = Type.String({ description: 'Codes, one per line (text/plain).' });

export const CodesSession = Type.Object({
  session_id: Type.String(),
  count_uploaded: Type.Integer(),
  count_total: Type.Integer(),
  count_skipped: Type.Integer(),
  status: Type.String({
    description: '`finished` once the file is stored (uploads are processed in the request).',
  }),
});

// ---------- catalog ----------

export const DrmList = Type.Object({
  drm: Type.Array(
    Type.Object({
      sku: Type.String(),
      name: Type.String(),
      image: Type.String(),
      link: Nullable(Type.String()),
      redeem_instruction_link: Type.String(),
      drm_id: Type.Integer(),
    }),
  ),
});

const GameKeyFields = {
  drm_name: Type.String(),
  drm_sku: Type.String(),
  has_keys: Type.Boolean(),
  is_pre_order: Type.Boolean(),
  release_date: Nullable(Type.String()),
};

/** A game key in the catalog (seed E). */
export const CatalogGameKey = Type.Object(
  { ...CatalogItem.properties, ...GameKeyFields },
  { additionalProperties: true },
);
export const CatalogGameKeyPage = Type.Object({
  has_more: Type.Boolean(),
  items: Type.Array(CatalogGameKey),
});

/** A game in the catalog (seed F): its sellable keys in `unit_items`. */
export const CatalogGame = Type.Object(
  {
    item_id: Type.Integer(),
    sku: Type.String(),
    type: Type.Literal('unit'),
    unit_type: Type.Literal('game'),
    name: Type.String(),
    description: Nullable(Type.String()),
    image_url: Nullable(Type.String()),
    attributes: Type.Array(Type.Unknown()),
    groups: Type.Array(Type.Unknown()),
    promotions: Type.Array(Type.Unknown()),
    unit_items: Type.Array(
      Type.Object({ sku: Type.String(), ...GameKeyFields }, { additionalProperties: true }),
    ),
  },
  { additionalProperties: true },
);
export const CatalogGamePage = Type.Object({ has_more: Type.Boolean(), items: Type.Array(CatalogGame) });
