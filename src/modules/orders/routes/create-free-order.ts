import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { bodyOf, buyerOf } from '../http.js';
import { CartOrderBody, CompletedOrder, ProjectParams } from '../schemas.js';

/** POST …/free/cart — the current cart of free items becomes a `done` order, delivered at once. */
export default defineOperation({
  docSlug: 'create-free-order',
  method: 'POST',
  path: '/v2/project/{project_id}/free/cart',
  auth: 'cart',
  tag: 'free-item',
  summary: 'Create order with free cart',
  description:
    'Creates an order of the free items of the current cart; it is `done` and delivered when this answers. ' +
    '422/1417 for an empty cart, 422/1401 when an item is not free.',
  schema: {
    params: ProjectParams,
    body: CartOrderBody,
    response: { 200: CompletedOrder, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) =>
    req.server.services.orders.createFreeFromCart(
      req.params.project_id,
      buyerOf(req),
      undefined,
      bodyOf(req.body),
      writeOptions(req, reply),
    ),
});
