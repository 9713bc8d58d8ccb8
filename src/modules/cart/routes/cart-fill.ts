import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { cartOptions, cartUser } from '../http.js';
import { CartQuery, ErrorRef, FillBody, FilledCartView, ProjectParams } from '../schemas.js';

/**
 * PUT …/cart/fill — replaces the content of the caller's current cart; lines that cannot be put are skipped and
 * listed in `warnings[]`. 422/1102 for a quantity that is not a non-negative integer.
 */
export default defineOperation({
  docSlug: 'cart-fill',
  method: 'PUT',
  path: '/v2/project/{project_id}/cart/fill',
  auth: 'cart',
  tag: 'cart-client-side',
  summary: 'Fill cart with items',
  schema: {
    params: ProjectParams,
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
      undefined,
      items,
      opts,
      prefs,
      writeOptions(req, reply),
    );
  },
});
