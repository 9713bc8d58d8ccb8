/** The operations of the item groups area, one route file each (gathered by src/http/operations.ts). */
import type { AnyOperation } from '../../../http/operation.js';
import adminCreateItemGroup from './admin-create-item-group.js';
import adminDeleteItemGroup from './admin-delete-item-group.js';
import adminGetItemGroupByItemType from './admin-get-item-group-by-item-type.js';
import adminGetItemGroupListByItemType from './admin-get-item-group-list-by-item-type.js';
import adminGetItemGroupList from './admin-get-item-group-list.js';
import adminGetItemGroup from './admin-get-item-group.js';
import adminReorderItemGroups from './admin-reorder-item-groups.js';
import adminReorderItemsInGroupById from './admin-reorder-items-in-group-by-id.js';
import adminReorderItemsInGroup from './admin-reorder-items-in-group.js';
import adminUpdateItemGroup from './admin-update-item-group.js';
import getItemGroups from './get-item-groups.js';

export const groupsOperations: readonly AnyOperation[] = [
  adminCreateItemGroup,
  adminDeleteItemGroup,
  adminGetItemGroupByItemType,
  adminGetItemGroupListByItemType,
  adminGetItemGroupList,
  adminGetItemGroup,
  adminReorderItemGroups,
  adminReorderItemsInGroupById,
  adminReorderItemsInGroup,
  adminUpdateItemGroup,
  getItemGroups,
];
