import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { bodyOf, buyerOf } from '../http.js';
import { CartIdParams, CartOrderBody, CompletedOrder } from '../schemas.js';

/** POST …/free/cart/{cart_id} — the user's cart of free items becomes a `done` order, delivered at once. */
export default defineOperation({
  docSlug: 'create-free-order-by-cart-id',
  method: 'POST',
  path: '/v2/project/{project_id}/free/cart/{cart_id}',
  auth: 'cart',
  tag: 'free-item',
  summary: 'Create order with particular free cart',
  description:
    'Creates an order of the free items of the cart; it is `done` and delivered when this answers. ' +
    "Another user's cart answers 404; 422/1417 for an empty cart, 422/1401 when an item is not free.",
  schema: {
    params: CartIdParams,
    body: CartOrderBody,
    response: { 200: CompletedOrder, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) =>
    req.server.services.orders.createFreeFromCart(
      req.params.project_id,
      buyerOf(req),
      req.params.cart_id,
      bodyOf(req.body),
      writeOptions(req, reply),
    ),
});
