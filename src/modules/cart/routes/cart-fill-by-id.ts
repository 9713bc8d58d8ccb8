import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { cartOptions, cartUser } from '../http.js';
import { CartIdParams, CartQuery, ErrorRef, FillBody, FilledCartView } from '../schemas.js';

/**
 * PUT …/cart/{cart_id}/fill — replaces the content of one of the caller's carts (an unused id becomes the
 * caller's cart); 404/1401 for another user's or an ordered cart.
 */
export default defineOperation({
  docSlug: 'cart-fill-by-id',
  method: 'PUT',
  path: '/v2/project/{project_id}/cart/{cart_id}/fill',
  auth: 'cart',
  tag: 'cart-client-side',
  summary: 'Fill specific cart with items',
  schema: {
    params: CartIdParams,
    querystring: CartQuery,
    body: FillBody,
    response: { 200: FilledCartView, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const opts = cartOptions(req, req.query);
    const prefs = { currency: opts.currency, country: req.query.country?.toUpperCase() };
    const { project_id } = req.params;
    const { items } = req.body;
    return req.server.services.carts.fill(
      project_id,
      cartUser(req),
      req.params.cart_id,
      items,
      opts,
      prefs,
      writeOptions(req, reply),
    );
  },
});
