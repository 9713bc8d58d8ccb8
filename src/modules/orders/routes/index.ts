/** The operations of orders and payments, one route file each (gathered by src/http/operations.ts). */
import type { AnyOperation } from '../../../http/operation.js';
import adminCreatePaymentToken from './admin-create-payment-token.js';
import adminGetOrder from './admin-get-order.js';
import adminMarkOrderPaid from './admin-mark-order-paid.js';
import adminOrderSearch from './admin-order-search.js';
import adminRefundOrder from './admin-refund-order.js';
import createFreeOrderByCartId from './create-free-order-by-cart-id.js';
import createFreeOrderWithItem from './create-free-order-with-item.js';
import createFreeOrder from './create-free-order.js';
import createOrderByCartId from './create-order-by-cart-id.js';
import createOrderWithItemForVirtualCurrency from './create-order-with-item-for-virtual-currency.js';
import createOrderWithItem from './create-order-with-item.js';
import createOrder from './create-order.js';
import createPaymentToken from './create-payment-token.js';
import getOrder from './get-order.js';

export const ordersOperations: readonly AnyOperation[] = [
  adminCreatePaymentToken,
  adminGetOrder,
  adminMarkOrderPaid,
  adminOrderSearch,
  adminRefundOrder,
  createFreeOrderByCartId,
  createFreeOrderWithItem,
  createFreeOrder,
  createOrderByCartId,
  createOrderWithItemForVirtualCurrency,
  createOrderWithItem,
  createOrder,
  createPaymentToken,
  getOrder,
];
