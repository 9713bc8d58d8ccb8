import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { cartUser } from '../http.js';
import { ErrorRef, ItemSkuParams, NoContent } from '../schemas.js';

/** DELETE …/cart/item/{item_sku} — removes an item from the caller's current cart; 404/4001 when absent. */
export default defineOperation({
  docSlug: 'delete-item',
  method: 'DELETE',
  path: '/v2/project/{project_id}/cart/item/{item_sku}',
  auth: 'cart',
  tag: 'cart-client-side',
  summary: 'Delete cart item from current cart',
  schema: {
    params: ItemSkuParams,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, item_sku } = req.params;
    const write = writeOptions(req, reply);
    await req.server.services.carts.deleteItem(project_id, cartUser(req), undefined, item_sku, write);
    return reply.code(204).send();
  },
});
