import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { buyerOf, orderIdOf } from '../http.js';
import { OrderIdParams, OrderView } from '../schemas.js';

/** GET …/order/{order_id} — the order as its owner sees it; anyone else gets 404/9001. */
export default defineOperation({
  docSlug: 'get-order',
  method: 'GET',
  path: '/v2/project/{project_id}/order/{order_id}',
  auth: 'cart',
  tag: 'order',
  summary: 'Get order',
  description:
    'The order with its status (`new`, `paid`, `done`, `canceled`, `expired`) and content. Only the user who ' +
    'created it sees it; others get 404/9001. SDKs poll it until `done` or `canceled`.',
  schema: {
    params: OrderIdParams,
    response: { 200: OrderView, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) => {
    const { project_id, order_id } = req.params;
    return req.server.services.orders.getForUser(project_id, orderIdOf(order_id), buyerOf(req).user.userId);
  },
});
