import { defineOperation } from '../../../http/operation.js';
import { AppError } from '../../../errors/app-error.js';
import { ErrorRef } from '../../../http/schemas.js';
import { buyerOf, orderIdOf } from '../http.js';
import { OrderIdParams, OrderView } from '../schemas.js';

/** GET …/order/{order_id} — the order as its owner sees it; anyone else gets 404/9001. */
export default defineOperation({
  docSlug: 'get-order',
  method: 'GET',
  path: '/v2/project/{project_id}/order/{order_id}',
  auth: 'cart',
  paymentToken: true,
  tag: 'order',
  summary: 'Get order',
  description:
    'The order with its status (`new`, `paid`, `done`, `canceled`, `expired`) and content. Only the user who ' +
    'created it sees it; others get 404/9001. SDKs poll it until `done` or `canceled`. The Bearer may be the ' +
    "order's payment token instead of a user JWT (as the Unreal SDK and the Cocos samples poll): it opens that " +
    'order only (another order is 404/9001); an unknown or expired payment token is 401.',
  schema: {
    params: OrderIdParams,
    response: { 200: OrderView, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) => {
    const { project_id, order_id } = req.params;
    const orderId = orderIdOf(order_id);
    const opened = req.auth.paymentToken;
    if (opened && opened.orderId !== orderId) throw new AppError('ORDER_NOT_FOUND'); // a token opens its order only
    return req.server.services.orders.getForUser(project_id, orderId, buyerOf(req).user.userId);
  },
});
