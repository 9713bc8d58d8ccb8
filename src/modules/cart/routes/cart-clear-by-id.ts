import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { cartUser } from '../http.js';
import { CartIdParams, ErrorRef, NoContent } from '../schemas.js';

/** PUT …/cart/{cart_id}/clear — removes every item of one of the caller's carts (204; 404/1401 otherwise). */
export default defineOperation({
  docSlug: 'cart-clear-by-id',
  method: 'PUT',
  path: '/v2/project/{project_id}/cart/{cart_id}/clear',
  auth: 'cart',
  tag: 'cart-client-side',
  summary: 'Delete all cart items by cart ID',
  schema: {
    params: CartIdParams,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const write = writeOptions(req, reply);
    await req.server.services.carts.clear(req.params.project_id, cartUser(req), req.params.cart_id, write);
    return reply.code(204).send();
  },
});
