import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { serverFillOptions } from '../http.js';
import {
  AdminFillBody,
  AdminFillQuery,
  ErrorRef,
  FilledCartView,
  ProjectParams,
  ServerUserHeaders,
} from '../schemas.js';

/**
 * PUT …/admin/project/{project_id}/cart/fill — server side: replaces the current cart of the user named by
 * `x-user-for` (JWT or payment token) or `x-user-id`; 404/5008 when they name nobody. `currency` and `country`
 * of the body are remembered for the cart's views and orders.
 */
export default defineOperation({
  docSlug: 'admin-cart-fill',
  method: 'PUT',
  path: '/v2/admin/project/{project_id}/cart/fill',
  auth: 'basic',
  tag: 'cart-server-side',
  summary: 'Fill cart with items',
  schema: {
    params: ProjectParams,
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
    return carts.fill(project_id, user, undefined, req.body.items, opts, prefs, writeOptions(req, reply));
  },
});
