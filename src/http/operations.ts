/**
 * The operations table: every operation Itemshop serves, one route file each. The app registers routes from it;
 * the OpenAPI document, docs/operations.md and the common auth tests are generated from it. Keep it sorted
 * by area; an operation missing here does not exist.
 */
import type { AnyOperation } from './operation.js';
import getSellableItemById from '../modules/catalog/routes/get-sellable-item-by-id.js';
import getSellableItemBySku from '../modules/catalog/routes/get-sellable-item-by-sku.js';
import getSellableItemsGroup from '../modules/catalog/routes/get-sellable-items-group.js';
import getSellableItems from '../modules/catalog/routes/get-sellable-items.js';
import getProjects from '../modules/merchant/routes/get-projects.js';
import adminCreateVirtualCurrencyPackage from '../modules/virtual-items/routes/admin-create-virtual-currency-package.js';
import adminCreateVirtualCurrency from '../modules/virtual-items/routes/admin-create-virtual-currency.js';
import adminCreateVirtualItem from '../modules/virtual-items/routes/admin-create-virtual-item.js';
import adminDeleteVirtualCurrencyPackage from '../modules/virtual-items/routes/admin-delete-virtual-currency-package.js';
import adminDeleteVirtualCurrency from '../modules/virtual-items/routes/admin-delete-virtual-currency.js';
import adminDeleteVirtualItem from '../modules/virtual-items/routes/admin-delete-virtual-item.js';
import adminGetVirtualCurrenciesList from '../modules/virtual-items/routes/admin-get-virtual-currencies-list.js';
import adminGetVirtualCurrencyPackage from '../modules/virtual-items/routes/admin-get-virtual-currency-package.js';
import adminGetVirtualCurrencyPackagesList from '../modules/virtual-items/routes/admin-get-virtual-currency-packages-list.js';
import adminGetVirtualCurrency from '../modules/virtual-items/routes/admin-get-virtual-currency.js';
import adminGetVirtualItem from '../modules/virtual-items/routes/admin-get-virtual-item.js';
import adminGetVirtualItemsListByGroupExternalId from '../modules/virtual-items/routes/admin-get-virtual-items-list-by-group-external-id.js';
import adminGetVirtualItemsListByGroupId from '../modules/virtual-items/routes/admin-get-virtual-items-list-by-group-id.js';
import adminGetVirtualItemsList from '../modules/virtual-items/routes/admin-get-virtual-items-list.js';
import adminUpdateVirtualCurrencyPackage from '../modules/virtual-items/routes/admin-update-virtual-currency-package.js';
import adminUpdateVirtualCurrency from '../modules/virtual-items/routes/admin-update-virtual-currency.js';
import adminUpdateVirtualItem from '../modules/virtual-items/routes/admin-update-virtual-item.js';
import getAllVirtualItems from '../modules/virtual-items/routes/get-all-virtual-items.js';
import getVirtualCurrencyPackageSku from '../modules/virtual-items/routes/get-virtual-currency-package-sku.js';
import getVirtualCurrencyPackage from '../modules/virtual-items/routes/get-virtual-currency-package.js';
import getVirtualCurrencySku from '../modules/virtual-items/routes/get-virtual-currency-sku.js';
import getVirtualCurrency from '../modules/virtual-items/routes/get-virtual-currency.js';
import getVirtualItemsGroup from '../modules/virtual-items/routes/get-virtual-items-group.js';
import getVirtualItemsSku from '../modules/virtual-items/routes/get-virtual-items-sku.js';
import getVirtualItems from '../modules/virtual-items/routes/get-virtual-items.js';

export const operations: readonly AnyOperation[] = [
  getSellableItemById,
  getSellableItemBySku,
  getSellableItemsGroup,
  getSellableItems,
  getProjects,
  adminCreateVirtualCurrencyPackage,
  adminCreateVirtualCurrency,
  adminCreateVirtualItem,
  adminDeleteVirtualCurrencyPackage,
  adminDeleteVirtualCurrency,
  adminDeleteVirtualItem,
  adminGetVirtualCurrenciesList,
  adminGetVirtualCurrencyPackage,
  adminGetVirtualCurrencyPackagesList,
  adminGetVirtualCurrency,
  adminGetVirtualItem,
  adminGetVirtualItemsListByGroupExternalId,
  adminGetVirtualItemsListByGroupId,
  adminGetVirtualItemsList,
  adminUpdateVirtualCurrencyPackage,
  adminUpdateVirtualCurrency,
  adminUpdateVirtualItem,
  getAllVirtualItems,
  getVirtualCurrencyPackageSku,
  getVirtualCurrencyPackage,
  getVirtualCurrencySku,
  getVirtualCurrency,
  getVirtualItemsGroup,
  getVirtualItemsSku,
  getVirtualItems,
];
