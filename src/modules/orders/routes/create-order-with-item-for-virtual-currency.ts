import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { bodyOf, buyerOf } from '../http.js';
import { CompletedOrder, VirtualOrderBody, VirtualOrderParams, VirtualOrderQuery } from '../schemas.js';

/** POST …/payment/item/{item_sku}/virtual/{virtual_currency_sku} — buys one item for virtual currency. */
export default defineOperation({
  docSlug: 'create-order-with-item-for-virtual-currency',
  method: 'POST',
  path: '/v2/project/{project_id}/payment/item/{item_sku}/virtual/{virtual_currency_sku}',
  auth: 'user',
  tag: 'virtual-payment',
  summary: 'Create order with specified item purchased by virtual currency',
  description:
    "Charges the item's price in that virtual currency from the user's balance, delivers the item and " +
    'completes the order (`done`) in one transaction. 422/5006 when the balance is too low (nothing changes); ' +
    '404/4001 for an unknown item; 422/1411 when the item has no price in that currency or cannot be bought.',
  schema: {
    params: VirtualOrderParams,
    querystring: VirtualOrderQuery,
    body: VirtualOrderBody,
    response: { 200: CompletedOrder, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, item_sku, virtual_currency_sku } = req.params;
    const opts = { custom_parameters: bodyOf(req.body).custom_parameters, platform: req.query.platform };
    return req.server.services.orders.buyWithVirtualCurrency(
      project_id,
      buyerOf(req),
      item_sku,
      virtual_currency_sku,
      opts,
      writeOptions(req, reply),
    );
  },
});
