import { defineOperation } from '../../../http/operation.js';
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
    const { carts, idempotency } = req.server.services;
    const opts = cartOptions(req, req.query);
    const prefs = { currency: opts.currency, country: req.query.country?.toUpperCase() };
    const snapshot = await carts.catalogOf(req.params.project_id); // before the transaction
    return idempotency.send(req, reply, async ({ trx }) => {
      const cart = await carts.fill(trx, snapshot, cartUser(req), undefined, req.body.items, opts, prefs);
      return { status: 200, body: cart };
    });
  },
});
