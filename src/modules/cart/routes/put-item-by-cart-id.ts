import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { cartUser, putQuantity } from '../http.js';
import { CartItemParams, ErrorRef, NoContent, PutItemBody } from '../schemas.js';

/** PUT …/cart/{cart_id}/item/{item_sku} — put-item on one of the caller's carts (an unused id becomes theirs). */
export default defineOperation({
  docSlug: 'put-item-by-cart-id',
  method: 'PUT',
  path: '/v2/project/{project_id}/cart/{cart_id}/item/{item_sku}',
  auth: 'cart',
  tag: 'cart-client-side',
  summary: 'Update cart item by cart ID',
  schema: {
    params: CartItemParams,
    body: PutItemBody,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, item_sku } = req.params;
    const quantity = putQuantity(req.body);
    const write = writeOptions(req, reply);
    await req.server.services.carts.putItem(
      project_id,
      cartUser(req),
      req.params.cart_id,
      item_sku,
      quantity,
      write,
    );
    return reply.code(204).send();
  },
});
