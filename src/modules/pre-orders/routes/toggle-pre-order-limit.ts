import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { ItemSkuParams, PreOrderToggle } from '../schemas.js';

/** PUT …/admin/items/pre_order/limit/item/sku/{item_sku}/toggle — Enable or disable the pre-order limit of an item */
export default defineOperation({
  docSlug: 'toggle-pre-order-limit',
  method: 'PUT',
  path: '/v2/project/{project_id}/admin/items/pre_order/limit/item/sku/{item_sku}/toggle',
  auth: 'basic',
  tag: 'common-pre-orders',
  summary: 'Enable or disable the pre-order limit of an item',
  schema: {
    params: ItemSkuParams,
    body: PreOrderToggle,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.preOrders.toggle(
      req.params.project_id,
      { sku: req.params.item_sku },
      req.body.is_pre_order_limit_enabled,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
