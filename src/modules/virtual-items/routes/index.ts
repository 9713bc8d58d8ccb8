/** The operations of the virtual-items area, one route file each (gathered by src/http/operations.ts). */
import type { AnyOperation } from '../../../http/operation.js';
import adminCreateVirtualCurrencyPackage from './admin-create-virtual-currency-package.js';
import adminCreateVirtualCurrency from './admin-create-virtual-currency.js';
import adminCreateVirtualItem from './admin-create-virtual-item.js';
import adminDeleteVirtualCurrencyPackage from './admin-delete-virtual-currency-package.js';
import adminDeleteVirtualCurrency from './admin-delete-virtual-currency.js';
import adminDeleteVirtualItem from './admin-delete-virtual-item.js';
import adminGetVirtualCurrenciesList from './admin-get-virtual-currencies-list.js';
import adminGetVirtualCurrencyPackage from './admin-get-virtual-currency-package.js';
import adminGetVirtualCurrencyPackagesList from './admin-get-virtual-currency-packages-list.js';
import adminGetVirtualCurrency from './admin-get-virtual-currency.js';
import adminGetVirtualItem from './admin-get-virtual-item.js';
import adminGetVirtualItemsListByGroupExternalId from './admin-get-virtual-items-list-by-group-external-id.js';
import adminGetVirtualItemsListByGroupId from './admin-get-virtual-items-list-by-group-id.js';
import adminGetVirtualItemsList from './admin-get-virtual-items-list.js';
import adminUpdateVirtualCurrencyPackage from './admin-update-virtual-currency-package.js';
import adminUpdateVirtualCurrency from './admin-update-virtual-currency.js';
import adminUpdateVirtualItem from './admin-update-virtual-item.js';
import getAllVirtualItems from './get-all-virtual-items.js';
import getVirtualCurrencyPackageSku from './get-virtual-currency-package-sku.js';
import getVirtualCurrencyPackage from './get-virtual-currency-package.js';
import getVirtualCurrencySku from './get-virtual-currency-sku.js';
import getVirtualCurrency from './get-virtual-currency.js';
import getVirtualItemsGroup from './get-virtual-items-group.js';
import getVirtualItemsSku from './get-virtual-items-sku.js';
import getVirtualItems from './get-virtual-items.js';

export const virtualItemsOperations: readonly AnyOperation[] = [
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
