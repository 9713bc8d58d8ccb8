import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { bodyOf, buyerOf } from '../http.js';
import { CreatedOrder, ItemOrderBody, ItemSkuParams } from '../schemas.js';

/** POST …/payment/item/{item_sku} — a `new` order of `quantity` × one item, with a payment token. */
export default defineOperation({
  docSlug: 'create-order-with-item',
  method: 'POST',
  path: '/v2/project/{project_id}/payment/item/{item_sku}',
  auth: 'user',
  tag: 'payment-client-side',
  summary: 'Create order with specified item',
  description:
    'Creates an order (status `new`) of one item and returns its id and a payment token. 404/4001 for an ' +
    'unknown sku; 422/1411 when the item cannot be bought for money (free, disabled, out of its period or ' +
    'region, without a price). `promo_code` is accepted and ignored.',
  schema: {
    params: ItemSkuParams,
    body: ItemOrderBody,
    response: { 200: CreatedOrder, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) =>
    req.server.services.orders.createFromItem(
      req.params.project_id,
      buyerOf(req),
      req.params.item_sku,
      bodyOf(req.body),
      writeOptions(req, reply),
    ),
});
