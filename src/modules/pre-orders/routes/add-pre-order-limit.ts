import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { ItemSkuParams, PreOrderQuantity } from '../schemas.js';

/** POST …/admin/items/pre_order/limit/item/sku/{item_sku} — Add to the pre-order quantity of an item */
export default defineOperation({
  docSlug: 'add-pre-order-limit',
  method: 'POST',
  path: '/v2/project/{project_id}/admin/items/pre_order/limit/item/sku/{item_sku}',
  auth: 'basic',
  tag: 'common-pre-orders',
  summary: 'Add to the pre-order quantity of an item',
  schema: {
    params: ItemSkuParams,
    body: PreOrderQuantity,
    response: { 201: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.preOrders.add(
      req.params.project_id,
      { sku: req.params.item_sku },
      req.body.quantity,
      writeOptions(req, reply),
    );
    return reply.code(201).send();
  },
});
