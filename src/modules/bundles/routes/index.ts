/** The operations of the bundles area, one route file each (gathered by src/http/operations.ts). */
import type { AnyOperation } from '../../../http/operation.js';
import adminCreateBundle from './admin-create-bundle.js';
import adminDeleteBundle from './admin-delete-bundle.js';
import adminGetBundleListInGroupByExternalId from './admin-get-bundle-list-in-group-by-external-id.js';
import adminGetBundleListInGroupById from './admin-get-bundle-list-in-group-by-id.js';
import adminGetBundleList from './admin-get-bundle-list.js';
import adminGetBundle from './admin-get-bundle.js';
import adminHideBundle from './admin-hide-bundle.js';
import adminShowBundle from './admin-show-bundle.js';
import adminUpdateBundle from './admin-update-bundle.js';
import getBundleListInGroup from './get-bundle-list-in-group.js';
import getBundleList from './get-bundle-list.js';
import getBundle from './get-bundle.js';

export const bundlesOperations: readonly AnyOperation[] = [
  adminCreateBundle,
  adminDeleteBundle,
  adminGetBundleListInGroupByExternalId,
  adminGetBundleListInGroupById,
  adminGetBundleList,
  adminGetBundle,
  adminHideBundle,
  adminShowBundle,
  adminUpdateBundle,
  getBundleListInGroup,
  getBundleList,
  getBundle,
];
