/** The operations of the catalog area, one route file each (gathered by src/http/operations.ts). */
import type { AnyOperation } from '../../../http/operation.js';
import getSellableItemById from './get-sellable-item-by-id.js';
import getSellableItemBySku from './get-sellable-item-by-sku.js';
import getSellableItemsGroup from './get-sellable-items-group.js';
import getSellableItems from './get-sellable-items.js';

export const catalogOperations: readonly AnyOperation[] = [
  getSellableItemById,
  getSellableItemBySku,
  getSellableItemsGroup,
  getSellableItems,
];
