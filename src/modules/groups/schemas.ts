/**
 * Request and response schemas of item groups (endpoints.tsv groups item-groups-admin and item-groups-catalog).
 * The admin operations are not in the July spec: their field names follow the newer Catalog API pages as
 * recorded in spec/NOTES.md ("Item-group admin"), including the camelCase `iconUrl` / `isEnabled` of the
 * request bodies; docs/decisions/0008-item-group-admin-api.md records every choice made where the sources are
 * silent (nesting, reorder bodies, delete of a parent, ordering).
 */
import { Type } from 'typebox';
import { LocalizedInput, LocalizedOutput, Nullable, ProjectIdParam } from '../../http/schemas.js';
export { ProjectParams } from '../../http/schemas.js';

/** PostgreSQL `integer` range: every order value and numeric id is stored in one. */
const Int32 = { minimum: -2147483648, maximum: 2147483647 } as const;
const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });

/** External id of a group: letters, digits, `_` and `-` (spec/NOTES.md). */
export const GroupExternalId = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'External id: Latin letters, digits, `_` and `-`.',
});
const Order = Type.Integer({
  ...Int32,
  description: 'Display order: a higher value is listed lower; equal values list the newest first.',
});

/**
 * `item_type` of the type-filtered admin reads, as the real API spells it (`virtual_currency/package` and
 * `game/key` are sent percent-encoded: `virtual_currency%2Fpackage`).
 */
export const ITEM_TYPE_PATHS = [
  'virtual_items',
  'virtual_currency',
  'virtual_currency/package',
  'bundle',
  'game',
  'game/key',
  'value_points',
  'subscription_plans',
] as const;
export type ItemTypePath = (typeof ITEM_TYPE_PATHS)[number];

export const GroupParams = Type.Object({
  project_id: ProjectIdParam,
  external_id: Type.String({ minLength: 1, description: 'External id of the group.' }),
});
export const GroupIdParams = Type.Object({
  project_id: ProjectIdParam,
  id: Type.Integer({ ...Id, description: 'Numeric id of the group (`id` of the admin views).' }),
});
const ItemTypeParam = Type.Union(
  ITEM_TYPE_PATHS.map((t) => Type.Literal(t)),
  { description: 'Only items of this type are counted in `items_count`.' },
);
export const ItemTypeParams = Type.Object({ project_id: ProjectIdParam, item_type: ItemTypeParam });
export const ItemTypeGroupParams = Type.Object({
  project_id: ProjectIdParam,
  item_type: ItemTypeParam,
  external_id: Type.String({ minLength: 1 }),
});

/** Body of create and update (update may rename through `external_id`). */
export const GroupBody = Type.Object({
  external_id: GroupExternalId,
  name: LocalizedInput,
  description: Type.Optional(LocalizedInput),
  iconUrl: Type.Optional(Nullable(Type.String({ maxLength: 2048, description: 'Image URL.' }))),
  isEnabled: Type.Optional(
    Type.Boolean({ description: 'Whether the group is shown in the catalog. Default: true.' }),
  ),
  order: Type.Optional(Order),
  parent_external_id: Type.Optional(
    Nullable(
      Type.String({
        minLength: 1,
        description:
          'External id of the parent group (nesting, at most 3 levels). On update, leaving it out keeps the current parent; null moves the group to the top level.',
      }),
    ),
  ),
});
export type GroupBodyInput = {
  external_id: string;
  name: Record<string, string | null> | null;
  description?: Record<string, string | null> | null;
  iconUrl?: string | null;
  isEnabled?: boolean;
  order?: number;
  parent_external_id?: string | null;
};

export const CreatedGroup = Type.Object({ external_id: Type.String() });

const adminGroupFields = {
  id: Type.Integer({ description: 'Numeric id of the group.' }),
  external_id: Type.String(),
  name: LocalizedOutput,
  description: LocalizedOutput,
  image_url: Nullable(Type.String()),
  is_enabled: Type.Boolean(),
  items_count: Type.Integer({ description: 'Items directly in the group.' }),
  order: Type.Integer(),
  parent_external_id: Nullable(Type.String()),
  level: Type.Integer({ description: 'Nesting level: 0 for a top-level group.' }),
};

/** A group as admin reads return it. */
export const AdminGroup = Type.Object(adminGroupFields);
/** A group of the type-filtered admin reads: `items_count` counts one item type only. */
export const AdminGroupByType = Type.Object({
  ...adminGroupFields,
  is_contains_any_items: Type.Boolean({ description: 'Whether the group holds items of any type.' }),
});
export const AdminGroupList = Type.Object({ groups: Type.Array(AdminGroup) });
export const AdminGroupByTypeList = Type.Object({ groups: Type.Array(AdminGroupByType) });

/** One entry of reorder-item-groups: the group by `external_id` or numeric `id`, and its new `order`. */
export const GroupOrderEntry = Type.Union([
  Type.Object({ external_id: Type.String({ minLength: 1 }), order: Order }),
  Type.Object({ id: Id, order: Order }),
]);
export const GroupOrderBody = Type.Array(GroupOrderEntry, { maxItems: 1000 });

/** One entry of the item reorder operations: the item by `item_id` (or `sku`) and its `order` in the group. */
export const ItemOrderEntry = Type.Union([
  Type.Object({ item_id: Id, order: Order }),
  Type.Object({ sku: Type.String({ minLength: 1 }), order: Order }),
]);
export const ItemOrderBody = Type.Array(ItemOrderEntry, { maxItems: 1000 });

export type GroupOrderInput = ({ external_id: string } | { id: number }) & { order: number };
export type ItemOrderInput = ({ item_id: number } | { sku: string }) & { order: number };

/** Query of get-item-groups. */
export const CatalogGroupsQuery = Type.Object({
  locale: Type.Optional(Type.String({ maxLength: 16, description: 'Language of `name`/`description`.' })),
  promo_code: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
});

/** A group of the client catalog (localized strings), with its enabled children nested. */
export interface CatalogGroupView {
  external_id: string;
  name: string;
  description: string;
  image_url: string | null;
  order: number;
  level: number;
  children: CatalogGroupView[];
  parent_external_id: string | null;
}

const catalogGroupFields = {
  external_id: Type.String(),
  name: Type.String(),
  description: Type.String({ description: 'Empty when the group has no description.' }),
  image_url: Nullable(Type.String()),
  order: Type.Integer(),
  level: Type.Integer(),
  parent_external_id: Nullable(Type.String()),
};
const CatalogGroupLeaf = Type.Object({ ...catalogGroupFields, children: Type.Array(Type.Unknown()) });
const CatalogGroupMiddle = Type.Object({ ...catalogGroupFields, children: Type.Array(CatalogGroupLeaf) });
/** get-item-groups: the top-level groups, each with its children nested (three levels at most). */
export const CatalogGroupList = Type.Object({
  groups: Type.Array(Type.Object({ ...catalogGroupFields, children: Type.Array(CatalogGroupMiddle) })),
});
