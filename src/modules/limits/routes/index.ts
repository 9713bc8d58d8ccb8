/** The operations of user-limits-admin, one route file each (gathered by src/http/operations.ts). */
import type { AnyOperation } from '../../../http/operation.js';
import addUserItemLimit from './add-user-item-limit.js';
import getUserItemLimit from './get-user-item-limit.js';
import removeUserItemLimit from './remove-user-item-limit.js';
import resetAllUserItemsLimit from './reset-all-user-items-limit.js';
import resetUserItemLimit from './reset-user-item-limit.js';
import setUserItemLimit from './set-user-item-limit.js';

export const limitsOperations: readonly AnyOperation[] = [
  getUserItemLimit,
  addUserItemLimit,
  setUserItemLimit,
  removeUserItemLimit,
  resetUserItemLimit,
  resetAllUserItemsLimit,
];
