import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { ItemSkuParams, PreOrderLimit } from '../schemas.js';

/** GET …/admin/items/pre_order/limit/item/sku/{item_sku} — Get the pre-order quantity of an item */
export default defineOperation({
  docSlug: 'get-pre-order-limit',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/pre_order/limit/item/sku/{item_sku}',
  auth: 'basic',
  tag: 'common-pre-orders',
  summary: 'Get the pre-order quantity of an item',
  schema: {
    params: ItemSkuParams,
    response: { 200: PreOrderLimit, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req) =>
    req.server.services.preOrders.get(req.params.project_id, { sku: req.params.item_sku }),
});
