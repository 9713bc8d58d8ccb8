import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { ItemSkuParams } from '../schemas.js';

/** DELETE …/admin/items/pre_order/limit/item/sku/{item_sku}/all — Remove the whole pre-order quantity of an item */
export default defineOperation({
  docSlug: 'remove-all-pre-order-limit',
  method: 'DELETE',
  path: '/v2/project/{project_id}/admin/items/pre_order/limit/item/sku/{item_sku}/all',
  auth: 'basic',
  tag: 'common-pre-orders',
  summary: 'Remove the whole pre-order quantity of an item',
  schema: {
    params: ItemSkuParams,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.preOrders.removeAll(
      req.params.project_id,
      { sku: req.params.item_sku },
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
