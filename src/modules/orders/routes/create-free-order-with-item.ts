import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { bodyOf, buyerOf } from '../http.js';
import { CompletedOrder, ItemOrderBody, ItemSkuParams } from '../schemas.js';

/** POST …/free/item/{item_sku} — `quantity` × one free item: a `done` order, delivered at once. */
export default defineOperation({
  docSlug: 'create-free-order-with-item',
  method: 'POST',
  path: '/v2/project/{project_id}/free/item/{item_sku}',
  auth: 'user',
  tag: 'free-item',
  summary: 'Create order with specified free item',
  description:
    'Creates an order of one free item; it is `done` and delivered when this answers. 404/4001 for an unknown ' +
    'sku; 422/1411 when the item is not free or cannot be bought.',
  schema: {
    params: ItemSkuParams,
    body: ItemOrderBody,
    response: { 200: CompletedOrder, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) =>
    req.server.services.orders.createFreeFromItem(
      req.params.project_id,
      buyerOf(req),
      req.params.item_sku,
      bodyOf(req.body),
      writeOptions(req, reply),
    ),
});
