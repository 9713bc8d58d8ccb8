import { defineOperation } from '../../../http/operation.js';
import { cartOptions, cartUser } from '../http.js';
import { CartIdParams, CartQuery, CartView, ErrorRef } from '../schemas.js';

/** GET …/cart/{cart_id} — one of the caller's carts; 404/1401 for anyone else's, unknown or ordered carts. */
export default defineOperation({
  docSlug: 'get-cart-by-id',
  method: 'GET',
  path: '/v2/project/{project_id}/cart/{cart_id}',
  auth: 'cart',
  tag: 'cart-client-side',
  summary: 'Get cart by cart ID',
  schema: {
    params: CartIdParams,
    querystring: CartQuery,
    response: { 200: CartView, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req) => {
    const { project_id, cart_id } = req.params;
    return req.server.services.carts.get(project_id, cartUser(req), cart_id, cartOptions(req, req.query));
  },
});
