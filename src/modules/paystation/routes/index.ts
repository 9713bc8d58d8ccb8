/** The JSON endpoints of the sandbox pay station (Itemshop extensions; the HTML page is page.ts). */
import type { AnyOperation } from '../../../http/operation.js';
import paystationCancel from './paystation-cancel.js';
import paystationFail from './paystation-fail.js';
import paystationGetOrder from './paystation-get-order.js';
import paystationPay from './paystation-pay.js';

export const paystationOperations: readonly AnyOperation[] = [
  paystationCancel,
  paystationFail,
  paystationGetOrder,
  paystationPay,
];
