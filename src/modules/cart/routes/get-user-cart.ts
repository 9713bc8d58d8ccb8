import { defineOperation } from '../../../http/operation.js';
import { cartOptions, cartUser } from '../http.js';
import { CartQuery, CartView, ErrorRef, ProjectParams } from '../schemas.js';

/** GET …/cart — the caller's current cart (created empty when missing), priced in `currency`, localized. */
export default defineOperation({
  docSlug: 'get-user-cart',
  method: 'GET',
  path: '/v2/project/{project_id}/cart',
  auth: 'cart',
  tag: 'cart-client-side',
  summary: "Get current user's cart",
  schema: {
    params: ProjectParams,
    querystring: CartQuery,
    response: { 200: CartView, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req) =>
    req.server.services.carts.get(
      req.params.project_id,
      cartUser(req),
      undefined,
      cartOptions(req, req.query),
    ),
});
