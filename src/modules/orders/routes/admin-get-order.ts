import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { orderIdOf } from '../http.js';
import { AdminOrderWithHistory, OrderIdParams } from '../schemas.js';

/** GET /itemshop/v1/…/admin/order/{order_id} — one order with its history (Itemshop extension). */
export default defineOperation({
  docSlug: 'admin-get-order',
  method: 'GET',
  path: '/itemshop/v1/project/{project_id}/admin/order/{order_id}',
  auth: 'basic',
  tag: 'order',
  extension: true,
  summary: 'Get order with its history (Itemshop extension)',
  description:
    'The order as admin-order-search shows it, plus `history`: every status change and failed payment attempt ' +
    'with who caused it. 404/9001 for an order of another project or none.',
  schema: {
    params: OrderIdParams,
    response: { 200: AdminOrderWithHistory, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) =>
    req.server.services.orders.getForAdmin(req.params.project_id, orderIdOf(req.params.order_id)),
});
