import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { cartUser, putQuantity } from '../http.js';
import { ErrorRef, ItemSkuParams, NoContent, PutItemBody } from '../schemas.js';

/**
 * PUT …/cart/item/{item_sku} — sets the quantity of an item in the caller's current cart (0 removes it); 404/4001
 * for an item that is not for sale, 422/1421 for one this cart cannot take, 422/1102 for a bad quantity.
 */
export default defineOperation({
  docSlug: 'put-item',
  method: 'PUT',
  path: '/v2/project/{project_id}/cart/item/{item_sku}',
  auth: 'cart',
  tag: 'cart-client-side',
  summary: 'Update cart item from current cart',
  schema: {
    params: ItemSkuParams,
    body: PutItemBody,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, item_sku } = req.params;
    const quantity = putQuantity(req.body);
    const write = writeOptions(req, reply);
    await req.server.services.carts.putItem(project_id, cartUser(req), undefined, item_sku, quantity, write);
    return reply.code(204).send();
  },
});
