/**
 * Request and response schemas of the virtual items & currency area (spec groups virtual-items-currency-admin
 * and virtual-items-currency-catalog).
 */
import { Type } from 'typebox';
import { CatalogItem } from '../../catalog/schemas.js';
import { ErrorRef, ProjectIdParam, PromoCodeQuery, Sku } from '../../http/schemas.js';
export {
  ProjectParams,
  ItemSkuParams,
  GroupExternalIdParams,
  GroupIdParams,
  AdminListQuery,
  AdminItemQuery,
} from '../../http/schemas.js';
import {
  AdminVirtualCurrency,
  AdminVirtualCurrencyPackage,
  AdminVirtualItem,
  ContentInput,
  InventoryOptionsInput,
  commonItemFields,
} from '../items/schemas.js';

export const CurrencySkuParams = Type.Object({
  project_id: ProjectIdParam,
  virtual_currency_sku: Type.String({ minLength: 1 }),
});
export const PackageSkuParams = Type.Object({
  project_id: ProjectIdParam,
  virtual_currency_package_sku: Type.String({ minLength: 1 }),
});

/** Query of get-all-virtual-items (no paging). */
export const AllVirtualItemsQuery = Type.Object({
  locale: Type.Optional(Type.String({ maxLength: 16 })),
  promo_code: Type.Optional(PromoCodeQuery),
});

export const VirtualItemBody = Type.Object(
  {
    ...commonItemFields,
    inventory_options: Type.Optional(Type.Union([InventoryOptionsInput, Type.Null()])),
  },
  { required: ['sku', 'name'] },
);
export const VirtualCurrencyBody = Type.Object(
  { ...commonItemFields, is_hard: Type.Optional(Type.Boolean({ default: false })) },
  { required: ['sku', 'name'] },
);
export const VirtualCurrencyPackageBody = Type.Object(
  { ...commonItemFields, content: ContentInput },
  { required: ['sku', 'name', 'description', 'content'] },
);

export const AdminVirtualItemList = Type.Object({ items: Type.Array(AdminVirtualItem) });
export const AdminVirtualCurrencyList = Type.Object({ items: Type.Array(AdminVirtualCurrency) });
export const AdminVirtualCurrencyPackageList = Type.Object({
  items: Type.Array(AdminVirtualCurrencyPackage),
});
export { AdminVirtualItem, AdminVirtualCurrency, AdminVirtualCurrencyPackage };

/** `get-all-virtual-items`: every sellable virtual item, reduced to what client-side search needs. */
export const AllVirtualItems = Type.Object({
  items: Type.Array(
    Type.Object({
      sku: Sku,
      name: Type.String(),
      description: Type.Union([Type.String(), Type.Null()]),
      groups: Type.Array(Type.Object({ external_id: Type.String(), name: Type.String() })),
    }),
  ),
});

export { CatalogItem, ErrorRef };
