/** The operations of the cart area, one route file each (gathered by src/http/operations.ts). */
import type { AnyOperation } from '../../../http/operation.js';
import adminCartFill from './admin-cart-fill.js';
import adminFillCartById from './admin-fill-cart-by-id.js';
import cartClearById from './cart-clear-by-id.js';
import cartClear from './cart-clear.js';
import cartFillById from './cart-fill-by-id.js';
import cartFill from './cart-fill.js';
import deleteItemByCartId from './delete-item-by-cart-id.js';
import deleteItem from './delete-item.js';
import getCartById from './get-cart-by-id.js';
import getUserCart from './get-user-cart.js';
import putItemByCartId from './put-item-by-cart-id.js';
import putItem from './put-item.js';

export const cartOperations: readonly AnyOperation[] = [
  adminCartFill,
  adminFillCartById,
  cartClearById,
  cartClear,
  cartFillById,
  cartFill,
  deleteItemByCartId,
  deleteItem,
  getCartById,
  getUserCart,
  putItemByCartId,
  putItem,
];
