/** The operations of common-pre-orders, one route file each (gathered by src/http/operations.ts). */
import type { AnyOperation } from '../../../http/operation.js';
import addPreOrderLimit from './add-pre-order-limit.js';
import getPreOrderLimit from './get-pre-order-limit.js';
import removeAllPreOrderLimit from './remove-all-pre-order-limit.js';
import removePreOrderLimit from './remove-pre-order-limit.js';
import setPreOrderLimit from './set-pre-order-limit.js';
import togglePreOrderLimit from './toggle-pre-order-limit.js';

export const preOrdersOperations: readonly AnyOperation[] = [
  getPreOrderLimit,
  addPreOrderLimit,
  setPreOrderLimit,
  removePreOrderLimit,
  removeAllPreOrderLimit,
  togglePreOrderLimit,
];
