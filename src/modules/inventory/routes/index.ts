/** The operations of the player inventory, one route file each (gathered by src/http/operations.ts). */
import type { AnyOperation } from '../../../http/operation.js';
import addItemToInventory from './add-item-to-inventory.js';
import consumeItem from './consume-item.js';
import getUserInventory from './get-user-inventory.js';
import getUserTimeLimitedItems from './get-user-time-limited-items.js';
import getUserVirtualBalance from './get-user-virtual-balance.js';
import revokeItem from './revoke-item.js';

export const inventoryOperations: readonly AnyOperation[] = [
  addItemToInventory,
  consumeItem,
  getUserInventory,
  getUserTimeLimitedItems,
  getUserVirtualBalance,
  revokeItem,
];
