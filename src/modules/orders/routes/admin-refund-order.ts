import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { orderIdOf } from '../http.js';
import { AdminOrderWithHistory, OrderIdParams } from '../schemas.js';

/** POST /itemshop/v1/…/admin/order/{order_id}/refund — refunds a `done` order (Itemshop extension). */
export default defineOperation({
  docSlug: 'admin-refund-order',
  method: 'POST',
  path: '/itemshop/v1/project/{project_id}/admin/order/{order_id}/refund',
  auth: 'basic',
  tag: 'order',
  extension: true,
  summary: 'Refund order (Itemshop extension)',
  description:
    'In one transaction a `done` order becomes `canceled`, what it delivered is taken back from the user and the ' +
    '`order_canceled` webhook is queued. 409 when the order is not `done`. Honours `Idempotency-Key`.',
  schema: {
    params: OrderIdParams,
    response: { 200: AdminOrderWithHistory, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef },
  },
  handler: async (req, reply) =>
    req.server.services.orders.refundOrder(
      req.params.project_id,
      orderIdOf(req.params.order_id),
      writeOptions(req, reply),
    ),
});
