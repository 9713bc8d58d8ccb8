import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { cartUser } from '../http.js';
import { ErrorRef, NoContent, ProjectParams } from '../schemas.js';

/** PUT …/cart/clear — removes every item of the caller's current cart (204). */
export default defineOperation({
  docSlug: 'cart-clear',
  method: 'PUT',
  path: '/v2/project/{project_id}/cart/clear',
  auth: 'cart',
  tag: 'cart-client-side',
  summary: 'Delete all cart items from current cart',
  schema: {
    params: ProjectParams,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const write = writeOptions(req, reply);
    await req.server.services.carts.clear(req.params.project_id, cartUser(req), undefined, write);
    return reply.code(204).send();
  },
});
