import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { bodyOf, buyerOf } from '../http.js';
import { CartOrderBody, CreatedOrder, ProjectParams } from '../schemas.js';

/** POST …/payment/cart — the user's current cart becomes a `new` order with a payment token. */
export default defineOperation({
  docSlug: 'create-order',
  method: 'POST',
  path: '/v2/project/{project_id}/payment/cart',
  auth: 'cart',
  tag: 'payment-client-side',
  summary: 'Create order with all items from current cart',
  description:
    'Creates an order (status `new`) from the items of the current cart and returns its id and a payment token ' +
    'that opens the pay station. 422/1417 for an empty cart, 422/1401 when an item is free.',
  schema: {
    params: ProjectParams,
    body: CartOrderBody,
    response: { 200: CreatedOrder, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) =>
    req.server.services.orders.createFromCart(
      req.params.project_id,
      buyerOf(req),
      undefined,
      bodyOf(req.body),
      writeOptions(req, reply),
    ),
});
