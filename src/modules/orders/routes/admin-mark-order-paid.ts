import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { bodyOf, orderIdOf } from '../http.js';
import { AdminOrderWithHistory, MarkPaidBody, OrderIdParams } from '../schemas.js';

/**
 * POST /itemshop/v1/…/admin/order/{order_id}/paid — a payment provider confirmed the payment: the order is paid,
 * delivered and `done` (Itemshop extension; docs/decisions/0013-orders-payments-pay-station.md).
 */
export default defineOperation({
  docSlug: 'admin-mark-order-paid',
  method: 'POST',
  path: '/itemshop/v1/project/{project_id}/admin/order/{order_id}/paid',
  auth: 'basic',
  tag: 'order',
  extension: true,
  summary: 'Mark order paid (Itemshop extension)',
  description:
    'Call it from your server when your payment provider confirms the payment of an order. In one transaction ' +
    'the order goes `new → paid`, the `order_paid` webhook is queued, the items are delivered and the order is ' +
    '`done`. `invoice_id` (optional) records the provider transaction. Calling it again for a paid or done order ' +
    'changes nothing and answers 200; a canceled or expired order answers 409. Honours `Idempotency-Key`.',
  schema: {
    params: OrderIdParams,
    body: MarkPaidBody,
    response: { 200: AdminOrderWithHistory, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) =>
    req.server.services.orders.markPaid(
      req.params.project_id,
      orderIdOf(req.params.order_id),
      bodyOf(req.body).invoice_id,
      writeOptions(req, reply),
    ),
});
