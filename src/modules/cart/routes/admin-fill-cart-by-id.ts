import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { serverFillOptions } from '../http.js';
import {
  AdminFillBody,
  AdminFillQuery,
  CartIdParams,
  ErrorRef,
  FilledCartView,
  ServerUserHeaders,
} from '../schemas.js';

/**
 * PUT …/admin/project/{project_id}/cart/{cart_id}/fill — server side: replaces the content of the cart `cart_id`
 * of the user named by `x-user-for` / `x-user-id` (an unused id becomes theirs); 404/1401 when the cart is
 * another user's, 404/5008 when the headers name nobody.
 */
export default defineOperation({
  docSlug: 'admin-fill-cart-by-id',
  method: 'PUT',
  path: '/v2/admin/project/{project_id}/cart/{cart_id}/fill',
  auth: 'basic',
  tag: 'cart-server-side',
  summary: 'Fill cart by cart ID with items',
  schema: {
    params: CartIdParams,
    querystring: AdminFillQuery,
    headers: ServerUserHeaders,
    body: AdminFillBody,
    response: { 200: FilledCartView, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const { carts } = req.server.services;
    const user = (req.auth.user = await carts.serverUser(req.auth.project!, req.headers)); // also scopes Idempotency-Key
    const { opts, prefs } = serverFillOptions(req.query.locale, req.body);
    const { project_id } = req.params;
    return carts.fill(
      project_id,
      user,
      req.params.cart_id,
      req.body.items,
      opts,
      prefs,
      writeOptions(req, reply),
    );
  },
});
