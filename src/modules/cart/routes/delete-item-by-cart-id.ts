import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { cartUser } from '../http.js';
import { CartItemParams, ErrorRef, NoContent } from '../schemas.js';

/** DELETE …/cart/{cart_id}/item/{item_sku} — removes an item from one of the caller's carts (404 otherwise). */
export default defineOperation({
  docSlug: 'delete-item-by-cart-id',
  method: 'DELETE',
  path: '/v2/project/{project_id}/cart/{cart_id}/item/{item_sku}',
  auth: 'cart',
  tag: 'cart-client-side',
  summary: 'Delete cart item by cart ID',
  schema: {
    params: CartItemParams,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, item_sku } = req.params;
    const write = writeOptions(req, reply);
    await req.server.services.carts.deleteItem(
      project_id,
      cartUser(req),
      req.params.cart_id,
      item_sku,
      write,
    );
    return reply.code(204).send();
  },
});
