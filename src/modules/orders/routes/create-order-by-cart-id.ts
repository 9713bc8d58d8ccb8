import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { bodyOf, buyerOf } from '../http.js';
import { CartIdParams, CartOrderBody, CreatedOrder } from '../schemas.js';

/** POST …/payment/cart/{cart_id} — the user's cart `cart_id` becomes a `new` order with a payment token. */
export default defineOperation({
  docSlug: 'create-order-by-cart-id',
  method: 'POST',
  path: '/v2/project/{project_id}/payment/cart/{cart_id}',
  auth: 'cart',
  tag: 'payment-client-side',
  summary: 'Create order with all items from particular cart',
  description:
    'Creates an order (status `new`) from the items of the cart and returns its id and a payment token. ' +
    "Another user's cart answers 404; 422/1417 for an empty cart, 422/1401 when an item is free.",
  schema: {
    params: CartIdParams,
    body: CartOrderBody,
    response: { 200: CreatedOrder, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) =>
    req.server.services.orders.createFromCart(
      req.params.project_id,
      buyerOf(req),
      req.params.cart_id,
      bodyOf(req.body),
      writeOptions(req, reply),
    ),
});
